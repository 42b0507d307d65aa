import { parse } from 'smol-toml';
import { TomlEditor } from '../../../src/config/toml-edit.js';
import { TomlSyntaxError } from '../../../src/config/toml.js';
import { ConfigError } from '../../../src/errors.js';

const doc = (text: string) => TomlEditor.parse(text, 'config.toml');
const PROFILE = { model: 'gpt-oss:20b', model_provider: 'ollama' };

describe('top-level keys', () => {
  test('a new key goes after the existing top-level keys, before the first table', () => {
    const src = 'model = "o3"\n# why\napproval_policy = "never"\n\n[mcp_servers.x]\ncommand = "y"\n';
    const out = doc(src).setValue(['oss_provider'], 'ollama').text;
    expect(out).toBe('model = "o3"\n# why\napproval_policy = "never"\noss_provider = "ollama"\n\n[mcp_servers.x]\ncommand = "y"\n');
  });

  test('with no top-level keys it goes before the first table and its comments', () => {
    const src = '# header\n\n# about mcp\n[mcp_servers.x]\ncommand = "y"\n';
    const out = doc(src).setValue(['oss_provider'], 'lmstudio').text;
    expect(out).toBe('# header\n\noss_provider = "lmstudio"\n\n# about mcp\n[mcp_servers.x]\ncommand = "y"\n');
    expect(doc(out).removeValue(['oss_provider']).text).toBe(src);
  });

  test('replacing keeps the end-of-line comment and the quoting elsewhere', () => {
    const src = "oss_provider = 'ollama'   # local first\nmodel = 'o3'\n";
    expect(doc(src).setValue(['oss_provider'], 'lmstudio').text).toBe("oss_provider = \"lmstudio\"   # local first\nmodel = 'o3'\n");
  });

  test('set then remove gives back the original bytes (CRLF, BOM, no final newline)', () => {
    for (const src of ['', 'a = 1', 'a = 1\r\nb = 2\r\n', '\uFEFFa = 1\n', '# only a comment', '[t]\nx = 1']) {
      const added = doc(src).setValue(['oss_provider'], 'ollama');
      expect(parse(added.text).oss_provider).toBe('ollama');
      expect(added.removeValue(['oss_provider']).text).toBe(src);
    }
  });

  test('CRLF files get CRLF lines', () => {
    const out = doc('a = 1\r\n\r\n[t]\r\nx = 1\r\n').setValue(['oss_provider'], 'ollama').text;
    expect(out).toBe('a = 1\r\noss_provider = "ollama"\r\n\r\n[t]\r\nx = 1\r\n');
  });

  test('removing a missing key changes nothing', () => {
    const d = doc('a = 1\n');
    expect(d.removeValue(['nope'])).toBe(d);
  });

  test('a dotted top-level key of the same name is refused, not mangled', () => {
    expect(() => doc('oss_provider.x = 1\n').setValue(['oss_provider'], 'ollama')).toThrow(/dotted keys/);
  });
});

describe('tables', () => {
  test('add puts the table after the others of its family, separated by a blank line', () => {
    const src = '[profiles.a]\nmodel = "m"\n\n[mcp_servers.x]\ncommand = "y"\n';
    const out = doc(src).addTable(['profiles', 'b'], PROFILE).text;
    expect(out).toBe('[profiles.a]\nmodel = "m"\n\n[profiles.b]\nmodel = "gpt-oss:20b"\nmodel_provider = "ollama"\n\n[mcp_servers.x]\ncommand = "y"\n');
  });

  test('add then remove gives back the original bytes', () => {
    const srcs = [
      '',
      '\n\n',
      'a=1',
      '[a]\nx=1\n\n\n',
      '\uFEFFmodel = "o3"\r\n\r\n# about mcp\r\n[mcp_servers.x]\r\ncommand = "y"\r\n',
      '[profiles.a]\nmodel="m"\n\n[projects."/x"]\ntrust_level = "trusted"',
      "[projects.'K:\\']\ntrust_level = \"trusted\"\n",
    ];
    for (const src of srcs) {
      const added = doc(src).addTable(['profiles', 'new'], PROFILE);
      expect(parse(added.text).profiles).toMatchObject({ new: PROFILE });
      expect(added.removeTable(['profiles', 'new']).text).toBe(src);
    }
  });

  test('remove takes sub-tables and the comment lines directly above, nothing else', () => {
    const src = [
      'model = "o3"',
      '',
      '# kept: separated by a blank line',
      '',
      '# about fast',
      '[profiles.fast]',
      'model = "m"',
      '[profiles.fast.extra]',
      'k = 1',
      '',
      '# about mcp',
      '[mcp_servers.x]',
      'command = "y"',
      '',
    ].join('\n');
    expect(doc(src).removeTable(['profiles', 'fast']).text).toBe(
      'model = "o3"\n\n# kept: separated by a blank line\n\n# about mcp\n[mcp_servers.x]\ncommand = "y"\n',
    );
  });

  test('names with dots, quotes, backslashes, newlines and non-ASCII come out as valid TOML', () => {
    const names = ['gpt-oss:20b', 'a.b', 'say "hi"', 'back\\slash', 'new\nline', 'ünïcødé 模型', "it's", '', ' '];
    for (const name of names) {
      const d = doc('').addTable(['profiles', name], { model: name });
      expect((parse(d.text).profiles as Record<string, { model: string }>)[name]!.model).toBe(name);
      expect(d.removeTable(['profiles', name]).text).toBe('');
    }
  });

  test('replaceTable edits key by key and keeps comments and unknown order', () => {
    const src = '[profiles.a]\n# keep me\nmodel = "x" # trailing\nfoo = 1\n[profiles.a.sub]\nq = 2\n\n[other]\nz = 1\n';
    const out = doc(src).replaceTable(['profiles', 'a'], { model: 'y', bar: true, sub: { q: 3 } }).text;
    expect(out).toBe('[profiles.a]\n# keep me\nmodel = "y" # trailing\nbar = true\n[profiles.a.sub]\nq = 3\n\n[other]\nz = 1\n');
  });

  test('setValue inside a table adds after its last key', () => {
    const src = '[profiles.a]\nmodel = "x"\n\n[b]\n';
    expect(doc(src).setValue(['profiles', 'a', 'model_context_window'], 65536).text).toBe(
      '[profiles.a]\nmodel = "x"\nmodel_context_window = 65536\n\n[b]\n',
    );
  });

  test('setValue creates the table when missing', () => {
    expect(doc('a = 1\n').setValue(['model_providers', 'gpu', 'name'], 'GPU').text).toBe('a = 1\n\n[model_providers.gpu]\nname = "GPU"\n');
  });

  test('adding a table that exists is refused', () => {
    expect(() => doc('[profiles.a]\nmodel = "x"\n').addTable(['profiles', 'a'], PROFILE)).toThrow(/already exists/);
  });

  test('removing the last profile removes the implicit [profiles] parent too', () => {
    const d = doc('[profiles.a]\nmodel = "x"\n');
    expect(parse(d.removeTable(['profiles', 'a']).text)).toEqual({});
  });

  test('an explicit empty [profiles] header stays', () => {
    const d = doc('[profiles]\n[profiles.a]\nmodel = "x"\n');
    expect(d.removeTable(['profiles', 'a']).text).toBe('[profiles]\n');
  });
});

describe('shapes the editor will not rewrite', () => {
  test('inline profiles table', () => {
    const d = doc('profiles = { a = { model = "x" } }\n');
    expect(() => d.addTable(['profiles', 'b'], PROFILE)).toThrow(/inline table/);
    expect(() => d.removeTable(['profiles', 'a'])).toThrow(/dotted keys or as an inline table/);
  });

  test('dotted profile keys', () => {
    expect(() => doc('[profiles]\na.model = "x"\n').removeTable(['profiles', 'a'])).toThrow(ConfigError);
    expect(() => doc('profiles.a.model = "x"\n').setValue(['profiles', 'a', 'model'], 'y')).toThrow(/dotted keys/);
  });

  test('array of tables', () => {
    expect(() => doc('[[profiles]]\nmodel = "x"\n').setValue(['profiles', 'model'], 'y')).toThrow();
  });

  test('a table split across the file', () => {
    const src = '[profiles.a]\nmodel = "x"\n[other]\nq = 1\n[profiles.a.sub]\nk = 1\n';
    expect(() => doc(src).removeTable(['profiles', 'a'])).toThrow(/split across the file/);
  });

  test('refusals leave the document as it was', () => {
    const d = doc('profiles = { a = { model = "x" } }\n');
    try {
      d.addTable(['profiles', 'b'], PROFILE);
    } catch {
      // expected
    }
    expect(d.text).toBe('profiles = { a = { model = "x" } }\n');
  });
});

describe('invalid TOML', () => {
  test('is refused with file:line:col', () => {
    const err = (() => {
      try {
        doc('a = 1\nenv = {"KEY": "$VAL"}\n');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TomlSyntaxError);
    expect((err as TomlSyntaxError).line).toBe(2);
    expect((err as Error).message).toMatch(/^config\.toml:2:\d+: not valid TOML/);
  });

  test('dates that do not exist are refused (caught by the syntax tree parser)', () => {
    expect(() => doc('d = 1988-02-30\n')).toThrow(/config\.toml:1:\d+/);
  });
});

describe('which table a comment belongs to (issue 17)', () => {
  const src = [
    '[profiles.a]',
    'model = "m"',
    '# model_context_window = 65536   (no blank line: still part of profiles.a)',
    '',
    '# -- Plugins --',
    '',
    '[plugins.x]',
    'enabled = true',
    '',
    '# trailing note about the whole file',
    '',
  ].join('\n');

  test('remove keeps a comment that a blank line separates from the last key', () => {
    expect(doc(src).removeTable(['profiles', 'a']).text).toBe('# -- Plugins --\n\n[plugins.x]\nenabled = true\n\n# trailing note about the whole file\n');
  });

  test('tableText (what migrate moves) takes the attached comment, not the next section\'s', () => {
    expect(doc(src).tableText(['profiles', 'a'])).toBe('[profiles.a]\nmodel = "m"\n# model_context_window = 65536   (no blank line: still part of profiles.a)\n');
    expect(doc(src).removeTable(['plugins', 'x']).text).toBe(src.replace('\n[plugins.x]\nenabled = true\n', ''));
  });

  test('a new table goes after the last key of its family, before the next section\'s comment', () => {
    const out = doc(src).addTable(['profiles', 'b'], { model: 'n' }).text;
    expect(out).toContain('(no blank line: still part of profiles.a)\n\n[profiles.b]\nmodel = "n"\n\n# -- Plugins --\n');
    expect(doc(out).removeTable(['profiles', 'b']).text).toBe(src);
  });
});
