import fs from 'node:fs';
import path from 'node:path';
import { editableConfig, editableProfileFile } from '../../../src/config/home-edit.js';
import { loadHome } from '../../../src/config/profiles.js';
import { TomlEditor } from '../../../src/config/toml-edit.js';
import { TomlReadDocument } from '../../../src/config/toml-read.js';
import * as syntax from '../../../src/config/toml-syntax.js';
import { TOML_TEST_DIR, tomlTestFiles } from '../../helpers/corpus.js';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';

/**
 * `list` reads with `index: 'lazy'`: the syntax tree is not built unless a line is asked for.
 * Reading must still accept and refuse exactly the same files, with the same message, and give
 * the same profiles, lines and errors as reading eagerly (what every editing command does).
 */

function outcome(text: string, index: 'eager' | 'lazy'): string {
  try {
    const doc = TomlReadDocument.parse(text, 'config.toml', { index, syntax });
    return `ok ${JSON.stringify(Object.keys(doc.data))}`;
  } catch (err) {
    return `refused ${(err as Error).name}: ${(err as Error).message}`;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

describe('TomlDocument.parse with a lazy index refuses exactly what the eager parse refuses', () => {
  for (const kind of ['invalid', 'valid'] as const) {
    test(`every toml-test ${kind} file`, () => {
      let checked = 0;
      for (const file of tomlTestFiles(kind)) {
        let text: string;
        try {
          text = decoder.decode(fs.readFileSync(path.join(TOML_TEST_DIR, file)));
        } catch {
          continue; // not UTF-8: refused before any parser sees it
        }
        expect([file, outcome(text, 'lazy')]).toEqual([file, outcome(text, 'eager')]);
        checked++;
      }
      expect(checked).toBeGreaterThan(kind === 'invalid' ? 300 : 150);
    });
  }

  test('days that do not exist (smol-toml accepts them, the syntax tree does not)', () => {
    for (const text of ['d = 1988-02-30\n', 'a = 1\n\n[t]\nd = 2100-02-29T15:15:15Z\n', 'x = [2023-04-31]\n']) {
      expect(outcome(text, 'lazy')).toMatch(/^refused TomlSyntaxError: config\.toml:\d+:\d+: not valid TOML/);
      expect(outcome(text, 'lazy')).toBe(outcome(text, 'eager'));
    }
  });

  test('lines, edits and checkSyntax work on a lazily indexed document', () => {
    const text = '# top\nmodel = "m"\n\n[profiles.a]\nmodel = "x"\n\n[profiles.b]\nmodel = "y"\n';
    const lazy = TomlReadDocument.parse(text, 'config.toml', { index: 'lazy', syntax });
    const eager = TomlEditor.parse(text, 'config.toml');
    expect(lazy.lineOf(['profiles', 'b'])).toBe(7);
    expect(lazy.lineOf(['profiles', 'b'])).toBe(eager.lineOf(['profiles', 'b']));
    expect(lazy.checkSyntax()).toBe(lazy);
    const a = TomlEditor.from(TomlReadDocument.parse(text, 'config.toml', { index: 'lazy' })).setValue(['profiles', 'a', 'model'], 'z').removeTable(['profiles', 'b']);
    const b = eager.setValue(['profiles', 'a', 'model'], 'z').removeTable(['profiles', 'b']);
    expect(a.text).toBe(b.text);
  });
});

describe('loadHome with a lazy index', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
    fs.mkdirSync(sb.codexHome, { recursive: true });
  });
  afterEach(() => sb.cleanup());

  const write = (name: string, text: string) => fs.writeFileSync(path.join(sb.codexHome, name), text);
  const summary = (s: Awaited<ReturnType<typeof loadHome>>) => ({
    profiles: s.profiles.map((p) => ({ name: p.name, layout: p.layout, path: p.path, line: p.line, values: p.values })),
    errors: s.errors.map((e) => e.message),
    configText: s.configText,
    configData: s.config?.data ?? null,
    files: [...s.profileFiles].map(([name, f]) => [name, f.text, f.doc === null]),
    ossProvider: s.ossProvider,
    profileSelector: s.profileSelector,
  });

  const homes: Record<string, Record<string, string>> = {
    'tables, files and a legacy selector': {
      'config.toml': 'profile = "old"\noss_provider = "ollama"\n\n# mine\n[profiles.old]\nmodel = "qwen3"\n\n[mcp_servers.x]\ncommand = "y"\n\n[profiles."quoted.name"]\nmodel = "q"\n',
      'fast.config.toml': 'model = "gpt-oss:20b"\nmodel_provider = "ollama"\n',
    },
    'broken files of every kind': {
      'config.toml': '[profiles.a]\nmodel = "a"\n',
      'bad-syntax.config.toml': 'model = \n',
      'bad-day.config.toml': 'model = "m"\nsince = 1988-02-30\n',
      'bad-utf8.config.toml': 'model = "\xff"\n',
      'ok.config.toml': 'model = "fine"\n',
    },
    'a config.toml refused by the syntax tree only': {
      'config.toml': 'oss_provider = "lmstudio"\n\n[profiles.a]\nmodel = "a"\nsince = 2023-02-29\n',
      'p.config.toml': 'model = "p"\n',
    },
    'no config.toml': { 'only.config.toml': 'model = "m"\n' },
  };

  for (const [title, files] of Object.entries(homes)) {
    test(`the same profiles, lines and errors as an eager load: ${title}`, async () => {
      for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(sb.codexHome, name), name.startsWith('bad-utf8') ? Buffer.from(text, 'latin1') : text);
      }
      const eager = await loadHome(sb.codexHome);
      const lazy = await loadHome(sb.codexHome, { index: 'lazy' });
      expect(summary(lazy)).toEqual(summary(eager));
    });
  }

  test('the [profiles.NAME] line is that of the header', async () => {
    write('config.toml', '# a\n\nmodel = "m"\n\n[profiles.one]\nmodel = "x"\n\n\n[profiles.two]\nmodel = "y"\n');
    const lazy = await loadHome(sb.codexHome, { index: 'lazy' });
    expect(lazy.profiles.map((p) => [p.name, p.line])).toEqual([
      ['one', 5],
      ['two', 9],
    ]);
  });

  test('editing from a lazily read home still goes through the syntax tree first', async () => {
    write('config.toml', 'model = "m"\n');
    write('p.config.toml', 'model = "p"\n');
    const lazy = await loadHome(sb.codexHome, { index: 'lazy' });
    const cfg = editableConfig(lazy);
    expect(cfg.lineOf(['model'])).toBe(1);
    expect(editableProfileFile(lazy, 'p')?.setValue(['model'], 'q').text).toBe('model = "q"\n');
  });
});
