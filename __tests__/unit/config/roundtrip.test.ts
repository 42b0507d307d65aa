import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'smol-toml';
import { TomlDocument } from '../../../src/config/document.js';
import { decodeToml, TomlSyntaxError } from '../../../src/config/toml.js';
import { CORPUS_DIR, TOML_TEST_DIR, corpusAvailable, corpusFiles, isPureInsertion, tomlTestFiles } from '../../helpers/corpus.js';

const PROFILE = { model_provider: 'ollama', model: 'gpt-oss:20b', model_context_window: 65536 };
const NAME = 'codex-profiles-rt';

function load(file: string): { bytes: Buffer; doc: TomlDocument } {
  const bytes = fs.readFileSync(file);
  return { bytes, doc: TomlDocument.parse(decodeToml(bytes, file), file) };
}

function roundTrip(doc: TomlDocument): void {
  const added = doc.addTable(['profiles', NAME], PROFILE);
  expect(isPureInsertion(doc.text, added.text)).toBe(true);
  expect((parse(added.text, { integersAsBigInt: 'asNeeded' }).profiles as Record<string, unknown>)[NAME]).toEqual(PROFILE);
  expect(added.removeTable(['profiles', NAME]).text).toBe(doc.text);

  const withKey = doc.setValue(['oss_provider'], 'ollama');
  expect(isPureInsertion(doc.text, withKey.text)).toBe(true);
  expect(withKey.removeValue(['oss_provider']).text).toBe(doc.text);
}

describe('toml-test (TOML 1.1 list, vendored at d168c2a)', () => {
  const valid = tomlTestFiles('valid');
  const invalid = tomlTestFiles('invalid');

  test('the suite is there', () => {
    expect(valid.length).toBeGreaterThan(200);
    expect(invalid.length).toBeGreaterThan(400);
  });

  // Files that already define a top-level `oss_provider` or `profiles` of another shape are
  // still valid inputs: the editor must refuse them cleanly rather than mangle them.
  test.each(valid)('valid %s: add then remove gives back the same bytes', (rel) => {
    const { doc } = load(path.join(TOML_TEST_DIR, rel));
    roundTrip(doc);
  });

  test.each(invalid)('invalid %s: refused with line:col', (rel) => {
    const file = path.join(TOML_TEST_DIR, rel);
    const before = fs.readFileSync(file);
    let err: unknown;
    try {
      TomlDocument.parse(decodeToml(before, file), file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TomlSyntaxError);
    expect((err as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

const haveCorpus = corpusAvailable();
(haveCorpus ? describe : describe.skip)('real configs from public dotfiles (../shared/corpus)', () => {
  const files = haveCorpus ? corpusFiles() : [];
  const INVALID = '042__gom__dotfiles.toml';

  test('the corpus is there', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  test.each(files.filter((f) => f !== INVALID))('%s: add/remove a profile and oss_provider keep every other byte', (name) => {
    const { doc } = load(path.join(CORPUS_DIR, name));
    const existing = doc.get(['profiles']);
    if (existing !== undefined && doc.get(['profiles', NAME]) !== undefined) throw new Error('fixture clash');
    roundTrip(doc);
    // Replacing an existing value in place touches only that value's text.
    if (typeof doc.get(['model']) === 'string') {
      const changed = doc.setValue(['model'], 'x-model').text;
      const lines = doc.text.split('\n');
      const after = changed.split('\n');
      expect(after.length).toBe(lines.length);
      expect(after.filter((l, i) => l !== lines[i])).toHaveLength(1);
    }
  });

  // The corpus README names one invalid file (`env = {"KEY": "$VAL"}`). Where the file is
  // present it is used as is; otherwise that line is put into a copy of a valid corpus file.
  test(`the invalid config (${INVALID}) is refused with file:line:col and left untouched`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-corpus-'));
    try {
      let file = path.join(CORPUS_DIR, INVALID);
      let line: number | undefined;
      if (!fs.existsSync(file)) {
        const base = fs.readFileSync(path.join(CORPUS_DIR, files[0]!), 'utf8');
        file = path.join(dir, INVALID);
        fs.writeFileSync(file, base + '\n[mcp_servers.gom]\nenv = {"KEY": "$VAL"}\n');
        line = base.split('\n').length + 2;
      }
      const before = fs.readFileSync(file);
      let err: unknown;
      try {
        load(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TomlSyntaxError);
      expect((err as Error).message).toMatch(new RegExp(`${INVALID}:\\d+:\\d+: not valid TOML`));
      if (line !== undefined) expect((err as TomlSyntaxError).line).toBe(line);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
