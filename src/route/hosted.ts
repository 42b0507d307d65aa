/**
 * Is a profile "hosted" (what Codex sends through it leaves this machine) or "local"?
 *
 * One answer for every command that needs it (compare's privacy rule, audit, the smoke test):
 * `judgeProfile(state, profile)` / `isHostedProfile(state, profile)`. The judgement is by where
 * the provider is, not by its name:
 *
 * 1. The provider id: the profile's `model_provider`, else config.toml's, else Codex's default
 *    `openai`. Profile files (>= 0.134) are layered over config.toml; a `[profiles.NAME]` table
 *    (<= 0.133) is layered over config.toml's top level.
 * 2. An id listed in `CODEX_PROFILES_HOSTED_PROVIDERS` (comma-separated) is hosted, whatever its
 *    address. This only ever makes a judgement stricter; it exists so that a provider on
 *    127.0.0.1 can stand in for a hosted one in tests, and for people who tunnel a hosted service
 *    to a loopback port (an SSH forward or a proxy on localhost).
 * 3. The built-in `ollama` and `lmstudio` are local: they use `http://localhost:11434/v1` and
 *    `http://localhost:1234/v1`, unless `CODEX_OSS_BASE_URL` moves both somewhere that is not
 *    loopback (then hosted). A `[model_providers.ollama]` table whose base_url is not loopback
 *    also makes it hosted (newer Codex refuses such a table; older ones may read it).
 * 4. The other built-ins (`openai`, `amazon-bedrock`) are hosted.
 * 5. A custom id `[model_providers.X]` is local when its `base_url` is on a loopback address
 *    (127.0.0.0/8, `localhost`, `::1`), hosted otherwise — a server on the LAN (`192.168.x.x`)
 *    included: the prompt crosses the network. No base_url, an unparsable one, or no table at
 *    all: hosted (we cannot show that it stays here).
 */
import { cleanBaseUrl, endpointOf, isLoopbackHost, stripV1 } from '../discover/address.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { codexOssUrls, localBuiltInUrl } from '../codex/builtins.js';

/** The environment variable that adds provider ids to the hosted list (comma-separated). */
export const HOSTED_PROVIDERS_ENV = 'CODEX_PROFILES_HOSTED_PROVIDERS';

/** Codex's provider when neither the profile nor config.toml names one. */
export const DEFAULT_PROVIDER = 'openai';

/** Built-in local providers and their default base URLs, with no CODEX_OSS_* set (src/codex/builtins.ts). */
export const BUILTIN_LOCAL_PROVIDERS: Readonly<Record<string, string>> = codexOssUrls({}).effective;

/** Built-in providers that are hosted services. */
export const BUILTIN_HOSTED_PROVIDERS: readonly string[] = ['openai', 'amazon-bedrock'];

export interface ProviderJudgement {
  /** The provider id Codex will use for this profile. */
  provider: string;
  /** Where the id came from. */
  providerSource: 'profile' | 'config' | 'default';
  /** The model the profile resolves to (profile, else config.toml); undefined: Codex's default. */
  model?: string;
  /** The base URL the judgement used, when there is one. */
  baseUrl?: string;
  hosted: boolean;
  /** One sentence: why. */
  reason: string;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Ids listed in CODEX_PROFILES_HOSTED_PROVIDERS (trimmed, empty entries dropped). */
export function hostedProviderOverrides(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const raw = env[HOSTED_PROVIDERS_ENV] ?? '';
  return new Set(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}

/** Whether a URL's host is a loopback address; false when it does not parse. */
export function isLoopbackUrl(url: string): boolean {
  const ep = endpointOf(url);
  return ep !== undefined && (ep.protocol === 'http:' || ep.protocol === 'https:') && isLoopbackHost(ep.host);
}

/** config.toml's top-level values ({} when there is none or it is not valid TOML). */
function baseValues(state: HomeState): Record<string, unknown> {
  return state.config?.data ?? {};
}

/**
 * The `[model_providers.ID]` table Codex sees for this profile: config.toml's, with a profile
 * file's own `[model_providers.ID]` keys layered over it (file layout only).
 */
export function providerTable(state: HomeState, profile: Profile, id: string): Record<string, unknown> | undefined {
  const fromConfig = (baseValues(state).model_providers as Record<string, unknown> | undefined)?.[id];
  const base = isTable(fromConfig) ? fromConfig : undefined;
  if (profile.layout !== 'file') return base;
  const own = isTable(profile.values.model_providers) ? profile.values.model_providers[id] : undefined;
  if (!isTable(own)) return base;
  return { ...(base ?? {}), ...own };
}

/** The provider id and model a profile resolves to, with config.toml as the layer below. */
export function resolveProfile(
  state: HomeState,
  profile: Profile,
): { provider: string; providerSource: ProviderJudgement['providerSource']; model?: string } {
  const base = baseValues(state);
  const own = str(profile.values.model_provider);
  const fromConfig = str(base.model_provider);
  const provider = own ?? fromConfig ?? DEFAULT_PROVIDER;
  const providerSource = own !== undefined ? 'profile' : fromConfig !== undefined ? 'config' : 'default';
  const model = str(profile.values.model) ?? str(base.model);
  return { provider, providerSource, model };
}

/** Where a profile's prompts go: see the rules at the top of this file. */
export function judgeProfile(state: HomeState, profile: Profile, env: NodeJS.ProcessEnv = process.env): ProviderJudgement {
  const { provider, providerSource, model } = resolveProfile(state, profile);
  const out = (hosted: boolean, reason: string, baseUrl?: string): ProviderJudgement => ({
    provider,
    providerSource,
    ...(model !== undefined ? { model } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    hosted,
    reason,
  });
  const table = providerTable(state, profile, provider);
  const rawUrl = str(table?.base_url);
  const tableUrl = rawUrl === undefined ? undefined : cleanBaseUrl(rawUrl);

  if (hostedProviderOverrides(env).has(provider)) {
    return out(true, `provider \`${provider}\` is listed in ${HOSTED_PROVIDERS_ENV}`, tableUrl ?? BUILTIN_LOCAL_PROVIDERS[provider]);
  }

  // Where Codex points the built-in id in this environment (CODEX_OSS_BASE_URL, else CODEX_OSS_PORT).
  const builtinUrl = localBuiltInUrl(provider, env);
  if (builtinUrl !== undefined) {
    const url = builtinUrl.trim();
    if (!isLoopbackUrl(url)) {
      return out(true, `built-in provider \`${provider}\` points at ${url} (CODEX_OSS_BASE_URL), which is not a loopback address`, url);
    }
    if (tableUrl !== undefined && !isLoopbackUrl(tableUrl)) {
      return out(true, `[model_providers.${provider}] sets base_url ${tableUrl}, which is not a loopback address`, tableUrl);
    }
    return out(false, `built-in provider \`${provider}\` runs on this machine (${url})`, url);
  }

  if (BUILTIN_HOSTED_PROVIDERS.includes(provider)) {
    const why = providerSource === 'default' ? ` (neither the profile nor config.toml sets model_provider, so Codex uses \`${DEFAULT_PROVIDER}\`)` : '';
    return out(true, `built-in provider \`${provider}\` is a hosted service${why}`);
  }

  if (table === undefined) {
    return out(true, `provider \`${provider}\` has no [model_providers.${provider}] table, so where it sends prompts is unknown`);
  }
  if (tableUrl === undefined) {
    return out(true, `[model_providers.${provider}] has no base_url, so where it sends prompts is unknown`);
  }
  if (!isLoopbackUrl(tableUrl)) {
    const ep = endpointOf(tableUrl);
    return out(
      true,
      ep ? `provider \`${provider}\` is at ${ep.host}, which is not a loopback address` : `provider \`${provider}\` has a base_url that is not a URL (${tableUrl})`,
      tableUrl,
    );
  }
  return out(false, `provider \`${provider}\` is on a loopback address (${tableUrl})`, tableUrl);
}

/** True when what Codex sends through this profile leaves the machine (see judgeProfile). */
export function isHostedProfile(state: HomeState, profile: Profile, env: NodeJS.ProcessEnv = process.env): boolean {
  return judgeProfile(state, profile, env).hosted;
}

/**
 * A key for "the same server": local profiles with the same key run one after another (one
 * local server, one model in memory at a time). Loopback names count as one host; `/v1` and
 * trailing slashes are ignored.
 */
export function serverKey(judgement: ProviderJudgement): string {
  const ep = judgement.baseUrl ? endpointOf(stripV1(judgement.baseUrl)) : undefined;
  if (!ep) return `provider:${judgement.provider}`;
  const host = isLoopbackHost(ep.host) ? 'loopback' : ep.host;
  return `${ep.protocol}//${host}:${ep.port}${ep.path}`;
}
