import { endpointOf, isLoopbackHost, stripV1 } from '../discover/address.js';
import { serverKind } from '../discover/registry.js';
import type { ProviderId } from '../discover/types.js';
import { codexOssUrls } from '../codex/builtins.js';
import type { ProfileKind } from '../config/profile-writer.js';

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
  table?: { name: string; base_url: string; wire_api: 'responses'; env_key?: string };
  /**
   * Where the table goes with the file layout: `profile` (inside NAME.config.toml, which Codex
   * >= 0.134 reads) for kinds Codex has no built-in id for; `config` (top level of config.toml)
   * for Ollama / LM Studio on another address, where profiles have always put it. Table-era
   * Codex ignores providers nested in a profile, so the table layout always uses config.toml.
   */
  tableHome: 'profile' | 'config';
}

/**
 * The route comes from the registry (`kind.codexRoute`): Codex's built-in `ollama` / `lmstudio`
 * when it already points where the server answered (default port, or CODEX_OSS_* set to it),
 * else a provider id of our own (`ollama-gpu-box`, `vllm`, `llamacpp-port-8081`) with
 * `wire_api = "responses"`: built-in ids cannot be redefined, and `wire_api = "chat"` is gone.
 */
export function providerTargetFor(provider: ProviderId, serverUrl: string, env: NodeJS.ProcessEnv, apiKeyEnv?: string): ProviderTarget {
  const kind = serverKind(provider);
  const url = stripV1(serverUrl);
  const route = kind.codexRoute(url, codexOssUrls(env).effective);
  if (route.kind === 'built-in') {
    return { id: route.id, builtIn: true, kind: route.id, url, remote: false, tableHome: 'config' };
  }
  const ep = endpointOf(url);
  const loopback = ep ? isLoopbackHost(ep.host) : false;
  const { table } = route;
  // The token's variable, never its value: --api-key-env, else the kind's own variable when set
  // (VLLM_API_KEY, LLAMA_API_KEY). Ollama / LM Studio tables stay as they always were.
  const envKey = apiKeyEnv ?? (kind.codexBuiltIn ? undefined : kind.env.find((e) => e.use === 'auth' && env[e.name])?.name);
  return {
    id: table.id,
    builtIn: false,
    kind: !loopback ? 'remote' : kind.codexBuiltIn ?? 'local-server',
    url,
    remote: !loopback,
    table: { name: table.name, base_url: table.baseUrl, wire_api: table.wireApi, ...(envKey ? { env_key: envKey } : {}) },
    tableHome: kind.codexBuiltIn ? 'config' : 'profile',
  };
}
