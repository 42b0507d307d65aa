import { jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import * as realEslintParser from 'toml-eslint-parser';
import * as realSmol from 'smol-toml';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';
import { codexInfo } from '../../helpers/codex-info.js';

/**
 * Editing time must grow linearly with the size of config.toml. Timing is no test (the machine
 * is shared), so this counts the parsers' work instead, through wrappers around both libraries:
 * - the syntax tree parser (toml-eslint-parser) sees each character of a document once when it
 *   is loaded, and after an edit only the tables around the edit, however large the file;
 * - smol-toml parses a loaded document once, and the whole text once per edit (the check that
 *   the edit means exactly what was intended), never the original again;
 * - a chain of edits (add's provider table, then the profile) starts each edit from the last.
 */

const seen = { smolCalls: 0, smolChars: 0, eslintCalls: 0, eslintChars: 0 };
function reset(): void {
  Object.assign(seen, { smolCalls: 0, smolChars: 0, eslintCalls: 0, eslintChars: 0 });
}

jest.unstable_mockModule('toml-eslint-parser', () => ({
  ...realEslintParser,
  parseTOML: (code: string, options?: unknown) => {
    seen.eslintCalls++;
    seen.eslintChars += code.length;
    return realEslintParser.parseTOML(code, options as never);
  },
}));
jest.unstable_mockModule('smol-toml', () => ({
  ...realSmol,
  parse: (text: string, options?: unknown) => {
    seen.smolCalls++;
    seen.smolChars += text.length;
    return realSmol.parse(text, options as never);
  },
}));

const { TomlEditor } = await import('../../../src/config/toml-edit.js');
const { loadHome, homeAfter } = await import('../../../src/config/profiles.js');
const { plannedDocument } = await import('../../../src/config/profile-writer.js');
const { planProfiles } = await import('../../../src/plan/add.js');

/** A config.toml of about `blocks` x 250 bytes: tables with comments, as people write them. */
function config(blocks: number): string {
  const parts = ['# settings\nmodel = "gpt-5"\n\n'];
  for (let i = 0; i < blocks; i++) {
    const family = ['mcp_servers', 'projects', 'profiles', 'tui'][i % 4];
    parts.push(`# ${family} ${i}\n[${family}.item-${i}]\ncommand = "server-${i}"\nargs = ["--port", "${8000 + i}"]\nenv = { LEVEL = "debug" }\n# inside\nmodel = "m-${i}"\n\n`);
  }
  return parts.join('');
}

const CODEX_TABLES = codexInfo('0.133.0', { bin: 'codex' });

describe('parser work per edit does not grow with the file', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
    fs.mkdirSync(sb.codexHome, { recursive: true });
  });
  afterEach(() => sb.cleanup());

  test('loading parses each character once with each parser', () => {
    for (const blocks of [10, 400, 2000]) {
      const text = config(blocks);
      reset();
      const doc = TomlEditor.parse(text, 'config.toml');
      expect(doc.get(['model'])).toBe('gpt-5');
      expect(seen.smolCalls).toBe(1);
      expect(seen.smolChars).toBe(text.length);
      expect(seen.eslintChars).toBe(text.length); // in pieces for large files, each character once
      if (blocks === 2000) expect(seen.eslintCalls).toBeGreaterThan(1);
    }
  });

  test('a chain of edits: one smol-toml parse of the new text per edit, a small window for the syntax tree', () => {
    const windows: number[] = [];
    for (const blocks of [40, 400, 2000]) {
      const doc = TomlEditor.parse(config(blocks), 'config.toml');
      reset();
      let next = doc.addTable(['model_providers', 'ollama-port-1'], { name: 'Ollama', base_url: 'http://127.0.0.1:1/v1', wire_api: 'responses' });
      next = next.addTable(['profiles', 'new-one'], { model_provider: 'ollama-port-1', model: 'm' });
      next = next.setValue(['oss_provider'], 'ollama');
      next = next.setValue(['profiles', 'item-2', 'model'], 'changed');
      next = next.removeTable(['profiles', 'item-6']);
      expect(next.lineOf(['profiles', 'new-one'])).toBeGreaterThan(1);
      expect(seen.smolCalls).toBe(5);
      expect(seen.smolChars).toBeLessThanOrEqual(5 * (next.text.length + 300));
      windows.push(seen.eslintChars);
    }
    // The syntax tree parser saw a few tables around each edit: about as much for 10 KB as for
    // 500 KB (names have more digits in larger files).
    for (const w of windows) expect(w).toBeLessThan(3000);
    expect(windows[2]).toBeLessThan(windows[0]! * 1.2);
  });

  test('loadHome parses config.toml and every NAME.config.toml once with each parser', async () => {
    const cfg = config(40);
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), cfg);
    let chars = cfg.length;
    for (let i = 0; i < 5; i++) {
      const text = `# profile ${i}\nmodel_provider = "ollama"\nmodel = "m${i}"\n`;
      fs.writeFileSync(path.join(sb.codexHome, `p${i}.config.toml`), text);
      chars += text.length;
    }
    reset();
    const state = await loadHome(sb.codexHome);
    expect(state.profiles.length).toBe(5 + 10); // 5 files, 10 [profiles.*] tables
    expect(seen.smolCalls).toBe(6);
    expect(seen.smolChars).toBe(chars);
    expect(seen.eslintChars).toBe(chars);
  });

  test('loadHome for reading only (list): no syntax tree for profile files, config.toml only for its [profiles.*] lines', async () => {
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), '# bench\nmodel = "gpt-5"\noss_provider = "ollama"\n\n[model_providers.x]\nname = "x"\n');
    let chars = 0;
    for (let i = 0; i < 20; i++) {
      const text = `# profile ${i}\nmodel_provider = "ollama"\nmodel = "m${i}"\n`;
      fs.writeFileSync(path.join(sb.codexHome, `p${i}.config.toml`), text);
      chars += text.length;
    }
    reset();
    let state = await loadHome(sb.codexHome, { index: 'lazy' });
    expect(state.profiles.length).toBe(20);
    expect(seen.smolCalls).toBe(21);
    expect(seen.eslintCalls).toBe(0);

    const cfg = config(40); // with [profiles.*] tables: their lines take config.toml's syntax tree
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), cfg);
    reset();
    state = await loadHome(sb.codexHome, { index: 'lazy' });
    expect(state.profiles.filter((p) => p.layout === 'table').every((p) => p.line! > 1)).toBe(true);
    expect(seen.smolChars).toBe(cfg.length + chars);
    expect(seen.eslintChars).toBe(cfg.length);
  });

  test('add, as the command runs it: config.toml parsed once by each parser, then one smol-toml parse per edit', async () => {
    for (const blocks of [40, 2000]) {
      const text = config(blocks);
      fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), text);
      reset();
      const state = await loadHome(sb.codexHome);
      expect(seen.smolCalls).toBe(1);
      expect(seen.eslintChars).toBe(text.length);
      reset();
      const discovery = { providers: [{ provider: 'ollama' as const, status: 'up' as const, url: 'http://127.0.0.1:11555', models: [] }] };
      const { plan } = planProfiles(state, CODEX_TABLES, discovery as never, [{ model: 'gpt-oss:20b', provider: 'ollama', name: 'added' }], {
        allowMissing: true,
        ossProvider: 'ollama',
        env: {},
      });
      const after = plan.changes.find((c) => c.path.endsWith('config.toml'))!.after!;
      expect(after).toContain('[model_providers.ollama-port-11555]');
      expect(after).toContain('[profiles.added]');
      expect(after).toContain('oss_provider = "ollama"');
      // Three edits (provider table, profile, oss_provider) plus the template's own check.
      const templateChecks = 1;
      expect(seen.smolCalls).toBe(3 + templateChecks);
      expect(seen.eslintChars).toBeLessThan(3000);
    }
  });

  test('add after writing (the one-off equivalent): the home as written comes from the plan, parsed by neither parser again', async () => {
    const text = config(40);
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), text);
    const state = await loadHome(sb.codexHome);
    const discovery = { providers: [{ provider: 'ollama' as const, status: 'up' as const, url: 'http://127.0.0.1:11555', models: [] }] };
    const { plan } = planProfiles(state, CODEX_TABLES, discovery as never, [{ model: 'gpt-oss:20b', provider: 'ollama', name: 'added' }], { allowMissing: true, ossProvider: 'ollama', env: {} });
    reset();
    const after = await homeAfter(state, plan.changes, (file, t) => plannedDocument(plan, file, t));
    expect(seen.smolCalls + seen.eslintCalls).toBe(0);
    // What reading the written file back gives (lines aside, which `add` does not say).
    const change = plan.changes.find((c) => c.path.endsWith('config.toml'))!;
    fs.writeFileSync(change.path, change.after!);
    const reread = await loadHome(sb.codexHome);
    const shape = (s: typeof after) => ({ oss: s.ossProvider, text: s.configText, profiles: s.profiles.map(({ line: _line, ...p }) => p) });
    expect(shape(after)).toEqual(shape(reread));
    expect(after.profiles.find((p) => p.name === 'added')).toMatchObject({ layout: 'table', provider: 'ollama-port-11555', model: 'gpt-oss:20b' });
    // Without the plan's documents: the written text is parsed for its data alone (no syntax tree).
    reset();
    await homeAfter(state, plan.changes);
    expect(seen).toMatchObject({ smolCalls: 1, eslintCalls: 0 });
  });
});
