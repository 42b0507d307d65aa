/**
 * Several codex-profiles processes writing the same CODEX_HOME at once, and processes killed in
 * the middle of a write: never a lost update, never a torn file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { CLI, runCli } from '../helpers/cli.js';
import { CODEX_BINS } from '../helpers/codex-bins.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
});
afterEach(() => sb.cleanup());

const cfgPath = () => path.join(sb.codexHome, 'config.toml');
const ORIGINAL = '# mine\nmodel = "o3"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n';

function add(name: string) {
  // --allow-missing: nothing listens on this port; the write path is what is under test.
  return runCli(
    ['add', `model-${name}`, '--provider', 'ollama', '--url', 'http://127.0.0.1:9', '--allow-missing', '--name', name, '--codex-bin', CODEX_BINS['0.133'], '--yes', '--timeout', '200'],
    { env: sandboxEnv(sb) },
  );
}

test('parallel adds to one config.toml: every success is present, failures say why, the file is whole', async () => {
  fs.writeFileSync(cfgPath(), ORIGINAL);
  const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
  const results = await Promise.all(names.map(add));
  const data = parse(fs.readFileSync(cfgPath(), 'utf8')) as { profiles?: Record<string, { model: string }> };
  const present = Object.keys(data.profiles ?? {}).sort();
  const succeeded = names.filter((_, i) => results[i]!.code === 0).sort();
  // No lost update: every run that said it wrote, did (the runs' output is shown if not).
  expect({ present, runs: results.map((r, i) => ({ name: names[i], code: r.code, stderr: r.stderr })) }).toEqual({
    present: succeeded,
    runs: expect.any(Array),
  });
  expect(succeeded.length).toBeGreaterThanOrEqual(1);
  for (const [i, r] of results.entries()) {
    if (r.code === 0) continue;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/changed while codex-profiles was working|another codex-profiles run is changing/);
    expect(present).not.toContain(names[i]);
  }
  expect(fs.readFileSync(cfgPath(), 'utf8').startsWith('# mine\nmodel = "o3"\n')).toBe(true);

  // Those that lost the race succeed when run again, one by one.
  for (const name of names.filter((n) => !succeeded.includes(n))) expect((await add(name)).code).toBe(0);
  expect(Object.keys((parse(fs.readFileSync(cfgPath(), 'utf8')) as { profiles: object }).profiles).sort()).toEqual(names);
});

test('parallel adds of per-profile files all land', async () => {
  const names = ['f1', 'f2', 'f3', 'f4', 'f5'];
  const results = await Promise.all(
    names.map((name) =>
      runCli(['add', `m-${name}`, '--provider', 'ollama', '--url', 'http://127.0.0.1:9', '--allow-missing', '--name', name, '--codex-bin', CODEX_BINS['0.169'], '--yes', '--timeout', '200', '--context-window', '0'], {
        env: sandboxEnv(sb),
      }),
    ),
  );
  for (const [i, r] of results.entries()) {
    if (r.code !== 0) expect(r.stderr).toMatch(/changed while codex-profiles was working|another codex-profiles run is changing/);
    else expect(parse(fs.readFileSync(path.join(sb.codexHome, `${names[i]}.config.toml`), 'utf8'))).toMatchObject({ model: `m-${names[i]}` });
  }
  expect(results.filter((r) => r.code === 0).length).toBeGreaterThanOrEqual(1);
});

test('a process killed mid-write leaves either the old or the new file, never a torn one', async () => {
  // A large config (about 2 MB) keeps the write open long enough to kill the process inside it:
  // we watch for write-file-atomic's temporary file and kill as soon as it appears.
  const filler = Array.from({ length: 25_000 }, (_, i) => `[projects."/work/repo-${i}"]\ntrust_level = "trusted" # ${'x'.repeat(40)}\n`).join('\n');
  const original = ORIGINAL + '\n' + filler;
  fs.writeFileSync(cfgPath(), original);
  let killedMidWrite = 0;
  for (let i = 0; i < 3; i++) {
    const before = fs.readFileSync(cfgPath(), 'utf8');
    const child = spawn(process.execPath, [CLI, 'add', `kill-${i}`, '--provider', 'ollama', '--url', 'http://127.0.0.1:9', '--allow-missing', '--name', `k${i}`, '--codex-bin', CODEX_BINS['0.133'], '--yes', '--timeout', '100'], {
      env: sandboxEnv(sb),
      stdio: 'ignore',
    });
    const closed = new Promise((r) => child.on('close', r));
    let done = false;
    void closed.then(() => (done = true));
    while (!done) {
      if (fs.readdirSync(sb.codexHome).some((f) => f.startsWith('config.toml.'))) {
        child.kill('SIGKILL');
        killedMidWrite++;
        break;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await closed;
    const after = fs.readFileSync(cfgPath(), 'utf8');
    const data = parse(after) as { profiles?: Record<string, unknown> };
    if (after !== before) {
      // The new file is exactly the old one plus this run's profile.
      expect(Object.keys(data.profiles ?? {})).toContain(`k${i}`);
      expect(after.startsWith(before.trimEnd())).toBe(true);
    }
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    // The killed run's lock would go stale by itself after a few seconds; don't wait for it here.
    fs.rmSync(path.join(sb.codexHome, 'codex-profiles', 'write.lock'), { recursive: true, force: true });
    for (const f of fs.readdirSync(sb.codexHome)) if (f.startsWith('config.toml.')) fs.rmSync(path.join(sb.codexHome, f));
  }
  expect(killedMidWrite).toBeGreaterThanOrEqual(1);
}, 120_000);
