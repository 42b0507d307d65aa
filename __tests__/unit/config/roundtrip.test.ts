import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'smol-toml';
import { TomlEditor } from '../../../src/config/toml-edit.js';
import { decodeToml, TomlSyntaxError } from '../../../src/config/toml.js';
import { CORPUS_DIR, TOML_TEST_DIR, corpusAvailable, corpusFiles, isPureInsertion, tomlTestFiles } from '../../helpers/corpus.js';

const PROFILE = { model_provider: 'ollama', model: 'gpt-oss:20b', model_context_window: 65536 };
const NAME = 'codex-profiles-rt';

function load(file: string): { bytes: Buffer; doc: TomlEditor } {
  const bytes = fs.readFileSync(file);
  return { bytes, doc: TomlEditor.parse(decodeToml(bytes, file), file) };
}

function roundTrip(doc: TomlEditor): void {
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
      TomlEditor.parse(decodeToml(before, file), file);
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

  // Issue 17: a comment a blank line separates from a profile's last key (`# -- Plugins --`
  // above the next table) belongs to what follows; removing the profile must keep it.
  test('removing each [profiles.X] keeps comments that a blank line separates from it', () => {
    let removals = 0;
    let detachedKept = 0;
    for (const name of files.filter((f) => f !== INVALID)) {
      const { doc } = load(path.join(CORPUS_DIR, name));
      const profiles = doc.get(['profiles']);
      if (typeof profiles !== 'object' || profiles === null) continue;
      for (const profile of Object.keys(profiles)) {
        let after: string;
        try {
          after = doc.removeTable(['profiles', profile]).text;
        } catch {
          continue; // shapes the editor refuses (dotted keys, split tables) are tested elsewhere
        }
        removals++;
        // The comment lines between the profile's last key and the next header that come after a
        // blank line (lines of a multi-line string are not keys: skip to its closing quotes).
        const before = doc.text.split(/\r?\n/);
        const header = before.findIndex((l) => l.trim().startsWith(`[profiles.${profile}]`));
        let next = header + 1;
        let lastKey = header;
        let inString = false;
        for (; next < before.length; next++) {
          const line = before[next]!;
          if (!inString && /^\s*\[/.test(line)) break;
          if ((line.match(/"""/g) ?? []).length % 2 === 1) inString = !inString;
          if (inString || (line.trim() !== '' && !/^\s*#/.test(line))) lastKey = next;
        }
        const firstBlank = before.findIndex((l, i) => i > lastKey && i < next && l.trim() === '');
        const detached = firstBlank < 0 ? [] : before.slice(firstBlank, next).filter((l) => /^\s*#/.test(l));
        const count = (text: string, line: string) => text.split(/\r?\n/).filter((l) => l === line).length;
        for (const line of detached) expect({ name, profile, line, kept: count(after, line) }).toEqual({ name, profile, line, kept: count(doc.text, line) });
        detachedKept += detached.length > 0 ? 1 : 0;
      }
    }
    expect(removals).toBeGreaterThanOrEqual(16);
    // Not hollow: 2 of the corpus's 16 removable profiles are followed by such a comment.
    expect(detachedKept).toBeGreaterThanOrEqual(2);
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
