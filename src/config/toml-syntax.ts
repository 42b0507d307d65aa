import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import { TomlSyntaxError, type KeyPath } from './toml.js';

/**
 * Where things are in a TOML text (tables, keys, values, comment lines), from toml-eslint-parser's
 * syntax tree. Only this module loads that parser: reading (toml-read.ts) asks for it when a
 * line or a second syntax check is needed, editing (toml-edit.ts) always.
 *
 * The index is built from the syntax tree in pieces of whole tables (buildIndex), and after an
 * edit derived from the previous document's index by parsing only the tables around the edit
 * (deriveIndex): editing time grows with the file's size, not faster.
 */

export interface KeyValueInfo {
  /** Dotted parts of the key as written (`a.b = 1` -> ['a', 'b']). */
  key: string[];
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
  inline: boolean;
}

export interface TableInfo {
  path: string[];
  array: boolean;
  headerStart: number;
  headerEnd: number;
  kvs: KeyValueInfo[];
}

export interface Index {
  lineStarts: number[];
  /** Lines whose first non-blank character starts a comment. */
  commentLines: Set<number>;
  topKvs: KeyValueInfo[];
  tables: TableInfo[];
  /** The first table written with each path (see pathKey), built on first use. */
  byPath?: Map<string, TableInfo>;
}

/** A table path as a map key (parts compare as strings, like samePath). */
export function pathKey(path: readonly (string | number)[]): string {
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

export function startsWith(path: readonly (string | number)[], prefix: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => String(path[i]) === p);
}

export function samePath(a: readonly (string | number)[], b: KeyPath): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** samePath([...table, ...kv.key], path), without building the joined path. */
export function writtenAt(table: readonly string[], kv: KeyValueInfo, path: KeyPath): boolean {
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

export function lineOfPos(lineStarts: readonly number[], pos: number): number {
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

export function buildIndex(text: string, file: string): Index {
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
export interface Splice {
  start: number;
  end: number;
  insert: string;
}

/** The index of the document an edit started from, and where the edit was. */
export interface Origin {
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
export function deriveIndex(o: Origin, text: string, file: string): Index {
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
