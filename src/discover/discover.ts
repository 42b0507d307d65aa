/**
 * Model discovery: what Ollama and LM Studio have, queried in parallel, each bounded by a short
 * timeout. Read-only: it never pulls, downloads or loads a model (see docs/discovery.md).
 */
import { UsageError } from '../errors.js';
import { sameEndpoint } from './address.js';
import { isEmbeddingOnly } from './hints.js';
import { discoverLmStudio, LMSTUDIO_DEFAULT_PORT, normalizeLmStudioUrl } from './lmstudio.js';
import { discoverOllama, resolveOllamaTarget, type ProbeOptions } from './ollama.js';
import type { CodexOssReport, DiscoveryResult, Hint, ModelRecord, ProviderId, ProviderReport } from './types.js';
import { PROVIDER_IDS, PROVIDER_NAMES } from './types.js';

export type { CodexOssReport, DiscoveryResult, Hint, ModelRecord, ProviderId, ProviderReport } from './types.js';
export { resolveOllamaUrl, resolveOllamaTarget, DEFAULT_OLLAMA_URL } from './ollama.js';
export { resolveLmStudioUrl, normalizeLmStudioUrl, DEFAULT_LMSTUDIO_URL } from './lmstudio.js';
export { isEmbeddingOnly } from './hints.js';

/** Per-request budget: a server that accepts and never answers is given up after this. */
export const DEFAULT_TIMEOUT_MS = 1000;
/** Budget for one `ollama` / `lms` run (a Node program starting up, for lms). */
export const DEFAULT_CLI_TIMEOUT_MS = 3000;
export const MAX_TIMEOUT_MS = 60_000;

/** Codex's built-in defaults (codex-rs/model-provider-info: DEFAULT_OLLAMA_PORT, DEFAULT_LMSTUDIO_PORT). */
export const CODEX_DEFAULT_PORTS: Record<ProviderId, number> = { ollama: 11434, lmstudio: LMSTUDIO_DEFAULT_PORT };

export interface DiscoverOptions {
  providers?: ProviderId[];
  ollamaUrl?: string;
  lmstudioUrl?: string;
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
}

function checkTimeout(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0 || v > MAX_TIMEOUT_MS) {
    throw new UsageError(`${name} must be a number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`);
  }
  return Math.round(v);
}

export async function discover(opts: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const env = opts.env ?? process.env;
  const wanted = opts.providers && opts.providers.length > 0 ? opts.providers : [...PROVIDER_IDS];
  for (const p of wanted) {
    if (!PROVIDER_IDS.includes(p)) throw new UsageError(`unknown provider "${String(p)}"; use ollama or lmstudio`);
  }
  const timeoutMs = checkTimeout('--timeout', opts.timeoutMs, DEFAULT_TIMEOUT_MS);
  const probe: ProbeOptions = {
    timeoutMs,
    // A longer --timeout (a slow machine) makes the CLI fallbacks more patient too.
    cliTimeoutMs: checkTimeout('CLI timeout', opts.cliTimeoutMs, Math.max(DEFAULT_CLI_TIMEOUT_MS, 3 * timeoutMs)),
    env,
    useCli: opts.useCli !== false,
    platform: opts.platform,
    signal: opts.signal,
  };
  // Resolve (and validate) both targets before any request goes out: bad flags fail fast.
  const ollamaTarget = wanted.includes('ollama') ? resolveOllamaTarget(opts.ollamaUrl, env) : undefined;
  if (wanted.includes('lmstudio') && opts.lmstudioUrl !== undefined) normalizeLmStudioUrl(opts.lmstudioUrl);

  const jobs: Array<Promise<ProviderReport>> = [];
  for (const p of PROVIDER_IDS) {
    if (!wanted.includes(p)) continue;
    jobs.push(p === 'ollama' ? discoverOllama(ollamaTarget!, probe) : discoverLmStudio(opts.lmstudioUrl, probe));
  }
  const providers = await Promise.all(jobs);
  return { providers, codexOss: codexOssReport(env, providers) };
}

/**
 * Where Codex's built-in `ollama` / `lmstudio` providers point with this environment
 * (create_oss_provider in codex-rs/model-provider-info): CODEX_OSS_BASE_URL (not blank) for
 * both; else `http://localhost:PORT/v1` with CODEX_OSS_PORT when it parses as a port, else the
 * provider's default port.
 */
export function codexOssUrls(env: NodeJS.ProcessEnv): { effective: Record<ProviderId, string>; baseUrl?: string; port?: string; portValid: boolean } {
  const baseRaw = env.CODEX_OSS_BASE_URL;
  const baseUrl = baseRaw !== undefined && baseRaw.trim() !== '' ? baseRaw : undefined;
  const portRaw = env.CODEX_OSS_PORT;
  const port = portRaw !== undefined && portRaw.trim() !== '' ? portRaw : undefined;
  // Rust's u16::from_str: optional '+', digits, no spaces, at most 65535.
  const portValid = port !== undefined && /^\+?\d+$/.test(port) && Number(port) <= 65535;
  const urlFor = (p: ProviderId) => baseUrl ?? `http://localhost:${portValid ? Number(port) : CODEX_DEFAULT_PORTS[p]}/v1`;
  return { effective: { ollama: urlFor('ollama'), lmstudio: urlFor('lmstudio') }, baseUrl, port, portValid };
}

export function codexOssReport(env: NodeJS.ProcessEnv, reports: ProviderReport[]): CodexOssReport {
  const { effective, baseUrl, port, portValid } = codexOssUrls(env);
  const notes: Hint[] = [];
  if (port !== undefined && !portValid) {
    notes.push({
      level: 'warn',
      code: 'CODEX_OSS_PORT_INVALID',
      message: `CODEX_OSS_PORT=${JSON.stringify(port)} is not a port number; Codex ignores it and uses each provider's default port`,
      fix: 'unset it, or set a number such as 11434',
    });
  }
  if (baseUrl !== undefined && port !== undefined) {
    notes.push({ level: 'info', code: 'CODEX_OSS_PORT_IGNORED', message: 'CODEX_OSS_BASE_URL is set, so Codex ignores CODEX_OSS_PORT' });
  }
  const setBy = baseUrl !== undefined ? 'CODEX_OSS_BASE_URL' : port !== undefined && portValid ? 'CODEX_OSS_PORT' : undefined;
  if (setBy) {
    notes.push({
      level: 'info',
      code: 'CODEX_OSS_SET',
      message: `${setBy} is set: Codex's built-in \`ollama\` and \`lmstudio\` providers both use ${effective.ollama}`,
    });
  }
  for (const r of reports) {
    if (r.status !== 'up') continue;
    const codexUrl = effective[r.provider];
    if (sameEndpoint(codexUrl, r.url)) continue;
    const name = PROVIDER_NAMES[r.provider];
    notes.push(
      setBy
        ? {
            level: 'warn',
            code: 'CODEX_OSS_MISMATCH',
            message: `${setBy} sends Codex's built-in \`${r.provider}\` provider to ${codexUrl}, but ${name} answered at ${r.url}`,
            fix: `unset ${setBy}, point it at ${r.url}/v1, or give profiles their own provider id with base_url = "${r.url}/v1"`,
          }
        : {
            level: 'warn',
            code: 'CODEX_DEFAULT_MISMATCH',
            message: `Codex's built-in \`${r.provider}\` provider uses ${codexUrl}, but ${name} answered at ${r.url}${r.provider === 'ollama' && env.OLLAMA_HOST?.trim() ? ' (Codex does not read OLLAMA_HOST)' : ''}`,
            fix: `give profiles their own provider id (not \`${r.provider}\`, which cannot be redefined) with base_url = "${r.url}/v1"`,
          },
    );
  }
  const out: CodexOssReport = { effective, notes };
  if (baseUrl !== undefined) out.baseUrl = baseUrl;
  if (port !== undefined) out.port = port;
  return out;
}

/**
 * The model a server would run for `id`, resolved the way that server resolves it; its `id` is
 * what the server lists (and what a new profile names). An exact match wins. Ollama: a name
 * without a tag means `:latest` (`qwen2.5-coder` is `qwen2.5-coder:latest`). LM Studio: model
 * keys match without regard to case, and a key without its publisher (`qwen3-coder-30b`) matches
 * the one listed key `publisher/qwen3-coder-30b` (not when two publishers have it).
 */
export function resolveModel(models: readonly ModelRecord[], provider: ProviderId, id: string): ModelRecord | undefined {
  const exact = models.find((m) => m.id === id);
  if (exact) return exact;
  if (provider === 'ollama') {
    return id.includes(':') ? undefined : models.find((m) => m.id === `${id}:latest`);
  }
  const want = id.toLowerCase();
  const same = models.filter((m) => m.id.toLowerCase() === want);
  if (same.length === 1) return same[0];
  if (want.includes('/')) return undefined;
  const unprefixed = models.filter((m) => m.id.toLowerCase().split('/').pop() === want);
  return unprefixed.length === 1 ? unprefixed[0] : undefined;
}

/** The record for `id` at `provider`, resolved as that server resolves model ids (resolveModel). */
export function findModel(reports: ProviderReport[] | DiscoveryResult, provider: ProviderId, id: string): ModelRecord | undefined {
  const list = Array.isArray(reports) ? reports : reports.providers;
  const report = list.find((r) => r.provider === provider);
  return report ? resolveModel(report.models, provider, id) : undefined;
}

/** Models that can back a profile: everything that can answer prompts (not embedding-only). */
export function isUsableForProfiles(model: ModelRecord): boolean {
  return !isEmbeddingOnly(model);
}
