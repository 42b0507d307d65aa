import { endpointOf, isLoopbackHost, sameEndpoint, stripV1 } from '../discover/address.js';
import { codexOssUrls } from '../discover/discover.js';
import type { ProviderId } from '../discover/types.js';
import { PROVIDER_NAMES } from '../discover/types.js';
import type { ProfileKind } from '../config/profile-writer.js';

/** Provider ids built into Codex; they cannot be redefined in [model_providers.*]. */
export const BUILT_IN_PROVIDER_IDS = ['openai', 'amazon-bedrock', 'ollama', 'lmstudio', 'oss'] as const;

/** What a profile's `model_provider` will be, and the provider table it needs (if any). */
export interface ProviderTarget {
  id: string;
  builtIn: boolean;
  kind: ProfileKind;
  /** Base URL of the server (no /v1). */
  url: string;
  /** Prompts leave this machine (non-loopback host). */
  remote: boolean;
  /** `[model_providers.ID]` to write when not built in. */
  table?: { name: string; base_url: string; wire_api: 'responses' };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'host';
}

/**
 * Codex's built-in `ollama` / `lmstudio` provider is used when it already points where the
 * server answered (default port, or CODEX_OSS_* set to it). Anything else gets a provider id of
 * our own (`ollama-gpu-box`, `lmstudio-port-1235`) with `wire_api = "responses"`: the built-in
 * ids cannot be redefined, and `wire_api = "chat"` no longer exists.
 */
export function providerTargetFor(provider: ProviderId, serverUrl: string, env: NodeJS.ProcessEnv): ProviderTarget {
  const url = stripV1(serverUrl);
  const builtInUrl = codexOssUrls(env).effective[provider];
  if (sameEndpoint(builtInUrl, url)) {
    return { id: provider, builtIn: true, kind: provider, url, remote: false };
  }
  const ep = endpointOf(url);
  const loopback = ep ? isLoopbackHost(ep.host) : false;
  const defaultPort = provider === 'ollama' ? 11434 : 1234;
  const portPart = ep && ep.port !== defaultPort ? `-${ep.port}` : '';
  const id = loopback ? `${provider}-port-${ep?.port ?? defaultPort}` : `${provider}-${slug(ep?.host ?? url)}${portPart}`;
  const where = ep ? `${ep.host}:${ep.port}` : url;
  return {
    id,
    builtIn: false,
    kind: loopback ? provider : 'remote',
    url,
    remote: !loopback,
    table: { name: `${PROVIDER_NAMES[provider]} on ${where}`, base_url: `${url}/v1`, wire_api: 'responses' },
  };
}
