/**
 * The provider a profile really uses, and where Codex will send its prompts: the basis of the
 * smoke test's pre-checks and scheduling, and of the audit's provider rules.
 *
 * - The id: the profile's `model_provider`, else config.toml's, else Codex's default `openai`
 *   (resolveProfile in src/route/hosted.ts, shared with `compare`).
 * - Built-in `ollama` / `lmstudio`: the URL Codex itself calls, `codexOssUrls(env).effective`
 *   (CODEX_OSS_BASE_URL / CODEX_OSS_PORT respected; OLLAMA_HOST is not read by Codex).
 * - A custom id: `base_url` of `[model_providers.ID]` in config.toml, with a profile file's own
 *   `[model_providers.ID]` layered over it.
 * - `openai` (or nothing set), `amazon-bedrock`, and anything not on a loopback address: hosted
 *   (judgeProfile in src/route/hosted.ts decides, so every command agrees).
 */
import type { HomeState, Profile } from '../config/profiles.js';
import { isTable } from '../config/toml-table.js';
import { codexOssUrls, isLocalBuiltInId, isReservedProviderId } from '../codex/builtins.js';
import { SERVER_KIND_IDS, serverKind } from '../discover/registry.js';
import type { ServerKindId } from '../discover/types.js';
import { cleanBaseUrl, endpointOf, isLoopbackHost, stripV1 } from '../discover/address.js';
import { judgeProfile, providerTable, resolveProfile } from '../route/hosted.js';
import { guessKindOf, type Locality } from '../codex/destination.js';

/** What kind of server answers at a provider's URL (as far as the configuration says). */
export type ServerKind = ServerKindId | 'unknown';

export interface EffectiveProvider {
  /** The provider id Codex will use (what its `provider:` line should say). */
  id: string;
  /** Where the id came from. */
  source: 'profile' | 'config' | 'default';
  /** The model Codex will ask for (profile, else config.toml); undefined: Codex's own default. */
  model?: string;
  /** A Codex built-in id (`openai`, `ollama`, `lmstudio`, ...). */
  builtIn: boolean;
  /** The id is built in, or a `[model_providers.ID]` table defines it. */
  defined: boolean;
  /** The file and line of the `[model_providers.ID]` table (custom ids). */
  definedAt?: { file: string; line?: number };
  /** What Codex sends through this provider leaves the machine (route/hosted.ts). */
  hosted: boolean;
  /** this-machine, network or cloud (src/codex/destination.ts); `hosted` is "not this-machine". */
  locality: Locality;
  /** One sentence: why hosted or local. */
  reason: string;
  /** The base URL Codex calls (with `/v1`), when known. */
  baseUrl?: string;
  /** The server's URL without `/v1` (what discovery probes), when known. */
  serverUrl?: string;
  /** The server we expect there, from the id, its name or its port. */
  kind: ServerKind;
  /** Profiles with the same key share one server (one GPU): the smoke test runs them one at a time. */
  queueKey: string;
}



/** The server kind a custom table points at, as far as its id, name and port say (codex/destination.ts). */
export function guessKind(id: string, name: string | undefined, url: string | undefined): ServerKind {
  return guessKindOf(id, name, url) ?? 'unknown';
}

/** Same server, same key: loopback names count as one host; `/v1` and trailing slashes ignored. */
export function serverQueueKey(url: string): string {
  const ep = endpointOf(stripV1(url));
  if (!ep) return `url:${url}`;
  const host = isLoopbackHost(ep.host) ? 'loopback' : ep.host;
  return `${ep.protocol}//${host}:${ep.port}${ep.path}`;
}

/** Where `[model_providers.ID]` is written: the profile file's own table first, else config.toml's. */
function tableLocation(state: HomeState, profile: Profile, id: string): { file: string; line?: number } | undefined {
  if (profile.layout === 'file') {
    const own = state.profileFiles.get(profile.name);
    const mp = own?.doc?.data.model_providers;
    if (isTable(mp) && isTable(mp[id])) return { file: own!.path, line: own!.doc!.lineOf(['model_providers', id]) };
  }
  const mp = state.config?.data.model_providers;
  if (isTable(mp) && isTable(mp[id])) return { file: state.configPath, line: state.config!.lineOf(['model_providers', id]) };
  return undefined;
}

export function effectiveProvider(state: HomeState, profile: Profile, env: NodeJS.ProcessEnv): EffectiveProvider {
  const { provider: id, providerSource: source, model } = resolveProfile(state, profile);
  const judgement = judgeProfile(state, profile, env);
  const builtIn = isReservedProviderId(id);
  const table = providerTable(state, profile, id);
  const definedAt = builtIn ? undefined : tableLocation(state, profile, id);
  const out: EffectiveProvider = {
    id,
    source,
    builtIn,
    defined: builtIn || table !== undefined,
    hosted: judgement.hosted,
    locality: judgement.locality,
    reason: judgement.reason,
    kind: 'unknown',
    queueKey: `provider:${id}`,
  };
  if (model !== undefined) out.model = model;
  if (definedAt) out.definedAt = definedAt;

  let baseUrl: string | undefined;
  if (isLocalBuiltInId(id)) {
    baseUrl = codexOssUrls(env).effective[id];
    out.kind = SERVER_KIND_IDS.find((k) => serverKind(k).codexBuiltIn === id) ?? 'unknown';
  } else if (!builtIn && table) {
    baseUrl = typeof table.base_url === 'string' ? cleanBaseUrl(table.base_url) : undefined;
    out.kind = guessKind(id, typeof table.name === 'string' ? table.name : undefined, baseUrl);
  }
  if (baseUrl !== undefined) {
    out.baseUrl = baseUrl;
    out.serverUrl = stripV1(baseUrl);
    out.queueKey = serverQueueKey(baseUrl);
  }
  return out;
}
