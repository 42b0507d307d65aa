/** `list`, `restore` and the refusal of invalid files, through the built CLI. */
import fs from 'node:fs';
import path from 'node:path';
import { parseJson, runCli } from '../helpers/cli.js';
import { CODEX_BINS } from '../helpers/codex-bins.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
});
afterEach(() => sb.cleanup());

const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sb) });
const cfgPath = () => path.join(sb.codexHome, 'config.toml');

test('list shows both layouts, oss_provider, the legacy selector and unreadable files', async () => {
  fs.writeFileSync(cfgPath(), 'profile = "old"\noss_provider = "ollama"\n\n[profiles.old]\nmodel = "qwen3"\nmodel_provider = "ollama"\n');
  fs.writeFileSync(path.join(sb.codexHome, 'fast.config.toml'), 'model = "gpt-oss:20b"\nmodel_provider = "ollama"\n');
  fs.writeFileSync(path.join(sb.codexHome, 'broken.config.toml'), 'model = \n');
  const r = await cli(['list', '--json']);
  expect(r.code).toBe(0);
  const out = parseJson(r);
  expect(out.ossProvider).toBe('ollama');
  expect(out.profileSelector).toBe('old');
  expect(out.profiles).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'old', layout: 'table', provider: 'ollama', model: 'qwen3', path: cfgPath(), line: 4 }),
      expect.objectContaining({ name: 'fast', layout: 'file', provider: 'ollama', model: 'gpt-oss:20b' }),
    ]),
  );
  expect(out.errors).toEqual([expect.objectContaining({ file: path.join(sb.codexHome, 'broken.config.toml'), line: 1 })]);
  const text = await cli(['list']);
  expect(text.stdout).toMatch(/old\s+table\s+ollama\s+qwen3/);
  expect(text.stdout).toContain('legacy');
  expect(text.stderr).toMatch(/broken\.config\.toml:1:\d+: not valid TOML/);
});

test('an invalid config.toml is never edited: file:line:col, exit 2, bytes untouched', async () => {
  const bad = '# mine\n[mcp_servers.x]\nenv = {"KEY": "$VAL"}\n';
  fs.writeFileSync(cfgPath(), bad);
  const r = await cli(['default', 'ollama', '--yes']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`${cfgPath().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: not valid TOML`));
  expect(fs.readFileSync(cfgPath(), 'utf8')).toBe(bad);
  const j = await cli(['add', 'm', '--provider', 'ollama', '--allow-missing', '--url', 'http://127.0.0.1:9', '--codex-bin', CODEX_BINS['0.133'], '--yes', '--json', '--timeout', '200']);
  expect(j.code).toBe(2);
  expect(parseJson(j)).toMatchObject({ ok: false, error: { exitCode: 2 } });
  expect(fs.readFileSync(cfgPath(), 'utf8')).toBe(bad);
});

test('restore puts back what a run changed, and can itself be undone', async () => {
  const original = '# mine\nmodel = "o3"\n';
  fs.writeFileSync(cfgPath(), original);
  expect((await cli(['default', 'lmstudio', '--yes'])).code).toBe(0);
  const changed = fs.readFileSync(cfgPath(), 'utf8');
  expect(changed).toBe('# mine\nmodel = "o3"\noss_provider = "lmstudio"\n');

  const list = parseJson(await cli(['restore', '--list', '--json']));
  expect(list.backups).toHaveLength(1);
  const dry = await cli(['restore', '--dry-run']);
  expect(dry.stdout).toContain('-oss_provider = "lmstudio"');
  expect(fs.readFileSync(cfgPath(), 'utf8')).toBe(changed);

  expect((await cli(['restore', list.backups[0].id, '--yes'])).code).toBe(0);
  expect(fs.readFileSync(cfgPath(), 'utf8')).toBe(original);
  // Restoring made a backup of its own: restoring the newest one redoes the change.
  expect((await cli(['restore', '--yes'])).code).toBe(0);
  expect(fs.readFileSync(cfgPath(), 'utf8')).toBe(changed);
  expect((await cli(['restore', 'no-such-id', '--yes'])).code).toBe(2);
});

test('a profile file created by a run is removed again by restoring its backup', async () => {
  expect((await cli(['add', 'm:1', '--provider', 'ollama', '--allow-missing', '--url', 'http://127.0.0.1:9', '--codex-bin', CODEX_BINS['0.169'], '--yes', '--timeout', '200'])).code).toBe(0);
  expect(fs.existsSync(path.join(sb.codexHome, 'm-1.config.toml'))).toBe(true);
  expect((await cli(['restore', '--yes'])).code).toBe(0);
  expect(fs.existsSync(path.join(sb.codexHome, 'm-1.config.toml'))).toBe(false);
  expect(fs.existsSync(cfgPath())).toBe(false);
});

test('usage errors exit 2 with a pointer to --help; --help has examples', async () => {
  const r = await cli(['lsit']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('list');
  const h = await cli(['add', '--help']);
  expect(h.code).toBe(0);
  expect(h.stdout).toContain('Examples:');
});

describe('restore trusts no path from a backup manifest (issue 17)', () => {
  const backups = () => path.join(sb.codexHome, 'codex-profiles', 'backups');
  function plant(id: string, createdAt: string, files: { path: string; copy?: string }[], copies: Record<string, string> = {}): void {
    const dir = path.join(backups(), id);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(copies)) fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ id, createdAt, files }));
  }

  test.each([
    ['a file outside CODEX_HOME', (outside: string) => [{ path: outside, copy: '0-x' }]],
    ['a path with ..', (outside: string) => [{ path: path.join(sb.codexHome, '..', path.basename(outside)), copy: '0-x' }]],
    ['a file that is not a config file', () => [{ path: path.join(sb.codexHome, 'auth.json'), copy: '0-x' }]],
    ['a copy outside its folder', () => [{ path: cfgPath(), copy: '../../../../outside.txt' }]],
  ])('a manifest naming %s is refused (exit 2); nothing is written, deleted or copied', async (_, files) => {
    const outside = path.join(sb.home, 'outside.txt');
    fs.writeFileSync(outside, 'precious\n');
    fs.writeFileSync(cfgPath(), 'model = "o3"\n');
    plant('planted', '2030-01-01T00:00:00.000Z', files(outside), { '0-x': 'evil = true\n' });
    const r = await cli(['restore', 'planted', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backup planted cannot be restored: its manifest\.json/);
    expect(fs.readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(fs.readFileSync(cfgPath(), 'utf8')).toBe('model = "o3"\n');
    expect(fs.existsSync(path.join(sb.codexHome, 'auth.json'))).toBe(false);
    // A bare restore does not offer it either.
    expect((await cli(['restore', '--yes'])).code).toBe(2);
    expect(fs.readFileSync(cfgPath(), 'utf8')).toBe('model = "o3"\n');
  });

  test('a bare restore picks the newest backup by its recorded time, not by its name', async () => {
    fs.writeFileSync(cfgPath(), 'now = 1\n');
    plant('zzz-older', '2024-01-01T00:00:00.000Z', [{ path: cfgPath(), copy: '0-config.toml' }], { '0-config.toml': 'older = 1\n' });
    plant('aaa-newer', '2024-06-01T00:00:00.000Z', [{ path: cfgPath(), copy: '0-config.toml' }], { '0-config.toml': 'newer = 1\n' });
    const r = await cli(['restore', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('restore backup aaa-newer');
    expect(fs.readFileSync(cfgPath(), 'utf8')).toBe('newer = 1\n');
  });
});
