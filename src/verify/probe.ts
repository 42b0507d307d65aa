/**
 * "Does the provider answer, and what does it have?" for one server URL, through discovery
 * (read-only: never pulls, downloads or loads a model). Used by the smoke test's pre-checks, the
 * audit and doctor. Probes are shared per URL within one command (`ProbeCache`).
 */
import { ossServerUrl, type CodexLocalBuiltInId } from '../codex/builtins.js';
import { statusWords } from '../diagnostics.js';
import { cleanBaseUrl } from '../discover/address.js';
import { discoverProviders, resolveModel } from '../discover/discover.js';
import { displayNameOf, SERVER_KIND_IDS, serverKind } from '../discover/registry.js';
import { compareVersions } from '../version-order.js';
import type { Hint, ModelRecord, ProviderReport, ProviderStatus, ServerKindId } from '../discover/types.js';
import type { ServerKind } from './provider-of.js';

/**
 * The Ollama version the smoke test requires. Ollama serves POST /v1/responses from 0.13.3, but
 * Codex's own check (`codex --oss`) refuses anything before 0.13.4 ("Ollama 0.12.0 is too old.
 * Codex requires Ollama 0.13.4 or newer." — seen on 0.133 and 0.169), and `-p` runs the same
 * Responses client without checking. We hold `-p` profiles to the floor Codex supports.
 */
export const OLLAMA_MIN_VERSION = '0.13.4';

export interface ServerProbe {
  /** Base URL without `/v1`. */
  url: string;
  /** What answered: Ollama, LM Studio, or a server that is neither (or nothing). */
  kind: ServerKind;
  status: ProviderStatus;
  reason?: string;
  version?: string;
  exposed: boolean;
  models: ModelRecord[];
  notes: Hint[];
  /** POST /v1/responses support, for kinds that probe the route (ProviderReport.responses). */
  responses?: ProviderReport['responses'];
}

export interface ProbeOptions {
  env: NodeJS.ProcessEnv;
  /** Per HTTP request (default 2000 ms). */
  timeoutMs?: number;
  /** Allow the `ollama list` / `lms ls` fallbacks when the server is down (default false). */
  useCli?: boolean;
  /** Cancels the probe's requests (a probe started early and no longer needed). */
  signal?: AbortSignal;
}

export type ProbeFn = (url: string, kind: ServerKind) => Promise<ServerProbe>;

function fromReport(r: ProviderReport): ServerProbe {
  const p: ServerProbe = { url: r.url, kind: r.provider, status: r.status, exposed: r.exposed, models: r.models, notes: r.notes };
  if (r.reason !== undefined) p.reason = r.reason;
  if (r.version !== undefined) p.version = r.version;
  if (r.responses !== undefined) p.responses = r.responses;
  return p;
}

/**
 * Probes `url` as the expected kind first. Down or not responding ends it (nothing answers);
 * an answer that does not look like that server tries the other kind. Neither: status 'error',
 * kind 'unknown' (something answers, but we cannot list its models).
 */
/**
 * The kinds to try at a URL, through the registry: the expected kind first. Kinds Codex has a
 * built-in id for (Ollama, LM Studio) are tried after each other, as any server answers the
 * OpenAI-compatible /v1/models; any other kind falls back to the generic OpenAI-compatible
 * reading. Unknown: the built-in kinds.
 */
function probeOrder(kind: ServerKind): ServerKindId[] {
  const builtInKinds = SERVER_KIND_IDS.filter((k) => serverKind(k).codexBuiltIn);
  if (kind === 'unknown') return builtInKinds;
  if (serverKind(kind).codexBuiltIn) return [kind, ...builtInKinds.filter((k) => k !== kind)];
  const generic = SERVER_KIND_IDS.filter((k) => !serverKind(k).probeByDefault && k !== kind);
  return [kind, ...generic];
}

export async function probeServer(url: string, kind: ServerKind, opts: ProbeOptions): Promise<ServerProbe> {
  const order = probeOrder(kind);
  let first: ServerProbe | undefined;
  for (const k of order) {
    const providers = await discoverProviders({
      providers: [k],
      urls: { [k]: url },
      timeoutMs: opts.timeoutMs ?? 2000,
      useCli: opts.useCli ?? false,
      env: opts.env,
      signal: opts.signal,
    });
    const report = providers[0];
    if (!report) continue;
    const probe = fromReport(report);
    // Our own "looked for X at URL (from --ollama-url)" is noise here.
    probe.notes = probe.notes.filter((n) => n.code !== 'URL_SOURCE');
    // Only the OpenAI-compatible /v1/models answered, not the kind's own API: any server has
    // that, so ask the other kinds Codex has built in before believing the first guess.
    if (k === order[0] && probe.status === 'up' && probe.notes.some((n) => n.code === 'LMSTUDIO_TOO_OLD')) {
      for (const other of order.slice(1).filter((o) => serverKind(o).codexBuiltIn)) {
        const asOther = await probeServer(url, other, { ...opts, useCli: false });
        if (asOther.status === 'up' && asOther.kind === other) return asOther;
      }
    }
    if (probe.status === 'up' || probe.status === 'down' || probe.status === 'not-responding') return probe;
    first ??= probe;
  }
  return { ...(first ?? { url, status: 'error', exposed: false, models: [], notes: [] }), kind: 'unknown' };
}

/** Where `codex --oss` goes for a built-in id, what answers there, and the model as it lists it. */
export interface OssLookup {
  /** The server Codex's built-in provider calls (CODEX_OSS_BASE_URL / CODEX_OSS_PORT applied; no /v1). */
  serverUrl: string;
  probe: ServerProbe;
  /** `model` as that server lists it; undefined when it is not up, is another kind, or lacks it. */
  found?: ModelRecord;
}

/**
 * Is `model` installed where `codex --oss --local-provider KIND` sends prompts, and under which
 * exact id? Read-only; the one lookup behind `test --oss` (src/verify/oss.ts) and the no-download
 * guard of `compare --local` (src/route/compare-adhoc-guard.ts): Codex compares names exactly and
 * pulls a model it does not see listed (`-m llama3.2` pulls beside `llama3.2:latest`).
 */
export async function lookupOssModel(kind: CodexLocalBuiltInId, model: string | undefined, opts: { env: NodeJS.ProcessEnv; probe: ProbeFn }): Promise<OssLookup> {
  const serverUrl = cleanBaseUrl(ossServerUrl(kind, opts.env));
  const probe = await opts.probe(serverUrl, kind);
  const found = model !== undefined && probe.status === 'up' && probe.kind === kind ? findInstalled(probe, model) : undefined;
  return found ? { serverUrl, probe, found } : { serverUrl, probe };
}

/** One probe per URL per command, started once and shared. */
export class ProbeCache {
  private readonly pending = new Map<string, Promise<ServerProbe>>();
  constructor(private readonly probe: ProbeFn) {}

  get(url: string, kind: ServerKind): Promise<ServerProbe> {
    const key = url.replace(/\/+$/, '');
    let p = this.pending.get(key);
    if (!p) {
      p = this.probe(key, kind);
      this.pending.set(key, p);
    }
    return p;
  }
}

/** What a server lists, for "does not have X (it has ...)": the first five ids, or `no models`. */
export function installedList(probe: Pick<ServerProbe, 'models'>): string {
  if (probe.models.length === 0) return 'no models';
  return probe.models.slice(0, 5).map((m) => `\`${m.id}\``).join(', ') + (probe.models.length > 5 ? ', ...' : '');
}

/** What answered, in words, for "X answers at URL, not Y". */
export function answeredBy(kind: ServerKind): string {
  return kind === 'unknown' ? 'a server that is neither Ollama nor LM Studio' : displayNameOf(kind);
}

/** The model record Codex's `model = "ID"` names there, resolved as the server does (resolveModel). */
export function findInstalled(probe: ServerProbe, model: string): ModelRecord | undefined {
  if (probe.kind === 'unknown') return probe.models.find((m) => m.id === model);
  return resolveModel(probe.models, probe.kind, model);
}

/** Ollama older than OLLAMA_MIN_VERSION (an unparsable or missing version is not judged). */
export function ollamaTooOld(version: string | undefined): boolean {
  if (version === undefined || /^0\.0\.0/.test(version)) return false;
  const cmp = compareVersions(version, OLLAMA_MIN_VERSION);
  return cmp !== undefined && cmp < 0;
}

/** A person-readable status: `up`, `down (connection refused)`, ... */
export function describeStatus(probe: Pick<ServerProbe, 'status' | 'reason'>): string {
  const words = statusWords(probe.status);
  return probe.reason ? `${words}: ${probe.reason}` : words;
}
