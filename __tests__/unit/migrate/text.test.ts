/**
 * The text transforms migrate carries a profile with: `[profiles.NAME]` text <-> NAME.config.toml
 * text. Each result must mean the same data, and keep every byte that can be kept.
 */
import { fileTextToTableText, parseRenames, selectorAdvice, tableTextToFileText } from '../../../src/plan/migrate.js';
import { sanitizeProfileName as suggestProfileName } from '../../../src/config/naming.js';
import { parseToml, sameData } from '../../../src/config/toml.js';
import { UsageError } from '../../../src/errors.js';

describe('tableTextToFileText', () => {
  test('comments above stay on top, the header line goes, body bytes are kept', () => {
    const table = '# Ollama, 20b\n# second line\n[profiles.local]\nmodel_provider = "ollama"   # built in\nmodel = \'gpt-oss:20b\'\n';
    const file = tableTextToFileText(table);
    expect(file).toBe('# Ollama, 20b\n# second line\nmodel_provider = "ollama"   # built in\nmodel = \'gpt-oss:20b\'\n');
    expect(sameData(parseToml(file, 'f'), (parseToml(table, 't').profiles as Record<string, unknown>).local)).toBe(true);
  });

  test('a comment on the header line is kept as a comment line', () => {
    expect(tableTextToFileText('[profiles.x]   # the fast one\nmodel = "m"\n')).toBe('# the fast one\nmodel = "m"\n');
  });

  test('sub-tables lose the profiles.NAME prefix; arrays of tables too; quoting and spacing of the rest is kept', () => {
    const table = [
      '[profiles.x]',
      'model = "m"',
      '',
      '[profiles.x.model_providers.fake]  # custom',
      'name = "fake"',
      '',
      '[ profiles . "x" . "sub key" ]',
      'a = 1',
      '',
      '[[profiles.x.arr]]',
      'b = 2',
      '[[profiles.x.arr]]',
      'b = 3',
      '',
    ].join('\n');
    const file = tableTextToFileText(table);
    expect(file).toBe(
      ['model = "m"', '', '[model_providers.fake]  # custom', 'name = "fake"', '', '[ "sub key" ]', 'a = 1', '', '[[arr]]', 'b = 2', '[[arr]]', 'b = 3', ''].join('\n'),
    );
    expect(sameData(parseToml(file, 'f'), (parseToml(table, 't').profiles as Record<string, unknown>).x)).toBe(true);
  });

  test('CRLF stays CRLF; a missing final newline is added', () => {
    expect(tableTextToFileText('# c\r\n[profiles.x] # h\r\nmodel = "m"')).toBe('# c\r\n# h\r\nmodel = "m"\r\n');
  });

  test('dotted keys and inline tables in the body are carried as written', () => {
    const table = '[profiles.x]\ntools.web_search = false\nenv = { A = "1", B = "2" }\n';
    const file = tableTextToFileText(table);
    expect(file).toBe('tools.web_search = false\nenv = { A = "1", B = "2" }\n');
    expect(parseToml(file, 'f')).toEqual({ tools: { web_search: false }, env: { A: '1', B: '2' } });
  });
});

describe('fileTextToTableText', () => {
  test('opening comments go above the header, keys follow it, [sub] gets the prefix', () => {
    const file = '# local model\nmodel = "m" # inline\n\n[model_providers.fake]\nname = "fake"\n\n[[arr]]\nb = 1\n';
    const block = fileTextToTableText(file, 'local');
    expect(block).toBe('# local model\n[profiles.local]\nmodel = "m" # inline\n\n[profiles.local.model_providers.fake]\nname = "fake"\n\n[[profiles.local.arr]]\nb = 1\n');
    expect(sameData(parseToml(block, 'b'), { profiles: { local: parseToml(file, 'f') } })).toBe(true);
  });

  test('blank lines between opening comments are dropped (so they stay attached); blank lines after them are kept', () => {
    expect(fileTextToTableText('# one\n\n# two\n\nmodel = "m"\n', 'p')).toBe('# one\n# two\n[profiles.p]\n\nmodel = "m"\n');
  });

  test('comments attached to the first sub-table stay with it', () => {
    const block = fileTextToTableText('# profile\n\n# about tools\n[tools]\nweb_search = true\n', 'p');
    expect(block).toBe('# profile\n[profiles.p]\n\n# about tools\n[profiles.p.tools]\nweb_search = true\n');
  });

  test('names that need quoting are quoted; a BOM is dropped; CRLF is kept', () => {
    expect(fileTextToTableText('\uFEFFmodel = "m"\r\n[sub]\r\nk = 1', 'a.b')).toBe('[profiles."a.b"]\r\nmodel = "m"\r\n[profiles."a.b".sub]\r\nk = 1\r\n');
  });

  test('an empty or comment-only file gives an empty table', () => {
    expect(fileTextToTableText('', 'e')).toBe('[profiles.e]\n');
    expect(fileTextToTableText('# nothing yet\n', 'e')).toBe('# nothing yet\n[profiles.e]\n');
  });

  test('file -> table -> file gives back the same bytes', () => {
    const file = '# Codex profile "local" (written by codex-profiles).\n# Run: codex -p local\nmodel_provider = "ollama"\nmodel = "gpt-oss:20b"\n\n[tools]\nweb_search = false\n';
    const block = fileTextToTableText(file, 'local');
    expect(tableTextToFileText(block)).toBe(file);
  });
});

describe('names and advice', () => {
  test.each([
    ['gpt-oss:20b', 'gpt-oss-20b'],
    ['qwen/qwen3-coder-30b', 'qwen-qwen3-coder-30b'],
    ['hf.co/Org/Model:Q4_K_M', 'hf-co-Org-Model-Q4_K_M'],
    ['café au lait', 'cafe-au-lait'],
    [':::', 'profile'],
    ['x'.repeat(80) + ':1', 'x'.repeat(64)],
  ])('suggestProfileName(%j) = %j', (name, expected) => {
    expect(suggestProfileName(name)).toBe(expected);
  });

  test('suggestions avoid names already taken', () => {
    expect(suggestProfileName('gpt-oss:20b', ['gpt-oss-20b'])).toBe('gpt-oss-20b-2');
    expect(suggestProfileName('gpt-oss:20b', ['gpt-oss-20b', 'gpt-oss-20b-2'])).toBe('gpt-oss-20b-3');
    const long = suggestProfileName('y'.repeat(70), ['y'.repeat(64)]);
    expect(long).toBe('y'.repeat(62) + '-2');
  });

  test('parseRenames reads OLD=NEW (the last = splits) and refuses malformed or contradictory flags', () => {
    expect(parseRenames(['gpt-oss:20b=gpt-oss-20b', 'a=b'])).toEqual({ 'gpt-oss:20b': 'gpt-oss-20b', a: 'b' });
    expect(parseRenames(['x=y=z'])).toEqual({ 'x=y': 'z' });
    expect(parseRenames(undefined)).toEqual({});
    for (const bad of ['noequals', '=new', 'old=']) expect(() => parseRenames([bad])).toThrow(UsageError);
    expect(() => parseRenames(['a=b', 'a=c'])).toThrow(/given twice/);
  });

  test('selector advice: codex -p, a POSIX alias, a PowerShell function that does not call itself', () => {
    expect(selectorAdvice('local')).toEqual({
      run: 'codex -p local',
      posixAlias: "alias codex='codex -p local'",
      powershell: 'function codex { & (Get-Command codex -CommandType Application | Select-Object -First 1) -p local @args }',
    });
  });
});
