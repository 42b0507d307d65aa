import fc from 'fast-check';
import { parseTOML } from 'toml-eslint-parser';
import { TomlEditor } from '../../../src/config/toml-edit.js';
import { TomlSyntaxError } from '../../../src/config/toml.js';

/**
 * The editor's index (where tables, keys and comment lines are) is built from the syntax tree in
 * pieces of whole tables, and after an edit it is derived from the previous index by parsing only
 * the tables around the edit. Both must give exactly what one parse of the whole text gives: that
 * parse is the oracle here (it is how the index was built before, written out again).
 */

interface Kv {
  key: string[];
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
  inline: boolean;
}
interface Table {
  path: string[];
  array: boolean;
  headerStart: number;
  headerEnd: number;
  kvs: Kv[];
}
interface Snapshot {
  lineStarts: number[];
  commentLines: number[];
  topKvs: Kv[];
  tables: Table[];
}

function oracle(text: string): Snapshot {
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const ast = parseTOML(text.slice(offset), { tomlVersion: '1.1' });
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (pos: number) => {
    let l = 0;
    while (l + 1 < lineStarts.length && lineStarts[l + 1]! <= pos) l++;
    return l;
  };
  const kv = (n: { key: { keys: ({ type: string; name?: string; value?: string })[] }; range: number[]; value: { range: number[]; type: string } }): Kv => ({
    key: n.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name! : k.value!)),
    start: n.range[0]! + offset,
    end: n.range[1]! + offset,
    valueStart: n.value.range[0]! + offset,
    valueEnd: n.value.range[1]! + offset,
    inline: n.value.type === 'TOMLInlineTable',
  });
  const commentLines = new Set<number>();
  for (const c of ast.comments) {
    const pos = c.range[0] + offset;
    const line = lineOf(pos);
    if (text.slice(lineStarts[line], pos).trim().replace(/^\uFEFF/, '') === '') commentLines.add(line);
  }
  const snap: Snapshot = { lineStarts, commentLines: [...commentLines].sort((a, b) => a - b), topKvs: [], tables: [] };
  for (const node of ast.body[0]?.body ?? []) {
    if (node.type === 'TOMLKeyValue') snap.topKvs.push(kv(node as never));
    else {
      snap.tables.push({
        path: node.resolvedKey.map(String),
        array: node.kind === 'array',
        headerStart: node.range[0] + offset,
        headerEnd: node.key.range[1] + offset + 1,
        kvs: node.body.map((n) => kv(n as never)),
      });
    }
  }
  return snap;
}

function indexOf(doc: TomlEditor): Snapshot {
  const ix = (doc as unknown as { idx(): { lineStarts: number[]; commentLines: Set<number>; topKvs: Kv[]; tables: Table[] } }).idx();
  return {
    lineStarts: ix.lineStarts,
    commentLines: [...ix.commentLines].sort((a, b) => a - b),
    topKvs: ix.topKvs,
    tables: ix.tables.map(({ path, array, headerStart, headerEnd, kvs }) => ({ path, array, headerStart, headerEnd, kvs })),
  };
}

/** Many tables with everything that could confuse a cut: multi-line strings and arrays whose lines start with `[`. */
function bigDoc(blocks: number, opts: { crlf?: boolean; bom?: boolean; finalNewline?: boolean } = {}): string {
  const parts = ['# top comment\nmodel = "gpt-5"\n  # indented comment\napproval_policy = "on-request" # trailing\n\n'];
  for (let i = 0; i < blocks; i++) {
    const family = ['mcp_servers', 'projects', 'model_providers', 'tui'][i % 4];
    parts.push(`# block ${i}\n# second line ${'x'.repeat(i % 13)}\n`);
    parts.push(i % 7 === 3 ? `  [${family}.b${i}]   # indented header\n` : `[${family}."b ${i}"]\n`);
    if (i % 2 === 0) parts.push('# first line of the body\n\n');
    parts.push(`command = "c${i}"\nargs = [\n[1, 2],\n["[not.a.header]"],\n]\n`);
    if (i % 5 === 0) parts.push(`notes = """\n[looks.like.a.header]\n# not a comment\n"""\n`);
    if (i % 6 === 1) parts.push(`lit = '''\n[also.not]\n'''\n`);
    parts.push(`env = { A = "1", B = { C = 2 } }\ndotted.key = ${i}\n\n`);
  }
  let text = parts.join('');
  if (opts.finalNewline === false) text = text.replace(/\n+$/, '');
  if (opts.crlf) text = text.replace(/\n/g, '\r\n');
  return (opts.bom ? '\uFEFF' : '') + text;
}

describe('the index built in pieces', () => {
  test.each([
    ['LF', {}],
    ['CRLF, BOM, no final newline', { crlf: true, bom: true, finalNewline: false }],
  ] as const)('a large document (%s) indexes exactly like one parse of the whole text', (_name, opts) => {
    const text = bigDoc(400, opts);
    expect(text.length).toBeGreaterThan(4 * 16 * 1024); // several pieces
    expect(indexOf(TomlEditor.parse(text, 'config.toml'))).toEqual(oracle(text));
  });

  test('a multi-line string holding header-like lines at every cut still indexes right', () => {
    // One huge string: every cut candidate inside it is wrong, and the pieces fail to parse.
    const body = Array.from({ length: 3000 }, (_, i) => `[fake.header${i}]\nkey = ${i}`).join('\n');
    const text = `a = 1\ns = """\n${body}\n"""\n[real]\nb = 2\n`;
    const doc = TomlEditor.parse(text, 'config.toml');
    expect(indexOf(doc)).toEqual(oracle(text));
    expect(doc.hasTableHeader(['real'])).toBe(true);
    expect(doc.hasTableHeader(['fake', 'header1'])).toBe(false);
  });

  test('arrays of tables are numbered across the whole file', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `[[servers]]\nname = "s${i}"\n[servers.opts]\nport = ${i}\n`).join('\n');
    expect(indexOf(TomlEditor.parse(text, 'config.toml'))).toEqual(oracle(text));
  });

  test('an error far into a large file is reported at the same line and column as before', () => {
    const head = bigDoc(300);
    const tail = bigDoc(50).replace(/^[^[]*/, '').replace(/\.b(\d)/g, '.t$1').replace(/"b /g, '"t ');
    const text = `${head}[late]\nd = 1988-02-30\n${tail}`;
    let whole: { lineNumber: number; column: number } | undefined;
    try {
      parseTOML(text, { tomlVersion: '1.1' });
    } catch (e) {
      whole = e as { lineNumber: number; column: number };
    }
    expect(whole?.lineNumber).toBeGreaterThan(head.split('\n').length);
    const line = whole!.lineNumber;
    let err: unknown;
    try {
      TomlEditor.parse(text, 'config.toml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TomlSyntaxError);
    expect((err as TomlSyntaxError).line).toBe(line);
    expect((err as Error).message).toMatch(new RegExp(`^config\\.toml:${line}:${whole!.column + 1}: `));
  });
});

describe('the index derived after an edit', () => {
  type Edit =
    | { kind: 'addProfile'; name: string }
    | { kind: 'removeProfile'; nth: number }
    | { kind: 'setTop'; key: string; value: string }
    | { kind: 'removeTop'; key: string }
    | { kind: 'setInTable'; nth: number; key: string; value: number }
    | { kind: 'removeInTable'; nth: number };

  const editArb: fc.Arbitrary<Edit> = fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/).map((name) => ({ kind: 'addProfile' as const, name })),
    fc.nat(50).map((nth) => ({ kind: 'removeProfile' as const, nth })),
    fc.tuple(fc.constantFrom('oss_provider', 'model', 'approval_policy', 'new_key'), fc.string({ maxLength: 8 })).map(([key, value]) => ({ kind: 'setTop' as const, key, value })),
    fc.constantFrom('oss_provider', 'model', 'approval_policy').map((key) => ({ kind: 'removeTop' as const, key })),
    fc.tuple(fc.nat(400), fc.constantFrom('command', 'extra', 'port'), fc.integer()).map(([nth, key, value]) => ({ kind: 'setInTable' as const, nth, key, value })),
    fc.nat(400).map((nth) => ({ kind: 'removeInTable' as const, nth })),
  );

  function apply(doc: TomlEditor, e: Edit): TomlEditor {
    const tables = () => {
      const t = (doc.get(['mcp_servers']) ?? {}) as Record<string, unknown>;
      return Object.keys(t);
    };
    switch (e.kind) {
      case 'addProfile':
        return doc.get(['profiles', e.name]) === undefined ? doc.addTable(['profiles', e.name], { model: e.name, model_provider: 'ollama' }) : doc;
      case 'removeProfile': {
        const names = Object.keys((doc.get(['profiles']) ?? {}) as object);
        return names.length ? doc.removeTable(['profiles', names[e.nth % names.length]!]) : doc;
      }
      case 'setTop':
        return doc.setValue([e.key], e.value);
      case 'removeTop':
        return doc.removeValue([e.key]);
      case 'setInTable': {
        const names = tables();
        return names.length ? doc.setValue(['mcp_servers', names[e.nth % names.length]!, e.key], e.value) : doc;
      }
      case 'removeInTable': {
        const names = tables();
        return names.length ? doc.removeValue(['mcp_servers', names[e.nth % names.length]!, 'command']) : doc;
      }
    }
  }

  test('random edit sequences on large documents index like one parse of the result', () => {
    const texts = [bigDoc(120), bigDoc(120, { crlf: true, bom: true, finalNewline: false }), '# only a comment\n', '', '[a]\nb = 1'];
    fc.assert(
      fc.property(fc.constantFrom(...texts.keys()), fc.array(editArb, { minLength: 1, maxLength: 6 }), (t, edits) => {
        let doc = TomlEditor.parse(texts[t]!, 'config.toml');
        for (const e of edits) {
          doc = apply(doc, e);
          expect(indexOf(doc)).toEqual(oracle(doc.text));
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) },
    );
  });
});
