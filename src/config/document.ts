import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import { ConfigError } from '../errors.js';
import {
  deleteIn,
  formatKey,
  formatKeyPath,
  formatTable,
  formatValue,
  getIn,
  isPlainTable,
  parseToml,
  sameData,
  TomlSyntaxError,
  setIn,
  type KeyPath,
  type TomlTable,
} from './toml.js';

/**
 * A TOML file edited in place, in the spirit of Rust's toml_edit: every operation splices new
 * text into the original string and leaves every other byte alone (comments, blank lines, key
 * order, quoting, CRLF, a BOM, a missing final newline).
 *
 * smol-toml says what the data is and writes new snippets; toml-eslint-parser says where things
 * are (exact ranges). After every edit the result is parsed again and compared with the data we
 * meant to produce; any difference is refused before anything reaches the disk.
 *
 * The index (where tables, keys and comment lines are) is built from the syntax tree in pieces
 * of whole tables (buildIndex), and after an edit derived from the previous document's index by
 * parsing only the tables around the edit (deriveIndex): editing time grows with the file's
 * size, not faster, and a chain of edits parses the whole text with smol-toml once per edit.
 *
 * Documents are immutable: each edit returns a new document.
 */

interface KeyValueInfo {
  /** Dotted parts of the key as written (`a.b = 1` -> ['a', 'b']). */
  key: string[];
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
  inline: boolean;
}

interface TableInfo {
  path: string[];
  array: boolean;
  headerStart: number;
  headerEnd: number;
  kvs: KeyValueInfo[];
}

interface Index {
  lineStarts: number[];
  /** Lines whose first non-blank character starts a comment. */
  commentLines: Set<number>;
  topKvs: KeyValueInfo[];
  tables: TableInfo[];
  /** The first table written with each path (see pathKey), built on first use. */
  byPath?: Map<string, TableInfo>;
}

/** A table path as a map key (parts compare as strings, like samePath). */
function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path.map(String));
}

function keyParts(key: AST.TOMLKey): string[] {
  return key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}

function kvInfo(node: AST.TOMLKeyValue, offset: number): KeyValueInfo {
  return {
    key: keyParts(node.key),
    start: node.range[0] + offset,
    end: node.range[1] + offset,
    valueStart: node.value.range[0] + offset,
    valueEnd: node.value.range[1] + offset,
    inline: node.value.type === 'TOMLInlineTable',
  };
}

function startsWith(path: readonly (string | number)[], prefix: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => String(path[i]) === p);
}

function samePath(a: readonly (string | number)[], b: KeyPath): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** samePath([...table, ...kv.key], path), without building the joined path. */
function writtenAt(table: readonly string[], kv: KeyValueInfo, path: KeyPath): boolean {
  if (table.length + kv.key.length !== path.length) return false;
  for (let i = 0; i < path.length; i++) if ((i < table.length ? table[i] : kv.key[i - table.length]) !== path[i]) return false;
  return true;
}

// ---------------------------------------------------------------- the index

/**
 * The syntax tree parser runs on pieces of about this many characters, each a run of whole
 * tables. Its trees are large and short-lived: parsing a 1 MB file in one piece keeps the whole
 * tree alive and most of the time goes to the garbage collector (and it grows faster than the
 * file); in pieces, each tree dies young and the cost is linear. Smaller pieces measured
 * faster down to about 4 KB (1 MB, cold: 16 KB pieces about 350 ms, 4 KB about 265 ms).
 */
const CHUNK_CHARS = 4 * 1024;

/** Key/values and tables of [start, end) of `text`, parsed on their own; positions absolute. */
interface Region {
  topKvs: KeyValueInfo[];
  tables: TableInfo[];
  /** Start of every comment. */
  comments: number[];
}

function parseRegion(text: string, start: number, end: number): Region {
  const offset = start === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const from = start + offset;
  const ast = parseTOML(text.slice(from, end), { tomlVersion: '1.1' });
  const region: Region = { topKvs: [], tables: [], comments: ast.comments.map((c) => c.range[0] + from) };
  for (const node of ast.body[0]?.body ?? []) {
    if (node.type === 'TOMLKeyValue') region.topKvs.push(kvInfo(node, from));
    else {
      region.tables.push({
        path: node.resolvedKey.map(String),
        array: node.kind === 'array',
        headerStart: node.range[0] + from,
        headerEnd: node.key.range[1] + from + 1,
        kvs: node.body.map((kv) => kvInfo(kv, from)),
      });
    }
  }
  return region;
}

/** The whole text in one piece; a syntax error becomes a TomlSyntaxError with file:line:col. */
function parseWhole(text: string, file: string): Region {
  try {
    return parseRegion(text, 0, text.length);
  } catch (err) {
    const e = err as { lineNumber?: number; column?: number; message: string };
    if (typeof e.lineNumber === 'number') {
      const bom = text.charCodeAt(0) === 0xfeff;
      throw new TomlSyntaxError(file, e.lineNumber, (e.column ?? 0) + 1 + (bom && e.lineNumber === 1 ? 1 : 0), e.message);
    }
    throw err;
  }
}

/**
 * Where the text may be cut into pieces for the parser: before lines that look like a standard
 * table header, about every CHUNK_CHARS. A cut can only be wrong inside a multi-line string or
 * array; the piece before it then ends in an unclosed value and fails to parse, and the whole
 * text is parsed in one piece instead. Arrays of tables ([[x]]) number their entries across the
 * whole file, so a file that may hold one is never cut.
 */
function chunkStarts(text: string): number[] {
  const starts = [0];
  if (text.length <= CHUNK_CHARS || /^[ \t]*\[\[/m.test(text)) return starts;
  const header = /^[ \t]*\[/gm;
  let last = 0;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    const at = m.index + m[0].length - 1;
    if (at - last >= CHUNK_CHARS) starts.push((last = at));
  }
  return starts;
}

function regionsOf(text: string, file: string): Region[] {
  const starts = chunkStarts(text);
  if (starts.length > 1) {
    try {
      return starts.map((s, i) => parseRegion(text, s, starts[i + 1] ?? text.length));
    } catch {
      // A cut inside a multi-line value, or a real syntax error: parse in one piece (below),
      // which reports the error exactly as it always has.
    }
  }
  return [parseWhole(text, file)];
}

function lineOfPos(lineStarts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A comment that is the first thing on its line (a BOM aside) makes that a comment line. */
function addCommentLines(text: string, lineStarts: readonly number[], comments: readonly number[], into: Set<number>): void {
  for (const pos of comments) {
    const line = lineOfPos(lineStarts, pos);
    if (text.slice(lineStarts[line], pos).trim().replace(/^\uFEFF/, '') === '') into.add(line);
  }
}

function buildIndex(text: string, file: string): Index {
  const regions = regionsOf(text, file);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const index: Index = { lineStarts, commentLines: new Set(), topKvs: [], tables: [] };
  for (const r of regions) {
    for (const kv of r.topKvs) index.topKvs.push(kv);
    for (const t of r.tables) index.tables.push(t);
    addCommentLines(text, lineStarts, r.comments, index.commentLines);
  }
  return index;
}

/** One edit: the text in [start, end) is replaced by `insert`. */
interface Splice {
  start: number;
  end: number;
  insert: string;
}

/** The index of the document an edit started from, and where the edit was. */
interface Origin {
  parent: Index;
  parentLength: number;
  start: number;
  end: number;
  inserted: number;
}

/**
 * The index of an edited text from the index of the text before the edit, without parsing the
 * whole text again: only the tables around the edit are parsed (from the header of the last
 * table starting before the edit, or the start of the file, to the header of the first table
 * starting at or after its end); everything before is kept and everything after is shifted. Any
 * doubt (arrays of tables, whose entries are numbered across the file; a window that does not
 * parse on its own) falls back to building the index of the whole text.
 */
function deriveIndex(o: Origin, text: string, file: string): Index {
  const p = o.parent;
  if (p.tables.some((t) => t.array)) return buildIndex(text, file);
  const delta = o.inserted - (o.end - o.start);
  // First table whose header starts at or after `pos` (tables are in text order).
  const firstAtOrAfter = (pos: number): number => {
    let lo = 0;
    let hi = p.tables.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p.tables[mid]!.headerStart < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const before = firstAtOrAfter(o.start) - 1; // last table starting before the edit, or -1
  const after = firstAtOrAfter(o.end);
  const ws = before >= 0 ? p.tables[before]!.headerStart : 0;
  const we = after < p.tables.length ? p.tables[after]!.headerStart : o.parentLength;
  let region: Region;
  try {
    region = parseRegion(text, ws, we + delta);
  } catch {
    return buildIndex(text, file);
  }
  if (region.tables.some((t) => t.array) || (ws > 0 && region.topKvs.length > 0)) return buildIndex(text, file);

  const lineStarts: number[] = [];
  const oldLines = p.lineStarts;
  let k = 0;
  for (; k < oldLines.length && oldLines[k]! <= ws; k++) lineStarts.push(oldLines[k]!);
  for (let i = text.indexOf('\n', ws); i >= 0 && i < we + delta; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let firstAfter = k;
  while (firstAfter < oldLines.length && oldLines[firstAfter]! <= we) firstAfter++;
  for (let j = firstAfter; j < oldLines.length; j++) lineStarts.push(oldLines[j]! + delta);
  const lineDelta = lineStarts.length - oldLines.length;

  const windowFirstLine = lineOfPos(oldLines, ws);
  const commentLines = new Set<number>();
  for (const line of p.commentLines) {
    if (line < windowFirstLine) commentLines.add(line);
    else if (line >= firstAfter) commentLines.add(line + lineDelta);
  }
  addCommentLines(text, lineStarts, region.comments, commentLines);

  const shiftKv = (kv: KeyValueInfo): KeyValueInfo => ({
    ...kv,
    start: kv.start + delta,
    end: kv.end + delta,
    valueStart: kv.valueStart + delta,
    valueEnd: kv.valueEnd + delta,
  });
  const tables = p.tables.slice(0, Math.max(before, 0));
  for (const t of region.tables) tables.push(t);
  for (let i = after; i < p.tables.length; i++) {
    const t = p.tables[i]!;
    tables.push({ ...t, headerStart: t.headerStart + delta, headerEnd: t.headerEnd + delta, kvs: t.kvs.map(shiftKv) });
  }
  return { lineStarts, commentLines, topKvs: ws === 0 ? region.topKvs : p.topKvs, tables };
}

/** A local date as TOML writes it (also inside date-times), wherever it appears in the text. */
const DATE_LIKE = /\d{4}-\d{2}-\d{2}/;

export class TomlDocument {
  private index?: Index;
  private cachedData?: TomlTable;
  /** Documents made by an edit: what their index is derived from, until it is built. */
  private origin?: Origin;

  private constructor(
    readonly file: string,
    readonly text: string,
    data?: TomlTable,
  ) {
    this.cachedData = data;
  }

  /**
   * Refuses invalid TOML with file:line:col.
   *
   * The syntax tree is needed for any edit, and its parser also catches what smol-toml lets
   * through (February 30th): by default it is built now, so invalid files are refused up front.
   * `index: 'lazy'` (reading only, e.g. `list`) builds it on first use (lineOf, an edit, or
   * checkSyntax) instead, unless the text holds anything like a date: over toml-test's invalid
   * files, days that do not exist are the only thing smol-toml accepts and the syntax tree
   * refuses, so such a text is checked by both parsers at once and refused exactly as by default.
   */
  static parse(text: string, file: string, opts: { index?: 'eager' | 'lazy' } = {}): TomlDocument {
    const doc = new TomlDocument(file, text, parseToml(text, file));
    if (opts.index !== 'lazy' || DATE_LIKE.test(text)) doc.idx();
    return doc;
  }

  /**
   * Builds the syntax tree index now when it is not built yet, refusing (TomlSyntaxError) what its
   * parser refuses. Documents parsed eagerly have it already.
   */
  checkSyntax(): this {
    this.idx();
    return this;
  }

  static empty(file: string): TomlDocument {
    return new TomlDocument(file, '', {});
  }

  get data(): TomlTable {
    this.cachedData ??= parseToml(this.text, this.file);
    return this.cachedData;
  }

  get eol(): string {
    const i = this.text.indexOf('\n');
    return i > 0 && this.text[i - 1] === '\r' ? '\r\n' : '\n';
  }

  get(path: KeyPath): unknown {
    return getIn(this.data, path);
  }

  /** True when `[path]` is written as a table header of its own. */
  hasTableHeader(path: KeyPath): boolean {
    const found = this.findTable(path);
    return found !== undefined && (!found.array || this.idx().tables.some((t) => !t.array && samePath(t.path, path)));
  }

  /** 1-based line of a table header or key, for messages; undefined when not written as such. */
  lineOf(path: KeyPath): number | undefined {
    const ix = this.idx();
    const table = this.findTable(path);
    if (table) return this.lineIndex(table.headerStart) + 1;
    for (const t of [{ path: [] as string[], kvs: ix.topKvs }, ...ix.tables]) {
      for (const kv of t.kvs) if (startsWith([...t.path, ...kv.key], path) || startsWith(path, [...t.path, ...kv.key])) {
        return this.lineIndex(kv.start) + 1;
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- operations

  /** Set a scalar or array value; `path` is [...table, key]. Creates the table when missing. */
  setValue(path: KeyPath, value: unknown): TomlDocument {
    if (path.length === 0) throw new Error('setValue needs a key');
    const tablePath = path.slice(0, -1);
    const key = path[path.length - 1]!;
    const ix = this.idx();
    const eol = this.eol;
    const line = `${formatKey(key)} = ${formatValue(value)}`;

    let kvs: KeyValueInfo[];
    let insertAfter: number; // a position just past the end of the line we insert after
    if (tablePath.length === 0) {
      kvs = ix.topKvs;
    } else {
      const table = this.requireHeaderTable(tablePath, { allowMissing: true });
      if (!table) return this.addTable(tablePath, { [key]: value });
      kvs = table.kvs;
    }
    const existing = kvs.find((kv) => kv.key.length === 1 && kv.key[0] === key);
    if (existing) {
      const edit: Splice = { start: existing.valueStart, end: existing.valueEnd, insert: formatValue(value) };
      return this.verified(edit, path, (d) => setIn(d, path, value), `set ${formatKeyPath(path)}`);
    }
    const dotted = kvs.find((kv) => kv.key[0] === key);
    if (dotted) this.refuseShape(path, dotted.start, 'dotted keys');

    if (tablePath.length === 0 && kvs.length === 0) {
      // No top-level keys yet: they must come before the first table.
      const first = ix.tables[0];
      if (first) {
        const at = this.blockStart(first);
        return this.verified({ start: at, end: at, insert: line + eol + eol }, path, (d) => setIn(d, path, value), `set ${key}`);
      }
      return this.verified(this.insertLineAt(this.contentEnd(0, this.text.length), line), path, (d) => setIn(d, path, value), `set ${key}`);
    }
    if (kvs.length > 0) {
      insertAfter = this.lineEnd(this.lineIndex(kvs[kvs.length - 1]!.end));
    } else {
      const table = this.requireHeaderTable(tablePath, { allowMissing: false })!;
      insertAfter = this.lineEnd(this.lineIndex(table.headerEnd));
    }
    return this.verified(this.insertLineAt(insertAfter, line), path, (d) => setIn(d, path, value), `set ${formatKeyPath(path)}`);
  }

  /** Remove a key (with its whole line). Missing keys are a no-op. */
  removeValue(path: KeyPath): TomlDocument {
    const tablePath = path.slice(0, -1);
    const key = path[path.length - 1]!;
    const ix = this.idx();
    const kvs = tablePath.length === 0 ? ix.topKvs : this.requireHeaderTable(tablePath, { allowMissing: true })?.kvs;
    if (!kvs) return this;
    const kv = kvs.find((k) => k.key.length === 1 && k.key[0] === key);
    if (!kv) {
      const dotted = kvs.find((k) => k.key[0] === key);
      if (dotted) this.refuseShape(path, dotted.start, 'dotted keys');
      return this;
    }
    let start = this.lineStart(this.lineIndex(kv.start));
    let end = this.lineEnd(this.lineIndex(kv.end));
    if (end === this.text.length && !this.endsWithEol(end)) start = this.eatEolBefore(start);
    // The last top-level key goes with the blank line that separated it from the first table.
    const first = this.idx().tables[0];
    if (tablePath.length === 0 && kvs.length === 1 && first && end < this.text.length && this.isBlankLine(this.lineIndex(end)) &&
      this.lineEnd(this.lineIndex(end)) === this.blockStart(first)) {
      end = this.lineEnd(this.lineIndex(end));
    }
    return this.verified({ start, end, insert: '' }, path, (d) => deleteIn(d, path), `remove ${formatKeyPath(path)}`);
  }

  /**
   * Add a new table (with sub-tables for nested objects); refuses when it already exists.
   * `blockText` (a header with its body and comments, e.g. from a template) replaces the
   * generated text; it is still verified to mean exactly `data`.
   */
  addTable(path: KeyPath, data: TomlTable, blockText?: string, opts: { keepEol?: boolean } = {}): TomlDocument {
    if (this.get(path) !== undefined) {
      throw new ConfigError(`${this.file}: [${formatKeyPath(path)}] already exists`, undefined, 'EDIT_REFUSED');
    }
    this.checkAncestors(path);
    const ix = this.idx();
    const family = ix.tables.filter((t) => String(t.path[0]) === path[0]);
    const anchor = family[family.length - 1] ?? ix.tables[ix.tables.length - 1];
    const at = anchor ? this.tableContentEnd(ix.tables.indexOf(anchor)) : this.contentEnd(0, this.text.length);
    // keepEol: text moved from another file keeps its own line endings, so moving it back gives
    // back its bytes (TOML takes LF and CRLF lines in one file).
    let block = blockText !== undefined && opts.keepEol ? blockText : (blockText ?? formatTable(path, data)).replace(/\r?\n/g, this.eol);
    if (!block.endsWith('\n')) block += this.eol;
    return this.verified(this.insertBlockAt(at, block), path, (d) => setIn(d, path, structuredCloneTable(data)), `add [${formatKeyPath(path)}]`);
  }

  /**
   * Remove a table, its sub-tables and the comment lines directly above it. Missing tables are
   * a no-op; tables written in shapes we cannot cut out cleanly are refused.
   */
  removeTable(path: KeyPath): TomlDocument {
    if (this.get(path) === undefined) return this;
    const [start, end] = this.tableSpan(path);
    let s = start;
    let e = end;
    if (s > this.bomLength && this.isBlankLine(this.lineIndex(s - 1))) s = Math.max(this.bomLength, this.lineStart(this.lineIndex(s - 1)));
    if (e === this.text.length && !this.endsWithEol(e)) s = this.eatEolBefore(s);
    // First in the file, with a comment kept after it: the blank line that separated them goes too.
    else if (s === this.bomLength && e < this.text.length && this.isBlankLine(this.lineIndex(e)) && this.idx().commentLines.has(this.lineIndex(e) + 1)) {
      e = this.lineEnd(this.lineIndex(e));
    }
    return this.verified({ start: s, end: e, insert: '' }, path, (d) => this.deletePruning(d, path), `remove [${formatKeyPath(path)}]`);
  }

  /**
   * Make `[path]` hold exactly `data`, editing key by key so comments and the order of keys that
   * stay are kept. Adds the table when missing.
   */
  replaceTable(path: KeyPath, data: TomlTable): TomlDocument {
    if (this.get(path) === undefined) return this.addTable(path, data);
    this.requireHeaderTable(path, { allowMissing: false });
    let doc: TomlDocument = this;
    const current = doc.get(path) as TomlTable;
    for (const key of Object.keys(current)) {
      if (Object.prototype.hasOwnProperty.call(data, key)) continue;
      doc = isPlainTable(current[key]) && doc.hasTableHeader([...path, key])
        ? doc.removeTable([...path, key])
        : doc.removeValue([...path, key]);
    }
    for (const [key, value] of Object.entries(data)) {
      const sub = [...path, key];
      if (isPlainTable(value) && (doc.get(sub) === undefined || doc.hasTableHeader(sub))) {
        doc = doc.replaceTable(sub, value);
      } else if (!sameData(doc.get(sub), value)) {
        doc = doc.setValue(sub, value);
      }
    }
    return doc;
  }

  /** The exact text of a table, its sub-tables and attached comments (for moving it elsewhere). */
  tableText(path: KeyPath): string {
    const [start, end] = this.tableSpan(path);
    return this.text.slice(start, end);
  }

  // ---------------------------------------------------------------- helpers

  /** `[path]` header, or `path = ...` written as a key (not just implied by deeper keys). */
  private definedExplicitly(path: KeyPath): boolean {
    const ix = this.idx();
    if (this.findTable(path)) return true;
    return ix.topKvs.some((kv) => samePath(kv.key, path)) || ix.tables.some((t) => t.kvs.some((kv) => writtenAt(t.path, kv, path)));
  }

  /** Delete, then drop parents that existed only implicitly (no header of their own) and are now empty. */
  private deletePruning(data: TomlTable, path: KeyPath): void {
    deleteIn(data, path);
    for (let n = path.length - 1; n >= 1; n--) {
      const prefix = path.slice(0, n);
      const value = getIn(data, prefix);
      if (!isPlainTable(value) || Object.keys(value).length > 0 || this.definedExplicitly(prefix)) break;
      deleteIn(data, prefix);
    }
  }

  private idx(): Index {
    if (!this.index) {
      this.index = this.origin ? deriveIndex(this.origin, this.text, this.file) : buildIndex(this.text, this.file);
      this.origin = undefined;
    }
    return this.index;
  }

  /** The first table whose header is written with this path (what `tables.find` would give). */
  private findTable(path: KeyPath): TableInfo | undefined {
    const ix = this.idx();
    if (!ix.byPath) {
      ix.byPath = new Map();
      for (const t of ix.tables) {
        const key = pathKey(t.path);
        if (!ix.byPath.has(key)) ix.byPath.set(key, t);
      }
    }
    return ix.byPath.get(pathKey(path));
  }

  private lineIndex(pos: number): number {
    return lineOfPos(this.idx().lineStarts, pos);
  }

  /** Line 0 starts after a byte order mark, so no edit ever moves or removes it. */
  private lineStart(line: number): number {
    if (line === 0) return Math.min(this.bomLength, this.text.length);
    return this.idx().lineStarts[line] ?? this.text.length;
  }

  /** Just past the line's end-of-line (or the end of the text on the last line). */
  private lineEnd(line: number): number {
    return this.idx().lineStarts[line + 1] ?? this.text.length;
  }

  private isBlankLine(line: number): boolean {
    const s = this.text.slice(this.lineStart(line), this.lineEnd(line));
    return s.replace(/^\uFEFF/, '').trim() === '';
  }

  /** A byte order mark stays first: nothing is ever inserted before it. */
  private get bomLength(): number {
    return this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  private endsWithEol(pos: number): boolean {
    return pos > 0 && this.text[pos - 1] === '\n';
  }

  private eatEolBefore(pos: number): number {
    if (pos > 0 && this.text[pos - 1] === '\n') return pos >= 2 && this.text[pos - 2] === '\r' ? pos - 2 : pos - 1;
    return pos;
  }

  /** The start of a table's block: its header line, or the comment lines directly above it. */
  private blockStart(table: TableInfo): number {
    let line = this.lineIndex(table.headerStart);
    const comments = this.idx().commentLines;
    while (line > 0 && comments.has(line - 1)) line--;
    return this.lineStart(line);
  }

  /** The end of the last non-blank line in [from, to). */
  private contentEnd(from: number, to: number): number {
    let end = to;
    while (end > from) {
      const line = this.lineIndex(end - 1);
      const start = Math.max(from, this.lineStart(line));
      if (!this.isBlankLine(line) || start >= end) break;
      end = start;
    }
    return end;
  }

  /**
   * Where table i ends: its last key (or header), plus comment lines that follow it with no
   * blank line between. A comment after a blank line belongs to what follows (a `# -- Plugins --`
   * header above the next table, a note at the end of the file), so remove and migrate leave it.
   */
  private tableContentEnd(i: number): number {
    const ix = this.idx();
    const table = ix.tables[i]!;
    const next = ix.tables[i + 1];
    const bound = next ? this.blockStart(next) : this.text.length;
    const lastKv = table.kvs[table.kvs.length - 1];
    let line = this.lineIndex(lastKv ? lastKv.end : table.headerEnd) + 1;
    while (line < ix.lineStarts.length && this.lineStart(line) < bound && ix.commentLines.has(line)) line++;
    return this.contentEnd(table.headerStart, Math.min(bound, this.lineStart(line)));
  }

  /** [start, end) of a table with its sub-tables and attached comments. */
  private tableSpan(path: KeyPath): [number, number] {
    const table = this.requireHeaderTable(path, { allowMissing: false })!;
    const ix = this.idx();
    const members = ix.tables.map((t, i) => (startsWith(t.path, path) ? i : -1)).filter((i) => i >= 0);
    const first = ix.tables.indexOf(table);
    const last = members[members.length - 1]!;
    if (members[0] !== first || members.length !== last - first + 1) {
      throw new ConfigError(
        `${this.file}:${this.lineIndex(table.headerStart) + 1}: [${formatKeyPath(path)}] is split across the file (its sub-tables are not next to it); edit it by hand.`, undefined,
        'CONFIG_SHAPE',
      );
    }
    return [this.blockStart(table), this.tableContentEnd(last)];
  }

  /**
   * The header table for `path`. Tables that exist only through dotted keys, inline tables or
   * arrays of tables are refused with a clear message rather than rewritten.
   */
  private requireHeaderTable(path: KeyPath, opts: { allowMissing: boolean }): TableInfo | undefined {
    const found = this.findTable(path);
    if (found?.array) {
      throw new ConfigError(`${this.file}:${this.lineIndex(found.headerStart) + 1}: [[${formatKeyPath(path)}]] is an array of tables; codex-profiles will not edit it.`, undefined, 'CONFIG_SHAPE');
    }
    if (found) return found;
    if (this.get(path) === undefined) {
      if (opts.allowMissing) {
        this.checkAncestors(path);
        return undefined;
      }
      throw new ConfigError(`${this.file}: [${formatKeyPath(path)}] does not exist`, undefined, 'EDIT_REFUSED');
    }
    const line = this.lineOf(path);
    throw new ConfigError(
      `${this.file}${line ? `:${line}` : ''}: ${formatKeyPath(path)} is written with dotted keys or as an inline table; codex-profiles will not rewrite that shape.`,
      `Rewrite it as a [${formatKeyPath(path)}] table, or edit it by hand. Nothing was changed.`,
      'CONFIG_SHAPE',
    );
  }

  /** A new table cannot go under a value, an inline table or an array. */
  private checkAncestors(path: KeyPath): void {
    for (let n = 1; n < path.length; n++) {
      const prefix = path.slice(0, n);
      const value = this.get(prefix);
      if (value === undefined) continue;
      const inlineOrValue = !isPlainTable(value) || this.idx().topKvs.some((kv) => samePath(kv.key, prefix) && kv.inline) ||
        this.idx().tables.some((t) => t.kvs.some((kv) => kv.inline && writtenAt(t.path, kv, prefix)));
      if (inlineOrValue) this.refuseShape(prefix, undefined, isPlainTable(value) ? 'an inline table' : 'a plain value');
    }
  }

  private refuseShape(path: KeyPath, pos: number | undefined, shape: string): never {
    const line = pos !== undefined ? this.lineIndex(pos) + 1 : this.lineOf(path);
    throw new ConfigError(
      `${this.file}${line ? `:${line}` : ''}: ${formatKeyPath(path)} is written as ${shape}; codex-profiles will not rewrite that shape.`,
      `Rewrite it as a [${formatKeyPath(path)}] table, or edit it by hand. Nothing was changed.`,
      'CONFIG_SHAPE',
    );
  }

  /** Insert one line after position `at` (the end of a line, or the end of the text). */
  private insertLineAt(at: number, line: string): Splice {
    const eol = this.eol;
    at = Math.max(at, this.bomLength);
    if (at === this.bomLength || this.endsWithEol(at)) return { start: at, end: at, insert: line + eol };
    return { start: at, end: at, insert: eol + line };
  }

  /**
   * Insert a block (ending in an end-of-line) after the content ending at `at`, separated by one
   * blank line. The exact inverse is removeTable's "block plus one blank line before it", which
   * is what makes add-then-remove give back the original bytes.
   */
  private insertBlockAt(at: number, block: string): Splice {
    const eol = this.eol;
    at = Math.max(at, this.bomLength);
    if (at === this.bomLength) return { start: at, end: at, insert: block };
    if (this.endsWithEol(at)) return { start: at, end: at, insert: eol + block };
    // The file had no final newline: keep it that way.
    return { start: at, end: at, insert: eol + eol + block.replace(/\r?\n$/, '') };
  }

  /**
   * Build the edited document, or refuse if its data is not exactly what we meant. The expected
   * data is this document's data with `intend` applied to a copy of the tables along `path` (the
   * rest is shared, never changed); the new text is parsed in full and must mean exactly that.
   * The new document's index is derived from this one's (see deriveIndex), not parsed again.
   */
  private verified(edit: Splice, path: KeyPath, intend: (data: TomlTable) => void, what: string): TomlDocument {
    const text = this.text.slice(0, edit.start) + edit.insert + this.text.slice(edit.end);
    const expected = copyAlong(this.data, path);
    intend(expected);
    let actual: TomlTable;
    try {
      actual = parseToml(text, this.file);
    } catch (err) {
      throw new ConfigError(`${this.file}: refusing to ${what}: the result would not be valid TOML (${(err as Error).message}). Nothing was changed.`, undefined, 'EDIT_REFUSED');
    }
    if (!sameData(actual, expected)) {
      throw new ConfigError(`${this.file}: refusing to ${what}: the result would change more than intended. Nothing was changed.`, undefined, 'EDIT_REFUSED');
    }
    const doc = new TomlDocument(this.file, text, actual);
    doc.origin = { parent: this.idx(), parentLength: this.text.length, start: edit.start, end: edit.end, inserted: edit.insert.length };
    return doc;
  }
}

/**
 * A shallow copy of `data` whose tables along `path` (all but the last key) are copies too, so
 * setIn / deleteIn on `path` change only the copy. Leaf values and other tables are shared.
 * Tables keep their prototype (smol-toml makes them with a null prototype).
 */
function copyAlong(data: TomlTable, path: KeyPath): TomlTable {
  const copy = (t: TomlTable): TomlTable => Object.assign(Object.create(Object.getPrototypeOf(t)) as TomlTable, t);
  const root = copy(data);
  let cur = root;
  for (const key of path.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(cur, key) ? cur[key] : undefined;
    if (!isPlainTable(next)) break;
    cur = cur[key] = copy(next);
  }
  return root;
}

function structuredCloneTable(data: TomlTable): TomlTable {
  const out: TomlTable = {};
  for (const [k, v] of Object.entries(data)) out[k] = isPlainTable(v) ? structuredCloneTable(v) : v;
  return out;
}
