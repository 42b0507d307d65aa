import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { applyChanges } from '../../../src/write/safe-write.js';
import { BACKUPS_KEPT, backupContents, listBackups } from '../../../src/write/backup.js';
import { stateDir } from '../../../src/write/state-dir.js';
import { loadHome } from '../../../src/config/profiles.js';
import { planWriteProfile, planSetTopLevel } from '../../../src/config/profile-writer.js';
import { applyPlan, emptyPlan } from '../../../src/write/plan.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

let dir: string;
let home: string;
beforeEach(() => {
  dir = makeTempDir();
  home = path.join(dir, 'codex');
});
afterEach(() => removeDir(dir));

const mode = (p: string) => fs.statSync(p).mode & 0o777;

test('a missing CODEX_HOME is created (0700) with config.toml (0600) only when there is something to write', async () => {
  await applyChanges(home, []);
  expect(fs.existsSync(home)).toBe(false);
  const cfg = path.join(home, 'config.toml');
  await applyChanges(home, [{ path: cfg, before: null, after: 'oss_provider = "ollama"\n' }]);
  expect(fs.readFileSync(cfg, 'utf8')).toBe('oss_provider = "ollama"\n');
  expect(mode(home)).toBe(0o700);
  expect(mode(cfg)).toBe(0o600);
});

test('the file mode is kept (0640 stays 0640)', async () => {
  fs.mkdirSync(home);
  const cfg = path.join(home, 'config.toml');
  fs.writeFileSync(cfg, 'a = 1\n');
  fs.chmodSync(cfg, 0o640);
  await applyChanges(home, [{ path: cfg, before: 'a = 1\n', after: 'a = 2\n' }]);
  expect(fs.readFileSync(cfg, 'utf8')).toBe('a = 2\n');
  expect(mode(cfg)).toBe(0o640);
});

test('a symlinked config.toml stays a symlink; the target gets the new text', async () => {
  fs.mkdirSync(home);
  const dotfiles = path.join(dir, 'dotfiles');
  fs.mkdirSync(dotfiles);
  const target = path.join(dotfiles, 'codex.toml');
  fs.writeFileSync(target, 'a = 1\n');
  const link = path.join(home, 'config.toml');
  fs.symlinkSync(target, link);
  await applyChanges(home, [{ path: link, before: 'a = 1\n', after: 'a = 1\nb = 2\n' }]);
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(target, 'utf8')).toBe('a = 1\nb = 2\n');
});

test('a file changed by someone else since it was read is not written', async () => {
  fs.mkdirSync(home);
  const cfg = path.join(home, 'config.toml');
  fs.writeFileSync(cfg, 'a = 1\n# edited meanwhile\n');
  await expect(applyChanges(home, [{ path: cfg, before: 'a = 1\n', after: 'a = 2\n' }])).rejects.toThrow(/changed while codex-profiles was working/);
  expect(fs.readFileSync(cfg, 'utf8')).toBe('a = 1\n# edited meanwhile\n');
});

test('a held lock makes a second run fail with a clear message, writing nothing', async () => {
  fs.mkdirSync(path.join(home, 'codex-profiles'), { recursive: true });
  const release = await lockfile.lock(stateDir(home), { lockfilePath: path.join(stateDir(home), 'write.lock'), realpath: false });
  try {
    const cfg = path.join(home, 'config.toml');
    await expect(applyChanges(home, [{ path: cfg, before: null, after: 'a = 1\n' }], { lockWaitMs: 300 })).rejects.toThrow(
      /another codex-profiles run is changing/,
    );
    expect(fs.existsSync(cfg)).toBe(false);
  } finally {
    await release();
  }
});

test('every run is backed up first; backups hold the old bytes and are pruned', async () => {
  fs.mkdirSync(home);
  const cfg = path.join(home, 'config.toml');
  let text = '# v0\n';
  fs.writeFileSync(cfg, text);
  for (let i = 1; i <= BACKUPS_KEPT + 3; i++) {
    const next = `# v${i}\n`;
    await applyChanges(home, [{ path: cfg, before: text, after: next }]);
    text = next;
  }
  const backups = await listBackups(home);
  expect(backups).toHaveLength(BACKUPS_KEPT);
  const newest = await backupContents(home, backups[0]!.id);
  expect(newest).toEqual([{ path: cfg, content: `# v${BACKUPS_KEPT + 2}\n` }]);
  const oldest = await backupContents(home, backups[backups.length - 1]!.id);
  expect(oldest[0]!.content).toBe('# v3\n');
});

test('when a later file fails, the earlier ones are put back', async () => {
  fs.mkdirSync(home);
  const cfg = path.join(home, 'config.toml');
  fs.writeFileSync(cfg, 'a = 1\n');
  fs.writeFileSync(path.join(home, 'plain-file'), '');
  const blocked = path.join(home, 'plain-file', 'x.config.toml'); // its folder is a file: the write fails
  await expect(
    applyChanges(home, [
      { path: cfg, before: 'a = 1\n', after: 'a = 2\n' },
      { path: blocked, before: null, after: 'model = "m"\n' },
    ]),
  ).rejects.toThrow(/put back/);
  expect(fs.readFileSync(cfg, 'utf8')).toBe('a = 1\n');
});

test('BOM, CRLF and a missing final newline survive a real plan/apply', async () => {
  fs.mkdirSync(home);
  const cfg = path.join(home, 'config.toml');
  const original = '\uFEFF# mine\r\nmodel = "o3"\r\n\r\n[mcp_servers.x]\r\ncommand = "y"';
  fs.writeFileSync(cfg, original);
  const state = await loadHome(home);
  const plan = emptyPlan(home);
  planSetTopLevel(plan, state, 'oss_provider', 'ollama');
  planWriteProfile(plan, state, { name: 'fast', kind: 'ollama', provider: 'ollama', model: 'gpt-oss:20b' }, 'table');
  await applyPlan(plan);
  const out = fs.readFileSync(cfg, 'utf8');
  expect(out.startsWith('\uFEFF# mine\r\nmodel = "o3"\r\noss_provider = "ollama"\r\n\r\n[mcp_servers.x]\r\ncommand = "y"\r\n\r\n')).toBe(true);
  expect(out).not.toMatch(/[^\r]\n/);
  expect(out.endsWith('model = "gpt-oss:20b"')).toBe(true);
});
