/**
 * Is a profile "hosted" (what Codex sends through it leaves this machine) or "local"?
 *
 * The answer is src/codex/destination.ts's (issue 13): every profile has a locality,
 * `this-machine`, `network` (another host) or `cloud`; `hosted` here means "not this machine", so
 * the privacy rule of compare and test treats a GPU box on the LAN, an LM Link device and an
 * Ollama cloud model like a hosted service. This file keeps the two-way shape its callers use.
 */
import { cleanBaseUrl, endpointOf, isLoopbackHost, stripV1 } from '../discover/address.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { profileDestination, type Locality } from '../codex/destination.js';

// The rules live in src/codex/destination.ts (one answer for every command); these names stay
// for the callers that import them from here.
export { HOSTED_PROVIDERS_ENV, DEFAULT_PROVIDER, hostedProviderOverrides, providerTable, resolveProfile } from '../codex/destination.js';

export interface ProviderJudgement {
  /** The provider id Codex will use for this profile. */
  provider: string;
  /** Where the id came from. */
  providerSource: 'profile' | 'config' | 'default';
  /** The model the profile resolves to (profile, else config.toml); undefined: Codex's default. */
  model?: string;
  /** The base URL the judgement used, when there is one. */
  baseUrl?: string;
  /** True unless the prompts stay on this machine (`locality` is `network` or `cloud`). */
  hosted: boolean;
  /** this-machine, network (another host) or cloud (src/codex/destination.ts). */
  locality: Locality;
  /** One sentence: why. */
  reason: string;
}

/** Whether a URL's host is a loopback address; false when it does not parse. */
export function isLoopbackUrl(url: string): boolean {
  const ep = endpointOf(url);
  return ep !== undefined && (ep.protocol === 'http:' || ep.protocol === 'https:') && isLoopbackHost(ep.host);
}

/** Where a profile's prompts go (profileDestination, in the shape the callers know). */
export function judgeProfile(state: HomeState, profile: Profile, env: NodeJS.ProcessEnv = process.env): ProviderJudgement {
  const d = profileDestination(state, profile, env);
  return {
    provider: d.provider,
    providerSource: d.providerSource,
    ...(d.model !== undefined ? { model: d.model } : {}),
    ...(d.baseUrl !== undefined ? { baseUrl: d.baseUrl } : {}),
    hosted: d.hosted,
    locality: d.locality,
    reason: d.reason,
  };
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
