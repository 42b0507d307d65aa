/**
 * The provider registry: every kind of model server codex-profiles knows, one entry each.
 * Everything else asks here for names, default ports, URLs, env vars, hints and fixes, instead of
 * branching on `p === 'ollama'`. Adding a server kind = one file in ./kinds/ plus one line below.
 */
import { UsageError } from '../errors.js';
import { llamacpp } from './kinds/llamacpp.js';
import { lmstudio } from './kinds/lmstudio.js';
import { ollama } from './kinds/ollama.js';
import { openaiCompatible } from './kinds/openai-compatible.js';
import { vllm } from './kinds/vllm.js';
import type { ProbeOptions } from './types.js';
import type { ServerKind, ServerKindId, ServerReport } from './server-kind.js';

export type { ServerKind, ServerKindId, ServerReport, ServerModel, CodexRoute, CustomProviderTable, ResponsesSupport, ServerTarget } from './server-kind.js';

/** In the order reports are shown. */
export const SERVER_KINDS: Readonly<Record<ServerKindId, ServerKind>> = {
  ollama,
  lmstudio,
  vllm,
  llamacpp,
  'openai-compatible': openaiCompatible,
};

export const SERVER_KIND_IDS = Object.keys(SERVER_KINDS) as ServerKindId[];

export function isServerKindId(v: unknown): v is ServerKindId {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(SERVER_KINDS, v);
}

export function serverKind(id: ServerKindId): ServerKind {
  return SERVER_KINDS[id];
}

/** `--provider X` text to a kind id, or a UsageError naming the choices. */
export function parseServerKind(text: string): ServerKindId {
  const t = text.trim().toLowerCase();
  if (isServerKindId(t)) return t;
  throw new UsageError(`unknown provider "${text}"; use one of: ${SERVER_KIND_IDS.join(', ')}`);
}

/** Display name for any kind id (never a branch on the id). */
export function displayNameOf(id: ServerKindId): string {
  return SERVER_KINDS[id].displayName;
}

export interface DiscoverServersOptions extends ProbeOptions {
  /** Kinds to ask (default: every kind probed by default, plus any kind given a URL). */
  kinds?: ServerKindId[];
  /** The URL flag per kind (`--ollama-url`, `--vllm-url`, `--url` for openai-compatible, ...). */
  urls?: Partial<Record<ServerKindId, string>>;
  /** Bearer token variable for openai-compatible servers. */
  apiKeyEnv?: string;
}

/** Which kinds a discovery run asks, in registry order. */
export function kindsToProbe(opts: Pick<DiscoverServersOptions, 'kinds' | 'urls'>): ServerKindId[] {
  if (opts.kinds && opts.kinds.length > 0) {
    for (const k of opts.kinds) if (!isServerKindId(k)) throw new UsageError(`unknown provider "${String(k)}"; use one of: ${SERVER_KIND_IDS.join(', ')}`);
    return SERVER_KIND_IDS.filter((k) => opts.kinds!.includes(k));
  }
  return SERVER_KIND_IDS.filter((k) => SERVER_KINDS[k].probeByDefault || opts.urls?.[k] !== undefined);
}

/**
 * Ask each kind in parallel. Flags are validated (resolveTarget) before any request goes out, so
 * a bad flag fails fast with a UsageError and nothing is sent.
 */
export async function discoverServers(opts: DiscoverServersOptions): Promise<ServerReport[]> {
  const kinds = kindsToProbe(opts);
  for (const k of kinds) SERVER_KINDS[k].resolveTarget(opts.urls?.[k], opts.env);
  return Promise.all(
    kinds.map((k) => SERVER_KINDS[k].discover({ ...opts, flagUrl: opts.urls?.[k] })),
  );
}

