/**
 * Model discovery: what the model servers have (every kind in the registry, src/discover/
 * registry.ts), queried in parallel, each bounded by a short timeout. Read-only: it never pulls,
 * downloads or loads a model, and never sends a prompt (see docs/discovery.md).
 */
import { UsageError } from '../errors.js';
import { isEmbeddingOnly } from './hints.js';
import type { ProbeOptions } from './types.js';
import { SERVER_KINDS, discoverServers, kindsToProbe } from './registry.js';
import type { ServerReport } from './server-kind.js';
import type { ModelRecord, ProviderId, ProviderReport } from './types.js';

export type { CodexOssReport, DiscoveryResult, Hint, ModelRecord, ProviderId, ProviderReport } from './types.js';
export { resolveOllamaUrl, resolveOllamaTarget, DEFAULT_OLLAMA_URL } from './ollama.js';
export { resolveLmStudioUrl, normalizeLmStudioUrl, DEFAULT_LMSTUDIO_URL } from './lmstudio.js';
export { isEmbeddingOnly } from './hints.js';

/** Per-request budget: a server that accepts and never answers is given up after this. */
export const DEFAULT_TIMEOUT_MS = 1000;
/** Budget for one `ollama` / `lms` run (a Node program starting up, for lms). */
export const DEFAULT_CLI_TIMEOUT_MS = 3000;
export const MAX_TIMEOUT_MS = 60_000;

export interface DiscoverOptions {
  providers?: ProviderId[];
  /** The URL flag per kind (`--ollama-url`, `--vllm-url`, `--url` for openai-compatible, ...). */
  urls?: Partial<Record<ProviderId, string>>;
  /** Shorthands for urls.ollama / urls.lmstudio. */
  ollamaUrl?: string;
  lmstudioUrl?: string;
  /** Name of the variable holding a bearer token for an openai-compatible server (never the token). */
  apiKeyEnv?: string;
  /** Per HTTP request, in ms (default 1000). */
  timeoutMs?: number;
  /** Per CLI run, in ms (default 3000, or 3x timeoutMs when that is longer). */
  cliTimeoutMs?: number;
  /** Allow the `ollama list` / `lms` fallbacks (default true). */
  useCli?: boolean;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Cancels the HTTP requests (they end as timeouts). */
  signal?: AbortSignal;
  /**
   * The model ids whose details matter (`add` names one): a detail the list lacks is asked for
   * these alone (Ollama before 0.30: one POST /api/show per model). Default: every model.
   */
  detailsFor?: readonly string[];
}

function checkTimeout(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0 || v > MAX_TIMEOUT_MS) {
    throw new UsageError(`${name} must be a number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`);
  }
  return Math.round(v);
}

/** A registry report in the shape `models --json` has always had (`provider`), with `kind` beside it. */
export function toProviderReport(r: ServerReport): ProviderReport {
  const { kind, source: _source, responses, models, ...rest } = r;
  const out: ProviderReport = {
    provider: kind,
    ...rest,
    models: models.map(({ kind: k, ...m }) => ({ provider: k, ...m, kind: k })),
    kind,
  };
  // Ollama and LM Studio judge Responses support from their version (their notes say it); the
  // field is written for the kinds that probe the route itself.
  if (!SERVER_KINDS[kind].codexBuiltIn) out.responses = responses;
  return out;
}

/** The URL flags per kind, with the ollamaUrl / lmstudioUrl shorthands folded in. */
function urlsOf(opts: DiscoverOptions): Partial<Record<ProviderId, string>> {
  const urls: Partial<Record<ProviderId, string>> = { ...(opts.urls ?? {}) };
  if (opts.ollamaUrl !== undefined) urls.ollama ??= opts.ollamaUrl;
  if (opts.lmstudioUrl !== undefined) urls.lmstudio ??= opts.lmstudioUrl;
  return urls;
}

/** The reports of every kind asked (registry order). */
export async function discoverProviders(opts: DiscoverOptions = {}): Promise<ProviderReport[]> {
  const env = opts.env ?? process.env;
  const urls = urlsOf(opts);
  const asked = opts.providers && opts.providers.length > 0 ? opts.providers : undefined;
  // A URL flag of a kind that is not asked (`--provider lmstudio --ollama-url X`) is not probed.
  const wanted = kindsToProbe({ kinds: asked, urls: asked ? undefined : urls });
  const timeoutMs = checkTimeout('--timeout', opts.timeoutMs, DEFAULT_TIMEOUT_MS);
  const probe: ProbeOptions = {
    timeoutMs,
    // A longer --timeout (a slow machine) makes the CLI fallbacks more patient too.
    cliTimeoutMs: checkTimeout('CLI timeout', opts.cliTimeoutMs, Math.max(DEFAULT_CLI_TIMEOUT_MS, 3 * timeoutMs)),
    env,
    useCli: opts.useCli !== false,
    platform: opts.platform,
    signal: opts.signal,
    ...(opts.detailsFor ? { detailsFor: opts.detailsFor } : {}),
  };
  // discoverServers validates every target before any request goes out: bad flags fail fast.
  const reports = await discoverServers({ ...probe, kinds: wanted, urls, apiKeyEnv: opts.apiKeyEnv });
  // A kind probed only because it has a default port (nobody named it) is reported when it
  // answers: most people run none of these servers, and "vLLM: down" on every run is noise.
  const named = (k: ProviderId) => asked !== undefined || urls[k] !== undefined || SERVER_KINDS[k].reportWhenDown;
  return reports.filter((r) => named(r.kind) || r.status === 'up').map(toProviderReport);
}

/**
 * The model a server would run for `id`, resolved the way that server resolves it; its `id` is
 * what the server lists (and what a new profile names). An exact match wins. Ollama: a name
 * without a tag means `:latest` (`qwen2.5-coder` is `qwen2.5-coder:latest`). LM Studio: model
 * keys match without regard to case, and a key without its publisher (`qwen3-coder-30b`) matches
 * the one listed key `publisher/qwen3-coder-30b` (not when two publishers have it).
 */
export function resolveModel(models: readonly ModelRecord[], provider: ProviderId, id: string): ModelRecord | undefined {
  const found = SERVER_KINDS[provider].resolveModelId(models.map((m) => m.id), id);
  return found === undefined ? undefined : models.find((m) => m.id === found);
}

/** The record for `id` at `provider`, resolved as that server resolves model ids (resolveModel). */
export function findModel(reports: ProviderReport[] | { providers: ProviderReport[] }, provider: ProviderId, id: string): ModelRecord | undefined {
  const list = Array.isArray(reports) ? reports : reports.providers;
  const report = list.find((r) => r.provider === provider);
  return report ? resolveModel(report.models, provider, id) : undefined;
}

/** Models that can back a profile: everything that can answer prompts (not embedding-only). */
export function isUsableForProfiles(model: ModelRecord): boolean {
  return !isEmbeddingOnly(model);
}
