import type { ModelRecord } from './types.js';
/** Run `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

type Fact = 'displayName' | 'sizeBytes' | 'parameters' | 'quantization' | 'contextLength' | 'runtimeContextLength' | 'remoteHost';

/** Set a fact the provider stated (absent, empty or zero: left unset) and say where it came from. */
export function fact<K extends Fact>(rec: ModelRecord, key: K, value: ModelRecord[K] | undefined, source: string): void {
  if (value === undefined || value === '' || value === 0) return;
  rec[key] = value;
  rec.sources[key] = source;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A finite non-negative number (integers only when `int`), else undefined. */
export function num(v: unknown, int = true): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
  return int && !Number.isInteger(v) ? undefined : v;
}

/** A positive integer, else undefined (context lengths: 0 means "not known"). */
export function positiveInt(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
}

