import { parse, stringify, TomlError } from 'smol-toml';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError } from '../errors.js';

import { isTable, type TomlTable } from './toml-table.js';

export type { TomlTable };
export type KeyPath = readonly string[];

/** Invalid TOML: the message always names file:line:col so the person can jump to it. */
export class TomlSyntaxError extends ConfigError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(
      `${file}:${line}:${column}: not valid TOML: ${reason}`,
      'Nothing was changed. Fix the file (or restore a backup with `codex-profiles restore`) and run again.',
    );
    this.name = 'TomlSyntaxError';
  }
}

/**
 * Parse with smol-toml. Integers beyond 2^53 come back as bigint instead of failing (TOML allows
 * 64-bit integers, and a config that Codex reads must not be refused by us).
 */
export function parseToml(text: string, file: string): TomlTable {
  // One byte order mark may open the file; a second one is content, and not valid there.
  if (text.startsWith('\uFEFF\uFEFF')) throw new TomlSyntaxError(file, 1, 2, 'a second byte order mark');
  try {
    return parse(text, { integersAsBigInt: 'asNeeded' }) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new TomlSyntaxError(file, err.line, err.column, reason);
    }
    throw err;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * File bytes as text. TOML must be UTF-8: a file that is not is refused with the line and column
 * of the first bad byte (decoding it leniently would silently replace characters on write).
 */
export function decodeToml(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    let good = 0;
    for (let end = bytes.length; end > 0; ) {
      // Find the longest valid prefix by bisection: O(n log n) only on the failure path.
      const mid = Math.floor((good + end) / 2);
      if (mid === good) break;
      try {
        decoder.decode(bytes.subarray(0, mid));
        good = mid;
      } catch {
        end = mid;
      }
    }
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, good));
    const lines = prefix.split('\n');
    throw new TomlSyntaxError(file, lines.length, lines[lines.length - 1]!.length + 1, 'not valid UTF-8');
  }
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A key as TOML text: bare where allowed, else a basic string escaped by smol-toml. */
export function formatKey(key: string): string {
  if (BARE_KEY.test(key)) return key;
  const line = stringify({ [key]: 0 });
  return line.slice(0, line.lastIndexOf(' = '));
}

export function formatKeyPath(path: KeyPath): string {
  return path.map(formatKey).join('.');
}


/** A value as TOML text for the right side of `key = ...`; tables become inline tables. */
export function formatValue(value: unknown): string {
  if (isTable(value)) {
    const parts = Object.entries(value).map(([k, v]) => `${formatKey(k)} = ${formatValue(v)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  const line = stringify({ v: value });
  // "v = <value>\n"
  return line.slice(4, line.endsWith('\n') ? -1 : undefined);
}

/** `[a.b]` plus body lines for a new table, via smol-toml (correct quoting and escaping). */
export function formatTable(path: KeyPath, data: TomlTable): string {
  const header = `[${formatKeyPath(path)}]\n`;
  const scalars: TomlTable = {};
  const tables: [string, TomlTable][] = [];
  for (const [k, v] of Object.entries(data)) {
    if (isTable(v)) tables.push([k, v]);
    else scalars[k] = v;
  }
  let text = header + (Object.keys(scalars).length ? stringify(scalars) : '');
  for (const [k, v] of tables) text += '\n' + formatTable([...path, k], v);
  return text;
}

/** Values as data, independent of prototypes and of how dates are represented. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = canonical(v);
    return out;
  }
  if (typeof value === 'bigint') {
    // smol-toml returns bigint only beyond the safe range; compare by value either way.
    return Number.isSafeInteger(Number(value)) ? Number(value) : { $bigint: value.toString() };
  }
  return value;
}

/**
 * `isDeepStrictEqual(canonical(a), canonical(b))`, walked in place: tables and arrays are compared
 * key by key without building canonical copies of two whole documents (the verification of every
 * edit compares the whole file's data). Dates and bigints, rare, are compared in canonical form.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b && typeof a !== 'number') return true;
  if (a instanceof Date || b instanceof Date || typeof a === 'bigint' || typeof b === 'bigint') {
    return isDeepStrictEqual(canonical(a), canonical(b));
  }
  const objA = typeof a === 'object' && a !== null;
  const objB = typeof b === 'object' && b !== null;
  if (!objA || !objB) return !objA && !objB && Object.is(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of keys) {
    if (!Object.prototype.propertyIsEnumerable.call(rb, k) || !sameData(ra[k], rb[k])) return false;
  }
  return true;
}

export function getIn(data: TomlTable, path: KeyPath): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (!isTable(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function setIn(data: TomlTable, path: KeyPath, value: unknown): void {
  let cur: TomlTable = data;
  for (const key of path.slice(0, -1)) {
    if (!isTable(cur[key])) cur[key] = {};
    cur = cur[key] as TomlTable;
  }
  cur[path[path.length - 1]!] = value;
}

export function deleteIn(data: TomlTable, path: KeyPath): void {
  const parent = getIn(data, path.slice(0, -1));
  if (isTable(parent)) delete parent[path[path.length - 1]!];
}

/**
 * A shallow copy of `data` whose tables along `path` (all but the last key) are copies too, so
 * setIn / deleteIn on `path` change only the copy. Leaf values and other tables are shared.
 * Tables keep their prototype (smol-toml makes them with a null prototype).
 */
export function copyAlong(data: TomlTable, path: KeyPath): TomlTable {
  const copy = (t: TomlTable): TomlTable => Object.assign(Object.create(Object.getPrototypeOf(t)) as TomlTable, t);
  const root = copy(data);
  let cur = root;
  for (const key of path.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(cur, key) ? cur[key] : undefined;
    if (!isTable(next)) break;
    cur = cur[key] = copy(next);
  }
  return root;
}

export function structuredCloneTable(data: TomlTable): TomlTable {
  const out: TomlTable = {};
  for (const [k, v] of Object.entries(data)) out[k] = isTable(v) ? structuredCloneTable(v) : v;
  return out;
}

