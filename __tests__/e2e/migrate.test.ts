/**
 * `codex-profiles migrate` as a user runs it: the built CLI (dist/) in a temporary CODEX_HOME and
 * HOME. Target layouts are given with --to (a --codex-bin that does not exist keeps PATH's codex,
 * if any, out of it), except where the default (what the installed Codex reads) is under test:
 * that uses the real pinned binaries. Runs of Codex itself are in version-matrix.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseJson, runCli } from '../helpers/cli.js';
import { CODEX_BINS } from '../helpers/codex-bins.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
});
afterEach(() => sb.cleanup());

const p = (name: string) => path.join(sb.codexHome, name);
const read = (name: string) => fs.readFileSync(p(name), 'utf8');
const write = (name: string, text: string) => fs.writeFileSync(p(name), text);
const profileFiles = () => fs.readdirSync(sb.codexHome).filter((f) => f.endsWith('.config.toml')).sort();

function cli(args: string[]) {
  return runCli(args, { env: sandboxEnv(sb) });
}
/** migrate with an explicit target and no codex to detect. */
function migrate(to: 'files' | 'tables', ...args: string[]) {
  return cli(['migrate', '--to', to, '--codex-bin', path.join(sb.root, 'no-codex'), ...args]);
}

const LEGACY = `# my settings
model = "gpt-5"
profile = "local"

[mcp_servers.docs]
command = "docs-mcp"

# Ollama, from a guide for old Codex
[profiles.local]
model_provider = "ollama"
model = "gpt-oss:20b"

[profiles."gpt-oss:20b"]
model_provider = "ollama"
model = "gpt-oss:20b"

[projects."/home/me/src"]
trust_level = "trusted"
`;

test('--help: examples, flags and exit codes', async () => {
  const r = await cli(['migrate', '--help']);
  expect(r.code).toBe(0);
  for (const s of ['--to', '--prefer', '--rename', 'files', 'tables', "'gpt-oss:20b=gpt-oss-20b'", 'migrate --dry-run', 'docs/migration.md']) expect(r.stdout).toContain(s);
});

test('--dry-run: the diff of every file, the selector advice, the rename needed; nothing written (exit 1: one is left)', async () => {
  write('config.toml', LEGACY);
  const r = await migrate('files', '--dry-run');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('• move [profiles.local] to local.config.toml');
  expect(r.stdout).toContain('-profile = "local"');
  expect(r.stdout).toContain('+++ b/local.config.toml');
  expect(r.stdout).toContain('+# Ollama, from a guide for old Codex');
  expect(r.stdout).toContain('Dry run: nothing was written.');
  expect(r.stdout).toContain("alias codex='codex -p local'");
  expect(r.stdout).toContain('codex -p local');
  expect(r.stdout).toContain("--rename 'gpt-oss:20b=gpt-oss-20b'");
  expect(read('config.toml')).toBe(LEGACY);
  expect(profileFiles()).toEqual([]);
});

test('without a terminal and without --yes: refused (exit 2), nothing written', async () => {
  write('config.toml', LEGACY);
  const r = await migrate('files');
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--yes');
  expect(read('config.toml')).toBe(LEGACY);
  expect(profileFiles()).toEqual([]);
});

test('--yes --rename --json: files written, every other byte kept, a backup that restore undoes', async () => {
  write('config.toml', LEGACY);
  const r = await migrate('files', '--yes', '--json', '--rename', 'gpt-oss:20b=gpt-oss-20b');
  expect(r.code).toBe(0);
  const out = parseJson(r);
  expect(out).toMatchObject({ ok: true, to: 'files', applied: true, conflicts: [], left: [], removedEmptyProfilesHeader: false });
  expect(out.backupId).toEqual(expect.any(String));
  expect(out.migrated.map((m: { name: string; target: string }) => [m.name, m.target])).toEqual([
    ['local', 'local'],
    ['gpt-oss:20b', 'gpt-oss-20b'],
  ]);
  expect(out.selector).toMatchObject({ profile: 'local', action: 'removed', run: 'codex -p local', posixAlias: "alias codex='codex -p local'" });
  expect(out.selector.powershell).toContain('-p local @args');
  expect(out.changed.sort()).toEqual([p('config.toml'), p('gpt-oss-20b.config.toml'), p('local.config.toml')]);

  expect(read('config.toml')).toBe('# my settings\nmodel = "gpt-5"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n\n[projects."/home/me/src"]\ntrust_level = "trusted"\n');
  expect(read('local.config.toml')).toBe('# Ollama, from a guide for old Codex\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n');
  expect(read('gpt-oss-20b.config.toml')).toBe('model_provider = "ollama"\nmodel = "gpt-oss:20b"\n');
  expect(fs.statSync(p('local.config.toml')).mode & 0o777).toBe(0o600);

  // Nothing left to do.
  const again = await migrate('files', '--yes', '--json');
  expect(again.code).toBe(0);
  expect(parseJson(again)).toMatchObject({ ok: true, migrated: [], changed: [], applied: false });

  const restore = await cli(['restore', out.backupId, '--yes']);
  expect(restore.code).toBe(0);
  expect(read('config.toml')).toBe(LEGACY);
  expect(profileFiles()).toEqual([]);
});

test('an existing file that differs: both shown, exit 2, nothing written; --prefer picks the winner', async () => {
  write('config.toml', '[profiles.local]\nmodel = "from-table"\n');
  write('local.config.toml', '# mine\nmodel = "from-file"\n');
  const human = await migrate('files', '--yes');
  expect(human.code).toBe(2);
  expect(human.stdout).toContain('the profile exists in both layouts, and they differ');
  expect(human.stdout).toContain('model = "from-table"');
  expect(human.stdout).toContain('model = "from-file"');
  expect(human.stdout).toContain('--prefer table');

  const json = await migrate('files', '--yes', '--json');
  expect(json.code).toBe(2);
  const out = parseJson(json);
  expect(out).toMatchObject({ ok: false, applied: false, error: { exitCode: 2 } });
  expect(out.conflicts).toEqual([expect.objectContaining({ name: 'local', tableText: '[profiles.local]\nmodel = "from-table"\n', fileText: '# mine\nmodel = "from-file"\n' })]);
  expect(read('config.toml')).toBe('[profiles.local]\nmodel = "from-table"\n');
  expect(read('local.config.toml')).toBe('# mine\nmodel = "from-file"\n');

  const fileWins = await migrate('files', '--yes', '--prefer', 'file');
  expect(fileWins.code).toBe(0);
  expect(read('config.toml')).toBe('');
  expect(read('local.config.toml')).toBe('# mine\nmodel = "from-file"\n');
});

test('--prefer table replaces the file with the table text', async () => {
  write('config.toml', 'a = 1\n\n[profiles.local]\nmodel = "from-table"\n');
  write('local.config.toml', 'model = "from-file"\n');
  const r = await migrate('files', '--yes', '--prefer', 'table', '--json');
  expect(r.code).toBe(0);
  expect(parseJson(r).migrated).toEqual([expect.objectContaining({ name: 'local', action: 'replace' })]);
  expect(read('local.config.toml')).toBe('model = "from-table"\n');
  expect(read('config.toml')).toBe('a = 1\n');
});

test('to tables and back: the same bytes', async () => {
  const base = '# base\nmodel = "gpt-5"\n';
  const local = '# Local Ollama\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n\n[tools]\nweb_search = false\n';
  write('config.toml', base);
  write('local.config.toml', local);
  const t = await migrate('tables', '--yes');
  expect(t.code).toBe(0);
  expect(read('config.toml')).toBe(base + '\n# Local Ollama\n[profiles.local]\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n\n[profiles.local.tools]\nweb_search = false\n');
  expect(profileFiles()).toEqual([]);
  const f = await migrate('files', '--yes');
  expect(f.code).toBe(0);
  expect(read('config.toml')).toBe(base);
  expect(read('local.config.toml')).toBe(local);
});

test('usage and config errors: exit 2 with a clear message, nothing written', async () => {
  write('config.toml', LEGACY);
  const badRename = await migrate('files', '--yes', '--rename', 'gpt-oss:20b');
  expect(badRename.code).toBe(2);
  expect(badRename.stderr).toContain('expected OLD=NEW');
  const invalidNew = await migrate('files', '--yes', '--rename', 'gpt-oss:20b=still:bad');
  expect(invalidNew.code).toBe(2);
  expect(invalidNew.stderr).toContain('--rename gpt-oss:20b=still-bad');
  const badTo = await cli(['migrate', '--to', 'sideways']);
  expect(badTo.code).toBe(2);
  expect(read('config.toml')).toBe(LEGACY);

  write('config.toml', 'model = "x"\n[profiles.local\n');
  const broken = await migrate('files', '--yes', '--json');
  expect(broken.code).toBe(2);
  expect(parseJson(broken).error.message).toMatch(/config\.toml:2:\d+: not valid TOML/);
  expect(profileFiles()).toEqual([]);
});

test('no --to: the target is what the installed Codex reads (0.169: files; 0.133: tables)', async () => {
  write('config.toml', '[profiles.local]\nmodel = "m"\n');
  const newer = parseJson(await cli(['migrate', '--codex-bin', CODEX_BINS['0.169'], '--dry-run', '--json']));
  expect(newer).toMatchObject({ to: 'files', codex: { version: '0.169.0', layout: 'file' }, migrated: [expect.objectContaining({ name: 'local' })] });
  const older = await cli(['migrate', '--codex-bin', CODEX_BINS['0.133'], '--dry-run', '--json']);
  expect(older.code).toBe(0);
  expect(parseJson(older)).toMatchObject({ to: 'tables', codex: { version: '0.133.0', layout: 'table' }, migrated: [], changed: [] });
  // --to files against a tables-era Codex: allowed, with a warning on stderr.
  const forced = await cli(['migrate', '--to', 'files', '--codex-bin', CODEX_BINS['0.133'], '--dry-run']);
  expect(forced.code).toBe(0);
  expect(forced.stderr).toContain('--profile-v2');
  const none = await cli(['migrate', '--codex-bin', path.join(sb.root, 'no-codex'), '--dry-run']);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('--to files');
});
