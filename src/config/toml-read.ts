import { getIn, parseToml, type KeyPath, type TomlTable } from './toml.js';
import type * as SyntaxModule from './toml-syntax.js';
import type { Index, Origin, TableInfo } from './toml-syntax.js';

/**
 * A TOML file as read: its data (smol-toml) and, on demand, where its tables and keys are (the
 * syntax index, toml-eslint-parser). Read-only; the editor (toml-edit.ts) is made from one of
 * these once it has passed both parsers. `list` reads through this type alone, so it loads
 * neither the editor nor the syntax tree parser unless a line is listed (see load).
 */

export type TomlSyntax = typeof SyntaxModule;

let loadedSyntax: TomlSyntax | undefined;

/**
 * Loads the syntax index builder (and toml-eslint-parser with it). Loaded on demand because
 * its import alone costs a large share of `list`'s start-up.
 */
export async function loadTomlSyntax(): Promise<TomlSyntax> {
  loadedSyntax ??= await import('./toml-syntax.js');
  return loadedSyntax;
}

/** A local date as TOML writes it (also inside date-times), wherever it appears in the text. */
const DATE_LIKE = /\d{4}-\d{2}-\d{2}/;

export interface ReadOptions {
  /** 'eager' (the default) builds the syntax index now; 'lazy' on first use (see parse). */
  index?: 'eager' | 'lazy';
  /** The syntax index builder, when the caller has it already (else loadTomlSyntax's). */
  syntax?: TomlSyntax;
}

export class TomlReadDocument {
  private index?: Index;
  private cachedData?: TomlTable;
  private syntaxModule?: TomlSyntax;
  /** Documents made by an edit: what their index is derived from, until it is built. */
  private origin?: Origin;

  protected constructor(
    readonly file: string,
    readonly text: string,
    data: TomlTable | undefined,
    syntax: TomlSyntax | undefined,
    seed: { index?: Index; origin?: Origin } = {},
  ) {
    this.cachedData = data;
    this.syntaxModule = syntax;
    this.index = seed.index;
    this.origin = seed.origin;
  }

  /**
   * Refuses invalid TOML with file:line:col.
   *
   * The syntax tree is needed for any edit, and its parser also catches what smol-toml lets
   * through (February 30th): by default it is built now, so invalid files are refused up front.
   * `index: 'lazy'` (reading only, e.g. `list`) builds it on first use (lineOf, an editor, or
   * checkSyntax) instead, unless the text holds anything like a date: over toml-test's invalid
   * files, days that do not exist are the only thing smol-toml accepts and the syntax tree
   * refuses, so such a text is checked by both parsers at once and refused exactly as by default.
   * Building the index needs the syntax module: pass it, or use load (which loads it when needed).
   */
  static parse(text: string, file: string, opts: ReadOptions = {}): TomlReadDocument {
    const doc = new TomlReadDocument(file, text, parseToml(text, file), opts.syntax);
    if (TomlReadDocument.indexesNow(text, opts)) doc.idx();
    return doc;
  }

  /** parse, loading the syntax module first only when the index is built now. */
  static async load(text: string, file: string, opts: ReadOptions = {}): Promise<TomlReadDocument> {
    const syntax = opts.syntax ?? (TomlReadDocument.indexesNow(text, opts) ? await loadTomlSyntax() : undefined);
    return TomlReadDocument.parse(text, file, { ...opts, syntax });
  }

  private static indexesNow(text: string, opts: ReadOptions): boolean {
    return opts.index !== 'lazy' || DATE_LIKE.test(text);
  }

  static empty(file: string): TomlReadDocument {
    return new TomlReadDocument(file, '', {}, undefined, {});
  }

  /**
   * Builds the syntax tree index now when it is not built yet, refusing (TomlSyntaxError) what its
   * parser refuses. Documents parsed eagerly have it already.
   */
  checkSyntax(syntax?: TomlSyntax): this {
    this.syntaxModule ??= syntax;
    this.idx();
    return this;
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

  /** Where tables, keys and comment lines are (ranges into text); built on first use. */
  syntaxIndex(): Readonly<Index> {
    return this.idx();
  }

  /** The module that built (or will build) this document's index, for documents made from it. */
  protected get syntax(): TomlSyntax {
    const syntax = this.syntaxModule ?? loadedSyntax;
    if (!syntax) throw new Error(`${this.file}: the TOML syntax index is not loaded (await loadTomlSyntax() before asking for lines)`);
    return syntax;
  }

  /** True when `[path]` is written as a table header of its own. */
  hasTableHeader(path: KeyPath): boolean {
    const found = this.findTable(path);
    return found !== undefined && (!found.array || this.idx().tables.some((t) => !t.array && this.syntax.samePath(t.path, path)));
  }

  /** 1-based line of a table header or key, for messages; undefined when not written as such. */
  lineOf(path: KeyPath): number | undefined {
    const ix = this.idx();
    const table = this.findTable(path);
    if (table) return this.lineIndex(table.headerStart) + 1;
    const { startsWith } = this.syntax;
    for (const t of [{ path: [] as string[], kvs: ix.topKvs }, ...ix.tables]) {
      for (const kv of t.kvs) if (startsWith([...t.path, ...kv.key], path) || startsWith(path, [...t.path, ...kv.key])) {
        return this.lineIndex(kv.start) + 1;
      }
    }
    return undefined;
  }

  protected idx(): Index {
    if (!this.index) {
      const { deriveIndex, buildIndex } = this.syntax;
      this.index = this.origin ? deriveIndex(this.origin, this.text, this.file) : buildIndex(this.text, this.file);
      this.origin = undefined;
    }
    return this.index;
  }

  /** The first table whose header is written with this path (what `tables.find` would give). */
  protected findTable(path: KeyPath): TableInfo | undefined {
    const ix = this.idx();
    if (!ix.byPath) {
      ix.byPath = new Map();
      for (const t of ix.tables) {
        const key = this.syntax.pathKey(t.path);
        if (!ix.byPath.has(key)) ix.byPath.set(key, t);
      }
    }
    return ix.byPath.get(this.syntax.pathKey(path));
  }

  protected lineIndex(pos: number): number {
    return this.syntax.lineOfPos(this.idx().lineStarts, pos);
  }
}
