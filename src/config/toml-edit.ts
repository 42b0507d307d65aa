import { ConfigError } from '../errors.js';
import {
  deleteIn,
  formatKey,
  formatKeyPath,
  formatTable,
  formatValue,
  getIn,
  copyAlong,
  parseToml,
  sameData,
  setIn,
  structuredCloneTable,
  type KeyPath,
  type TomlTable,
} from './toml.js';
import { isTable } from './toml-table.js';
import { TomlReadDocument } from './toml-read.js';
import * as syntax from './toml-syntax.js';
import { samePath, startsWith, writtenAt, type Index, type KeyValueInfo, type Origin, type Splice, type TableInfo } from './toml-syntax.js';

/**
 * A TOML file edited in place, in the spirit of Rust's toml_edit: every operation splices new
 * text into the original string and leaves every other byte alone (comments, blank lines, key
 * order, quoting, CRLF, a BOM, a missing final newline).
 *
 * An editor is made only from a read document that passed both parsers (from), so nothing edits
 * a text only smol-toml has seen. smol-toml says what the data is and writes new snippets; the
 * syntax index says where things are (exact ranges). After every edit the result is parsed again
 * and compared with the data we meant to produce; any difference is refused before anything
 * reaches the disk. A chain of edits parses the whole text with smol-toml once per edit; the
 * index of each result is derived from the one before (toml-syntax.ts, deriveIndex).
 *
 * Editors are immutable: each edit returns a new editor.
 */
export class TomlEditor extends TomlReadDocument {
  private constructor(file: string, text: string, data: TomlTable, seed: { index?: Index; origin?: Origin }) {
    super(file, text, data, syntax, seed);
  }

  /** The editor of a read document; refuses (TomlSyntaxError) what the syntax tree refuses. */
  static from(doc: TomlReadDocument): TomlEditor {
    doc.checkSyntax(syntax);
    return new TomlEditor(doc.file, doc.text, doc.data, { index: doc.syntaxIndex() as Index });
  }

  /** Read and check a text, then edit it (from(TomlReadDocument.parse(...)) in one call). */
  static override parse(text: string, file: string): TomlEditor {
    return TomlEditor.from(TomlReadDocument.parse(text, file, { syntax }));
  }

  static override empty(file: string): TomlEditor {
    return TomlEditor.from(TomlReadDocument.empty(file));
  }

  // ---------------------------------------------------------------- operations

  /** Set a scalar or array value; `path` is [...table, key]. Creates the table when missing. */
  setValue(path: KeyPath, value: unknown): TomlEditor {
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
  removeValue(path: KeyPath): TomlEditor {
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
  addTable(path: KeyPath, data: TomlTable, blockText?: string, opts: { keepEol?: boolean } = {}): TomlEditor {
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
  removeTable(path: KeyPath): TomlEditor {
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
  replaceTable(path: KeyPath, data: TomlTable): TomlEditor {
    if (this.get(path) === undefined) return this.addTable(path, data);
    this.requireHeaderTable(path, { allowMissing: false });
    let doc: TomlEditor = this;
    const current = doc.get(path) as TomlTable;
    for (const key of Object.keys(current)) {
      if (Object.prototype.hasOwnProperty.call(data, key)) continue;
      doc = isTable(current[key]) && doc.hasTableHeader([...path, key])
        ? doc.removeTable([...path, key])
        : doc.removeValue([...path, key]);
    }
    for (const [key, value] of Object.entries(data)) {
      const sub = [...path, key];
      if (isTable(value) && (doc.get(sub) === undefined || doc.hasTableHeader(sub))) {
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
      if (!isTable(value) || Object.keys(value).length > 0 || this.definedExplicitly(prefix)) break;
      deleteIn(data, prefix);
    }
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
        `${this.file}:${this.lineIndex(table.headerStart) + 1}: [${formatKeyPath(path)}] is split across the file (its sub-tables are not next to it); edit it by hand.`,
        undefined,
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
      const inlineOrValue = !isTable(value) || this.idx().topKvs.some((kv) => samePath(kv.key, prefix) && kv.inline) ||
        this.idx().tables.some((t) => t.kvs.some((kv) => kv.inline && writtenAt(t.path, kv, prefix)));
      if (inlineOrValue) this.refuseShape(prefix, undefined, isTable(value) ? 'an inline table' : 'a plain value');
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
  private verified(edit: Splice, path: KeyPath, intend: (data: TomlTable) => void, what: string): TomlEditor {
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
    const origin = { parent: this.idx(), parentLength: this.text.length, start: edit.start, end: edit.end, inserted: edit.insert.length };
    return new TomlEditor(this.file, text, actual, { origin });
  }
}
