/**
 * What a parsed TOML table is, without the parser: modules that only look at tables already
 * parsed (where prompts go, can this Codex run a profile) import this, so `models` and the
 * start of other commands do not load smol-toml for a type test (issue 16).
 */
export type TomlTable = Record<string, unknown>;

/** A TOML table as smol-toml returns it (dates are objects too, arrays are not tables). */
export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
