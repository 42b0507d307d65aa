/**
 * A real full disk (issue 17): a 128 KB tmpfs, a 12 KB config.toml with 300 [projects."..."]
 * tables, and the free space stepped from 0 to 64 KB. Every run either writes the whole new file
 * (exit 0) or fails with a clear message and leaves the file exactly as it was (exit 2); never a
 * success over a cut-off file. Needs root on Linux to mount (as CI runs); the injected faults in
 * unit/config/safe-write-faults.test.ts cover every platform.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const canMount = process.platform === 'linux' && process.getuid?.() === 0;
let sb: Sandbox;
let mnt: string;
beforeAll(() => {
  if (!canMount) return;
  sb = makeSandbox();
  mnt = path.join(sb.root, 'small');
  fs.mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', mnt]);
});
afterAll(() => {
  if (!canMount) return;
  execFileSync('umount', [mnt]);
  sb.cleanup();
});

const CONFIG = '# mine\nmodel = "o3"\n\n' + Array.from({ length: 300 }, (_, i) => `[projects."/w/r${i}"]\ntrust_level = "trusted"\n`).join('\n');

(canMount ? test : test.skip)('a full disk never reports success over a cut-off config.toml', async () => {
  const home = path.join(mnt, 'codex');
  const cfg = path.join(home, 'config.toml');
  const filler = path.join(mnt, 'filler');
  const outcomes: string[] = [];
  for (let freeKb = 0; freeKb <= 64; freeKb += 4) {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(filler, { force: true });
    fs.mkdirSync(home);
    fs.writeFileSync(cfg, CONFIG);
    // Fill all but freeKb: write until ENOSPC, then give back freeKb.
    const fd = fs.openSync(filler, 'w');
    const chunk = Buffer.alloc(4096, 120);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch {
      // full
    }
    fs.closeSync(fd);
    fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - freeKb * 1024));
    const r = await runCli(['default', 'ollama', '--yes'], { env: sandboxEnv(sb, { CODEX_HOME: home }) });
    const text = fs.readFileSync(cfg, 'utf8');
    if (r.code === 0) {
      expect(text).toBe(CONFIG.replace('model = "o3"\n', 'model = "o3"\noss_provider = "ollama"\n'));
    } else {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/disk is full|ENOSPC/) });
      expect(text).toBe(CONFIG);
    }
    expect(fs.readdirSync(home).filter((f) => f.includes('.codex-profiles-'))).toEqual([]);
    outcomes.push(`${freeKb}KB:${r.code}${r.code === 2 ? (/could not save the backup/.test(r.stderr) ? '(backup)' : '(write)') : ''}`);
  }
  // Both sides were reached: the disk was really too full at first, and roomy enough at last.
  expect(outcomes[0]).toMatch(/^0KB:2/);
  expect(outcomes[outcomes.length - 1]).toBe('64KB:0');
}, 120_000);
