/**
 * `--timeout` on every command: `500ms`, `30s`, `2m`, or a bare number of SECONDS. Before issue 11
 * setup/add/models read a bare number as milliseconds; a bare number too large to be seconds
 * there (above the command's maximum) still means milliseconds, since it cannot mean anything
 * else. Kept free of imports: command modules load it for --help.
 */
import { UsageError } from './errors.js';

/** Shown in every --timeout description. */
export const DURATION_HELP = '500ms, 30s, 2m; a bare number is seconds';

export interface DurationRule {
  flag?: string;
  /** Longest accepted, in ms. */
  maxMs: number;
  /** A bare number above maxMs/1000 is read as milliseconds (the flag's old unit). */
  legacyMs?: boolean;
}

/** Milliseconds, or a UsageError that says what is accepted. Undefined stays undefined. */
export function parseDuration(value: unknown, rule: DurationRule): number | undefined {
  const flag = rule.flag ?? '--timeout';
  if (value === undefined) return undefined;
  const bad = () =>
    new UsageError(`${flag} takes a duration up to ${rule.maxMs / 1000} s (${DURATION_HELP}); got ${JSON.stringify(value)}.`, `e.g. ${flag} 30s`);
  if (Array.isArray(value)) throw new UsageError(`give ${flag} once`);
  const text = String(value).trim().toLowerCase();
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text);
  if (!m) throw bad();
  const n = Number(m[1]);
  let ms: number;
  if (m[2] === 'ms') ms = n;
  else if (m[2] === 'm') ms = n * 60_000;
  else if (m[2] === 's') ms = n * 1000;
  else ms = rule.legacyMs && n * 1000 > rule.maxMs && n <= rule.maxMs ? n : n * 1000;
  ms = Math.round(ms);
  if (!Number.isFinite(ms) || ms <= 0 || ms > rule.maxMs) throw bad();
  return ms;
}

/** Discovery's per-request --timeout (setup, add, models): at most a minute; old bare-ms values still work. */
export function parseDiscoveryTimeout(value: unknown): number | undefined {
  return parseDuration(value, { maxMs: 60_000, legacyMs: true });
}

/** A codex run's --timeout (test, audit, compare): at most an hour. */
export function parseRunTimeout(value: unknown): number | undefined {
  return parseDuration(value, { maxMs: 3_600_000 });
}
