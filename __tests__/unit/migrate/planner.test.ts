/**
 * planMigration: HomeState + options -> Plan + report. Homes are real temporary folders read by
 * loadHome; plans are applied with applyPlan (the same path the command takes) where a test
 * needs the result on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planMigration, type MigrateOptions, type MigrationResult } from '../../../src/plan/migrate.js';
import { applyPlan, effectiveChanges } from '../../../src/write/plan.js';
import { loadHome, type HomeState } from '../../../src/config/profiles.js';
import { parseToml, sameData } from '../../../src/config/toml.js';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

let dir: string;
let home: string;
beforeEach(() => {
  dir = makeTempDir('cp-migrate-');
  home = path.join(dir, 'codex');
  fs.mkdirSync(home);
});
afterEach(() => removeDir(dir));

const cfgPath = () => path.join(home, 'config.toml');
const filePath = (name: string) => path.join(home, `${name}.config.toml`);
const read = (name: string) => fs.readFileSync(path.join(home, name), 'utf8');

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(home, name), text);
}

async function plan(files: Record<string, string>, opts: MigrateOptions): Promise<MigrationResult & { state: HomeState }> {
  write(files);
  const state = await loadHome(home);
  return { ...planMigration(state, opts), state };
}

/** What the plan would leave in a file (undefined: unchanged; null: deleted). */
function after(r: MigrationResult, file: string): string | null | undefined {
  const c = effectiveChanges(r.plan).find((x) => x.path === file);
  return c === undefined ? undefined : c.after;
}

const PROVIDER = '[model_providers.fake]\nname = "fake"\nbase_url = "http://127.0.0.1:9/v1"\nwire_api = "responses"\n';

const LEGACY = [
  '# My Codex config',
  'model = "gpt-5"',
  'model_provider = "fake"',
  'profile = "local"',
  '',
  PROVIDER.trimEnd(),
  '',
  '[mcp_servers.docs]',
  'command = "docs-server"',
  'args = ["--port", "3000"]   # keep this comment',
  '',
  '# Local Ollama model',
  '# (from an old guide)',
  '[profiles.local]',
  'model_provider = "ollama"',
  'model = "gpt-oss:20b"',
  'model_context_window = 65536',
  '',
  '[profiles.local.tools]',
  'web_search = false',
  '',
  '[profiles.lm]',
  'model_provider = "fake"   # defined above',
  'model = "qwen/qwen3-coder-30b"',
  '',
  '[projects."/home/me/work"]',
  'trust_level = "trusted"',
  '',
].join('\n');

/** LEGACY with the two profile tables and the selector cut out, nothing else touched. */
const LEGACY_AFTER = [
  '# My Codex config',
  'model = "gpt-5"',
  'model_provider = "fake"',
  '',
  PROVIDER.trimEnd(),
  '',
  '[mcp_servers.docs]',
  'command = "docs-server"',
  'args = ["--port", "3000"]   # keep this comment',
  '',
  '[projects."/home/me/work"]',
  'trust_level = "trusted"',
  '',
].join('\n');

describe('to files', () => {
  test('each table becomes NAME.config.toml with its comments and bytes; config.toml keeps every other byte', async () => {
    const r = await plan({ 'config.toml': LEGACY }, { to: 'files' });
    expect(r.report.conflicts).toEqual([]);
    expect(r.report.left).toEqual([]);
    expect(after(r, cfgPath())).toBe(LEGACY_AFTER);
    expect(after(r, filePath('local'))).toBe(
      '# Local Ollama model\n# (from an old guide)\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\nmodel_context_window = 65536\n\n[tools]\nweb_search = false\n',
    );
    expect(after(r, filePath('lm'))).toBe('model_provider = "fake"   # defined above\nmodel = "qwen/qwen3-coder-30b"\n');
    expect(r.report.migrated.map((m) => [m.name, m.target, m.action, m.to])).toEqual([
      ['local', 'local', 'move', filePath('local')],
      ['lm', 'lm', 'move', filePath('lm')],
    ]);
    // Data: the same keys and values, and the provider reference still resolves from config.toml.
    for (const name of ['local', 'lm']) {
      expect(sameData(parseToml(after(r, filePath(name))!, 'f'), (r.state.config!.data.profiles as Record<string, unknown>)[name])).toBe(true);
    }
    const cfg = parseToml(after(r, cfgPath())!, 'c');
    expect(cfg.model_providers).toEqual({ fake: { name: 'fake', base_url: 'http://127.0.0.1:9/v1', wire_api: 'responses' } });
    expect(cfg.profiles).toBeUndefined();
    expect(cfg.profile).toBeUndefined();
  });

  test('the plan is what gets written: apply, then nothing is left to migrate', async () => {
    const r = await plan({ 'config.toml': LEGACY }, { to: 'files' });
    const result = await applyPlan(r.plan);
    expect(result.written.sort()).toEqual([cfgPath(), filePath('lm'), filePath('local')].sort());
    expect(result.backupId).toEqual(expect.any(String));
    expect(read('config.toml')).toBe(LEGACY_AFTER);
    const again = planMigration(await loadHome(home), { to: 'files' });
    expect(effectiveChanges(again.plan)).toEqual([]);
    expect(again.report).toMatchObject({ migrated: [], conflicts: [], left: [] });
    expect(again.report.selector).toBeUndefined();
  });

  test('a provider sub-table of the profile becomes [model_providers.ID] in the file', async () => {
    const config = 'model = "gpt-5"\n\n[profiles.p]\nmodel = "m"\nmodel_provider = "mine"\n\n# my server\n[profiles.p.model_providers.mine]\nname = "mine"\nbase_url = "http://127.0.0.1:9/v1"\n';
    const r = await plan({ 'config.toml': config }, { to: 'files' });
    expect(after(r, filePath('p'))).toBe('model = "m"\nmodel_provider = "mine"\n\n# my server\n[model_providers.mine]\nname = "mine"\nbase_url = "http://127.0.0.1:9/v1"\n');
    expect(after(r, cfgPath())).toBe('model = "gpt-5"\n');
  });

  describe('the profile = "X" selector', () => {
    test('is removed, with the advice for the same default (codex -p X, alias, PowerShell)', async () => {
      const r = await plan({ 'config.toml': LEGACY }, { to: 'files' });
      expect(r.report.selector).toEqual({
        profile: 'local',
        target: 'local',
        action: 'removed',
        why: expect.stringContaining('codex -p local'),
        run: 'codex -p local',
        posixAlias: "alias codex='codex -p local'",
        powershell: expect.stringContaining('-p local @args'),
      });
      expect(r.plan.summary).toContain('remove profile = "local" from config.toml (use `codex -p local` instead)');
    });

    test('alone (its profile already a file): removed, advice given', async () => {
      const r = await plan({ 'config.toml': 'profile = "local"\nmodel = "gpt-5"\n', 'local.config.toml': 'model = "m"\n' }, { to: 'files' });
      expect(after(r, cfgPath())).toBe('model = "gpt-5"\n');
      expect(r.report.selector).toMatchObject({ action: 'removed', run: 'codex -p local' });
      expect(r.report.selector!.dangling).toBeUndefined();
      expect(r.report.migrated).toEqual([]);
    });

    test('pointing at no profile at all: removed and marked dangling', async () => {
      const r = await plan({ 'config.toml': 'profile = "ghost"\nmodel = "gpt-5"\n' }, { to: 'files' });
      expect(after(r, cfgPath())).toBe('model = "gpt-5"\n');
      expect(r.report.selector).toMatchObject({ action: 'removed', dangling: true, profile: 'ghost' });
    });

    test('follows a rename: the advice names the new profile', async () => {
      const r = await plan({ 'config.toml': 'profile = "gpt-oss:20b"\n\n[profiles."gpt-oss:20b"]\nmodel = "gpt-oss:20b"\n' }, { to: 'files', renames: { 'gpt-oss:20b': 'oss' } });
      expect(after(r, cfgPath())).toBe('');
      expect(after(r, filePath('oss'))).toBe('model = "gpt-oss:20b"\n');
      expect(r.report.selector).toMatchObject({ profile: 'gpt-oss:20b', target: 'oss', action: 'removed', run: 'codex -p oss' });
    });

    test('is kept (never dropped silently) while the table it selects stays behind', async () => {
      const config = 'profile = "gpt-oss:20b"\n\n[profiles."gpt-oss:20b"]\nmodel = "gpt-oss:20b"\n';
      const r = await plan({ 'config.toml': config }, { to: 'files' });
      expect(effectiveChanges(r.plan)).toEqual([]);
      expect(r.report.selector).toMatchObject({ action: 'kept', profile: 'gpt-oss:20b' });
      expect(r.report.left.map((l) => l.reason).sort()).toEqual(['invalid-name', 'selector']);
    });

    test('to tables: kept as it is', async () => {
      const r = await plan({ 'config.toml': 'profile = "local"\n', 'local.config.toml': 'model = "m"\n' }, { to: 'tables' });
      expect(after(r, cfgPath())).toBe('profile = "local"\n\n[profiles.local]\nmodel = "m"\n');
      expect(r.report.selector).toMatchObject({ action: 'kept', profile: 'local' });
    });
  });

  describe('an existing NAME.config.toml', () => {
    const config = 'model = "gpt-5"\n\n[profiles.local]\nmodel = "from-table"\n';

    test('with the same settings: only the table goes, the file is untouched', async () => {
      const r = await plan({ 'config.toml': config, 'local.config.toml': '# mine\nmodel   =   "from-table"\n' }, { to: 'files' });
      expect(after(r, cfgPath())).toBe('model = "gpt-5"\n');
      expect(after(r, filePath('local'))).toBeUndefined();
      expect(r.report.migrated).toEqual([expect.objectContaining({ name: 'local', action: 'same' })]);
    });

    test('that differs: a conflict showing both; nothing is planned at all', async () => {
      const r = await plan({ 'config.toml': config + '\n[profiles.other]\nmodel = "o"\n', 'local.config.toml': 'model = "from-file"\n' }, { to: 'files' });
      expect(r.report.conflicts).toEqual([
        {
          name: 'local',
          target: 'local',
          tablePath: cfgPath(),
          tableLine: 3,
          tableText: '[profiles.local]\nmodel = "from-table"\n',
          filePath: filePath('local'),
          fileText: 'model = "from-file"\n',
        },
      ]);
      expect(effectiveChanges(r.plan)).toEqual([]);
      expect(r.plan.summary).toEqual([]);
    });

    test('--prefer table: the file gets the table text (the old file goes to the backup)', async () => {
      const r = await plan({ 'config.toml': config, 'local.config.toml': 'model = "from-file"\n' }, { to: 'files', prefer: 'table' });
      expect(after(r, filePath('local'))).toBe('model = "from-table"\n');
      expect(after(r, cfgPath())).toBe('model = "gpt-5"\n');
      expect(r.report.migrated[0]).toMatchObject({ action: 'replace' });
      const result = await applyPlan(r.plan);
      const { backupContents } = await import('../../../src/write/backup.js');
      const saved = await backupContents(home, result.backupId!);
      expect(saved.find((f) => f.path === filePath('local'))?.content).toBe('model = "from-file"\n');
    });

    test('--prefer file: the file stays as it is, the table goes', async () => {
      const r = await plan({ 'config.toml': config, 'local.config.toml': 'model = "from-file"\n' }, { to: 'files', prefer: 'file' });
      expect(after(r, filePath('local'))).toBeUndefined();
      expect(after(r, cfgPath())).toBe('model = "gpt-5"\n');
      expect(r.report.migrated[0]).toMatchObject({ action: 'keep-target' });
    });

    test('a per-profile choice beats --prefer; "skip" leaves both and reports it', async () => {
      const files = { 'config.toml': config + '\n[profiles.b]\nmodel = "tb"\n', 'local.config.toml': 'model = "from-file"\n', 'b.config.toml': 'model = "fb"\n' };
      const r = await plan(files, { to: 'files', prefer: 'table', choices: { local: 'skip' } });
      expect(r.report.conflicts).toEqual([]);
      expect(r.report.left).toEqual([expect.objectContaining({ name: 'local', reason: 'conflict-skipped' })]);
      expect(after(r, filePath('local'))).toBeUndefined();
      expect(after(r, filePath('b'))).toBe('model = "tb"\n');
      expect(after(r, cfgPath())).toBe(config);
    });

    test('that is not valid TOML: a conflict (marked), which --prefer table resolves by replacing it', async () => {
      const r = await plan({ 'config.toml': config, 'local.config.toml': 'model = \n' }, { to: 'files' });
      expect(r.report.conflicts).toEqual([expect.objectContaining({ name: 'local', fileInvalid: true, fileText: 'model = \n' })]);
      const fixed = planMigration(r.state, { to: 'files', prefer: 'table' });
      expect(after(fixed, filePath('local'))).toBe('model = "from-table"\n');
    });
  });

  describe('names', () => {
    const config = '[profiles."gpt-oss:20b"]\nmodel = "gpt-oss:20b"\n\n[profiles.ok]\nmodel = "m"\n';

    test('invalid names are reported with a suggested rename and left in place; the rest moves', async () => {
      const r = await plan({ 'config.toml': config }, { to: 'files' });
      expect(r.report.left).toEqual([
        {
          name: 'gpt-oss:20b',
          reason: 'invalid-name',
          suggestion: 'gpt-oss-20b',
          message: expect.stringContaining("--rename 'gpt-oss:20b=gpt-oss-20b'"),
        },
      ]);
      expect(after(r, cfgPath())).toBe('[profiles."gpt-oss:20b"]\nmodel = "gpt-oss:20b"\n');
      expect(after(r, filePath('ok'))).toBe('model = "m"\n');
    });

    test('suggestions do not collide with existing profiles', async () => {
      const r = await plan({ 'config.toml': config, 'gpt-oss-20b.config.toml': 'model = "x"\n' }, { to: 'files' });
      expect(r.report.left[0]).toMatchObject({ suggestion: 'gpt-oss-20b-2' });
    });

    test('--rename OLD=NEW writes NEW.config.toml', async () => {
      const r = await plan({ 'config.toml': config }, { to: 'files', renames: { 'gpt-oss:20b': 'gpt-oss-20b' } });
      expect(r.report.left).toEqual([]);
      expect(after(r, filePath('gpt-oss-20b'))).toBe('model = "gpt-oss:20b"\n');
      expect(after(r, cfgPath())).toBe('');
      expect(r.report.migrated.map((m) => [m.name, m.target])).toEqual([
        ['gpt-oss:20b', 'gpt-oss-20b'],
        ['ok', 'ok'],
      ]);
    });

    test('a rename onto an existing, different file is a conflict like any other', async () => {
      const r = await plan({ 'config.toml': config, 'oss.config.toml': 'model = "other"\n' }, { to: 'files', renames: { 'gpt-oss:20b': 'oss' } });
      expect(r.report.conflicts).toEqual([expect.objectContaining({ name: 'gpt-oss:20b', target: 'oss' })]);
    });

    test('two tables that would become the same file: the second is left, with a suggestion', async () => {
      const r = await plan({ 'config.toml': config }, { to: 'files', renames: { 'gpt-oss:20b': 'ok' } });
      expect(r.report.left).toEqual([expect.objectContaining({ name: 'ok', reason: 'name-clash', suggestion: 'ok-2' })]);
      expect(after(r, filePath('ok'))).toBe('model = "gpt-oss:20b"\n');
      // removeTable takes a table with the blank line before it; the first table has none.
      expect(after(r, cfgPath())).toBe('\n[profiles.ok]\nmodel = "m"\n');
    });

    test('bad --rename flags are usage errors', async () => {
      write({ 'config.toml': config });
      const state = await loadHome(home);
      expect(() => planMigration(state, { to: 'files', renames: { 'gpt-oss:20b': 'still:bad' } })).toThrow(UsageError);
      try {
        planMigration(state, { to: 'files', renames: { 'gpt-oss:20b': 'still:bad' } });
      } catch (err) {
        expect((err as UsageError).hint).toBe('Try --rename gpt-oss:20b=still-bad.');
        expect((err as UsageError).exitCode).toBe(2);
      }
      expect.assertions(5);
      expect(() => planMigration(state, { to: 'files', renames: { nosuch: 'x' } })).toThrow(/no \[profiles.nosuch\] table/);
      expect(() => planMigration(state, { to: 'tables', renames: { nosuch: 'x' } })).toThrow(/no nosuch.config.toml/);
    });
  });

  describe('shapes and the [profiles] header', () => {
    test('an inline table under [profiles] moves (generated text); the emptied header goes', async () => {
      const r = await plan({ 'config.toml': 'a = 1\n\n# legacy\n[profiles]\ninl = { model = "m", tools = { web_search = true } }\n' }, { to: 'files' });
      expect(after(r, filePath('inl'))).toBe('model = "m"\n\n[tools]\nweb_search = true\n');
      expect(after(r, cfgPath())).toBe('a = 1\n');
      expect(r.report.removedEmptyProfilesHeader).toBe(true);
    });

    test('dotted keys at the top level are left in place with a clear reason', async () => {
      const config = 'profiles.dot.model = "m"\n\n[profiles.ok]\nmodel = "o"\n';
      const r = await plan({ 'config.toml': config }, { to: 'files' });
      expect(r.report.left).toEqual([expect.objectContaining({ name: 'dot', reason: 'shape', message: expect.stringContaining('dotted keys') })]);
      expect(after(r, filePath('ok'))).toBe('model = "o"\n');
      expect(after(r, cfgPath())).toBe('profiles.dot.model = "m"\n');
    });

    test('a profile whose sub-table sits elsewhere in the file is left in place', async () => {
      const config = '[profiles.split]\nmodel = "m"\n\n[other]\nx = 1\n\n[profiles.split.tools]\nweb_search = true\n';
      const r = await plan({ 'config.toml': config }, { to: 'files' });
      expect(r.report.left).toEqual([expect.objectContaining({ name: 'split', reason: 'shape', message: expect.stringContaining('split across the file') })]);
      expect(effectiveChanges(r.plan)).toEqual([]);
    });

    test('an empty [profiles] header stays while a table is left under it', async () => {
      const config = '[profiles]\n\n[profiles."a:b"]\nmodel = "x"\n\n[profiles.ok]\nmodel = "o"\n';
      const r = await plan({ 'config.toml': config }, { to: 'files' });
      expect(after(r, cfgPath())).toBe('[profiles]\n\n[profiles."a:b"]\nmodel = "x"\n');
      expect(r.report.removedEmptyProfilesHeader).toBe(false);
    });

    test('a [profiles] header with keys of its own stays', async () => {
      const r = await plan({ 'config.toml': '[profiles]\nnote = "x"\n\n[profiles.ok]\nmodel = "o"\n' }, { to: 'files' });
      expect(after(r, cfgPath())).toBe('[profiles]\nnote = "x"\n');
      expect(r.report.removedEmptyProfilesHeader).toBe(false);
    });

    test('BOM and CRLF: config.toml keeps both, the file carries CRLF', async () => {
      const config = '\uFEFF# top\r\nmodel = "gpt-5"\r\n\r\n# local\r\n[profiles.local]\r\nmodel = "m"\r\n\r\n[tui]\r\nx = 1\r\n';
      const r = await plan({ 'config.toml': config }, { to: 'files' });
      expect(after(r, cfgPath())).toBe('\uFEFF# top\r\nmodel = "gpt-5"\r\n\r\n[tui]\r\nx = 1\r\n');
      expect(after(r, filePath('local'))).toBe('# local\r\nmodel = "m"\r\n');
    });

    test('config.toml that is not valid TOML is refused (exit 2), naming file:line', async () => {
      write({ 'config.toml': 'a = 1\n[profiles.x\n' });
      const state = await loadHome(home);
      expect(() => planMigration(state, { to: 'files' })).toThrow(ConfigError);
      expect(() => planMigration(state, { to: 'files' })).toThrow(/config\.toml:2:/);
    });

    test('nothing to do: no tables, no selector', async () => {
      const r = await plan({ 'config.toml': 'model = "x"\n', 'a.config.toml': 'model = "a"\n' }, { to: 'files' });
      expect(effectiveChanges(r.plan)).toEqual([]);
      expect(r.report).toEqual({ to: 'files', migrated: [], conflicts: [], left: [], removedEmptyProfilesHeader: false });
    });
  });
});

describe('to tables', () => {
  test('each file becomes [profiles.NAME] after the other profile tables, with its comments; the file is deleted', async () => {
    const config = 'model = "gpt-5"\n\n[profiles.old]\nmodel = "o"\n\n[tui]\nx = 1\n';
    const r = await plan(
      { 'config.toml': config, 'local.config.toml': '# Local Ollama\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n\n[tools]\nweb_search = false\n' },
      { to: 'tables' },
    );
    expect(after(r, cfgPath())).toBe(
      'model = "gpt-5"\n\n[profiles.old]\nmodel = "o"\n\n# Local Ollama\n[profiles.local]\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n\n[profiles.local.tools]\nweb_search = false\n\n[tui]\nx = 1\n',
    );
    expect(after(r, filePath('local'))).toBeNull();
    expect(r.report.migrated).toEqual([{ name: 'local', target: 'local', from: filePath('local'), to: '[profiles.local] in config.toml', action: 'move' }]);
  });

  test('without a config.toml: one is created', async () => {
    const r = await plan({ 'p.config.toml': 'model = "m"\n' }, { to: 'tables' });
    expect(r.plan.changes.find((c) => c.path === cfgPath())).toEqual({ path: cfgPath(), before: null, after: '[profiles.p]\nmodel = "m"\n' });
  });

  test('provider tables in the file move to the top level of config.toml (tables-era Codex only reads them there)', async () => {
    const file = 'model = "m"\nmodel_provider = "mine"\n\n# my box\n[model_providers.mine]\nname = "mine"\nbase_url = "http://127.0.0.1:9/v1"\n';
    const r = await plan({ 'config.toml': 'model = "gpt-5"\n\n' + PROVIDER, 'p.config.toml': file }, { to: 'tables' });
    expect(after(r, cfgPath())).toBe(
      'model = "gpt-5"\n\n' + PROVIDER + '\n# my box\n[model_providers.mine]\nname = "mine"\nbase_url = "http://127.0.0.1:9/v1"\n\n[profiles.p]\nmodel = "m"\nmodel_provider = "mine"\n',
    );
    expect(r.report.migrated[0]!.providers).toEqual(['mine']);
  });

  test('a provider already in config.toml with the same settings is not added twice', async () => {
    const r = await plan({ 'config.toml': PROVIDER, 'p.config.toml': 'model_provider = "fake"\n\n' + PROVIDER }, { to: 'tables' });
    expect(after(r, cfgPath())).toBe(PROVIDER + '\n[profiles.p]\nmodel_provider = "fake"\n');
    expect(r.report.migrated[0]!.providers).toBeUndefined();
  });

  test('a provider id defined differently in config.toml: the profile is left, with why', async () => {
    const r = await plan({ 'config.toml': PROVIDER, 'p.config.toml': 'model_provider = "fake"\n\n[model_providers.fake]\nname = "other"\n' }, { to: 'tables' });
    expect(r.report.left).toEqual([expect.objectContaining({ name: 'p', reason: 'provider-clash' })]);
    expect(effectiveChanges(r.plan)).toEqual([]);
  });

  test('conflicts: same settings delete the file only; different ones stop; --prefer decides', async () => {
    const config = '[profiles.p]\nmodel = "table"\n';
    const same = await plan({ 'config.toml': config, 'p.config.toml': 'model = "table"\n' }, { to: 'tables' });
    expect(after(same, cfgPath())).toBeUndefined();
    expect(after(same, filePath('p'))).toBeNull();
    expect(same.report.migrated[0]).toMatchObject({ action: 'same' });

    write({ 'p.config.toml': '# file wins\nmodel = "file"\n' });
    const state = await loadHome(home);
    const stop = planMigration(state, { to: 'tables' });
    expect(stop.report.conflicts).toEqual([expect.objectContaining({ name: 'p', tableText: config, fileText: '# file wins\nmodel = "file"\n', tableLine: 1 })]);
    expect(effectiveChanges(stop.plan)).toEqual([]);

    const fileWins = planMigration(state, { to: 'tables', prefer: 'file' });
    expect(after(fileWins, cfgPath())).toBe('# file wins\n[profiles.p]\nmodel = "file"\n');
    expect(after(fileWins, filePath('p'))).toBeNull();
    const tableWins = planMigration(state, { to: 'tables', prefer: 'table' });
    expect(after(tableWins, cfgPath())).toBeUndefined();
    expect(after(tableWins, filePath('p'))).toBeNull();
    expect(tableWins.report.migrated[0]).toMatchObject({ action: 'keep-target' });
  });

  test('a profile file that is not valid TOML is left, with file:line', async () => {
    const r = await plan({ 'bad.config.toml': 'model = \n', 'ok.config.toml': 'model = "m"\n' }, { to: 'tables' });
    expect(r.report.left).toEqual([expect.objectContaining({ name: 'bad', reason: 'invalid-toml', message: expect.stringContaining('bad.config.toml:1:') })]);
    expect(after(r, filePath('ok'))).toBeNull();
  });

  test('--rename applies to the table name', async () => {
    const r = await plan({ 'a.config.toml': 'model = "m"\n' }, { to: 'tables', renames: { a: 'b' } });
    expect(after(r, cfgPath())).toBe('[profiles.b]\nmodel = "m"\n');
  });
});

describe('round trips (applied to disk)', () => {
  async function migrate(to: 'files' | 'tables'): Promise<MigrationResult> {
    const r = planMigration(await loadHome(home), { to });
    expect(r.report.conflicts).toEqual([]);
    expect(r.report.left).toEqual([]);
    await applyPlan(r.plan);
    return r;
  }

  test('files -> tables -> files gives back every byte of every file', async () => {
    const files = {
      'config.toml': '# base\nmodel = "gpt-5"\n\n[tui]\nx = 1\n',
      'local.config.toml': '# Codex profile "local" (written by codex-profiles).\n# Run: codex -p local\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n\n[tools]\nweb_search = false\n',
      'lm.config.toml': 'model_provider = "lmstudio"   # built in\nmodel = "qwen/qwen3-coder-30b"\n',
    };
    write(files);
    await migrate('tables');
    expect(fs.existsSync(filePath('local'))).toBe(false);
    const tables = read('config.toml');
    expect(tables).toContain('# Run: codex -p local\n[profiles.local]\n');
    await migrate('files');
    for (const [name, text] of Object.entries(files)) expect(read(name)).toBe(text);
  });

  test.each([
    ['CRLF config.toml, LF profile files', '\r\n', '\n'],
    ['LF config.toml, CRLF profile files', '\n', '\r\n'],
    ['CRLF everywhere, no final newline in config.toml', '\r\n', '\r\n'],
  ])('files -> tables -> files keeps every file\'s line endings (%s)', async (_, cfgEol, fileEol) => {
    const eol = (text: string, e: string) => text.replace(/\n/g, e);
    const files = {
      'config.toml': eol('# base\nmodel = "gpt-5"\n\n[tui]\nx = 1\n', cfgEol),
      'local.config.toml': eol('# Codex profile "local"\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n\n[tools]\nweb_search = false\n', fileEol),
      'lm.config.toml': eol('model = "qwen/qwen3-coder-30b"\n', fileEol),
    };
    if (cfgEol === fileEol) files['config.toml'] = files['config.toml'].replace(/\r\n$/, '');
    write(files);
    await migrate('tables');
    // config.toml's own lines keep its endings; the moved text keeps the file's.
    expect(read('config.toml').startsWith(files['config.toml'].replace(/\r?\n$/, ''))).toBe(true);
    expect(read('config.toml')).toContain(eol('[profiles.lm]\nmodel = "qwen/qwen3-coder-30b"\n', fileEol));
    await migrate('files');
    for (const [name, text] of Object.entries(files)) {
      if (name !== 'config.toml') expect(JSON.stringify(read(name))).toBe(JSON.stringify(text));
    }
  });

  test('an inline profile table moved out of a CRLF config.toml gets CRLF too', async () => {
    write({ 'config.toml': 'model = "gpt-5"\r\n\r\n[profiles]\r\nlocal = { model = "m", model_provider = "ollama" }\r\n' });
    await migrate('files');
    expect(JSON.stringify(read('local.config.toml'))).toBe(JSON.stringify('model = "m"\r\nmodel_provider = "ollama"\r\n'));
  });

  test('tables -> files -> tables keeps the data and the comments; only the order of the profiles can change', async () => {
    write({ 'config.toml': LEGACY.replace('profile = "local"\n', '') });
    const before = read('config.toml');
    const data = parseToml(before, 'c');
    await migrate('files');
    await migrate('tables');
    const back = read('config.toml');
    expect(sameData(parseToml(back, 'c'), data)).toBe(true);
    for (const comment of ['# Local Ollama model', '# (from an old guide)', '# defined above', '# keep this comment']) expect(back).toContain(comment);
    // Profile files are read in name order, and come back after the last table of their family.
    const local = '# Local Ollama model\n# (from an old guide)\n[profiles.local]\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\nmodel_context_window = 65536\n\n[profiles.local.tools]\nweb_search = false\n';
    const lm = '[profiles.lm]\nmodel_provider = "fake"   # defined above\nmodel = "qwen/qwen3-coder-30b"\n';
    expect(back).toBe(LEGACY_AFTER + '\n' + lm + '\n' + local);
  });

  test('one profile: tables -> files -> tables gives back every byte', async () => {
    const config = '# base\nmodel = "gpt-5"\n\n[tui]\nx = 1\n\n# Local\n[profiles.local] \nmodel = "m"  # the model\n\n[profiles.local.tools]\nweb_search = false\n';
    write({ 'config.toml': config });
    await migrate('files');
    expect(read('local.config.toml')).toBe('# Local\nmodel = "m"  # the model\n\n[tools]\nweb_search = false\n');
    await migrate('tables');
    expect(read('config.toml')).toBe(config.replace('[profiles.local] \n', '[profiles.local]\n'));
  });
});
