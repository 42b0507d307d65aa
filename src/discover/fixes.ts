/**
 * Fixes that name a server kind ("start it: `vllm serve ...`"), read from the registry. Kept out
 * of src/diagnostics.ts, which discovery's hints import: the registry loads every kind.
 */
import type { Diagnostic } from '../diagnostics.js';
import { FACT_SEVERITY } from '../diagnostics.js';
import { displayNameOf, serverKind } from './registry.js';
import type { ProviderId } from './types.js';

/**
 * How to get a provider answering. `urlSource` says where the URL came from when it is not the
 * default, so the fix can name what to change.
 */
export function startFix(kind: ProviderId | 'unknown', urlSource?: string): string {
  if (kind === 'unknown') return 'Start the server, or fix base_url.';
  const start = serverKind(kind).fixes.start;
  return `${start.charAt(0).toUpperCase()}${start.slice(1)}${urlSource ? `, or fix the URL (${urlSource})` : ''}.`;
}

/** Nothing answers where a provider should be. */
export function providerDown(kind: ProviderId | 'unknown', url: string, why: string | undefined, urlSource?: string): Diagnostic {
  const name = kind === 'unknown' ? 'the server' : displayNameOf(kind);
  return {
    code: 'PROVIDER_DOWN',
    severity: FACT_SEVERITY.PROVIDER_DOWN,
    message: `${name}: nothing answers at ${url}${why ? ` (${why})` : ''}.`,
    fix: startFix(kind, urlSource),
    place: { url },
  };
}

