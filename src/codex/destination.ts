/**
 * Where a profile sends its prompts: ONE answer for every command (issue 13).
 *
 * Every model and every profile gets a locality:
 * - `this-machine`: a server on a loopback address runs the model here;
 * - `network`: another machine (a GPU box on the LAN, an LM Link device, an IP address);
 * - `cloud`: a hosted service (`openai`, `amazon-bedrock`, a public DNS name) or a model that the
 *   local server forwards to a hosted service (Ollama cloud models, `:cloud` / `-cloud` tags).
 *
 * Only `this-machine` keeps prompts on the workstation; the privacy rules (compare, test) treat
 * `network` and `cloud` alike and ask for the same explicit consent (`--include-hosted`).
 *
 * The server kind and URL are data (a kind id string, a URL): nothing here branches on a fixed
 * list of kinds except through MODEL_LOCALITY_RULES, which a kind can join with one line.
 *
 * Profile rules (what `judgeProfile` in src/route/hosted.ts returns):
 * 1. The provider id: the profile's `model_provider`, else config.toml's, else Codex's `openai`.
 * 2. An id in CODEX_PROFILES_HOSTED_PROVIDERS is cloud whatever its address (only ever stricter:
 *    a hosted service tunnelled to a loopback port, or a stand-in in tests).
 * 3. The built-in `ollama` / `lmstudio`: the URL Codex itself calls (CODEX_OSS_BASE_URL, else
 *    CODEX_OSS_PORT, else the default port; codexOssUrls), or a `[model_providers.ID]` base_url an
 *    older Codex may read; then the model (an Ollama cloud tag is cloud even on localhost).
 * 4. `openai`, `amazon-bedrock`: cloud.
 * 5. A custom id: its table's base_url (profile file over config.toml); no table or no base_url:
 *    cloud (we cannot show that the prompt stays here); then the model, as in 3.
 */
import { cleanBaseUrl, endpointOf, isLoopbackHost, isIPv6Text } from '../discover/address.js';
import { CODEX_DEFAULT_PROVIDER_ID, codexOssUrls, hostedBuiltInPlace, isLocalBuiltInId } from './builtins.js';
import { displayNameOf, SERVER_KIND_IDS, serverKind, type ServerKindId } from '../discover/registry.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { isTable } from '../config/toml-table.js';

export type Locality = 'this-machine' | 'network' | 'cloud';

/** A locality with its reason: the shape of every `locality` field in `--json`. */
export interface LocalityVerdict {
  locality: Locality;
  /** One sentence: why. */
  reason: string;
  /** Where the prompt goes: a URL, a host, a device or a service name. */
  place?: string;
}

/** True when a prompt sent there leaves this machine. */
export function leavesMachine(l: Locality | LocalityVerdict): boolean {
  return (typeof l === 'string' ? l : l.locality) !== 'this-machine';
}

/** In words, for tables and consent questions. */
export const LOCALITY_WORDS: Readonly<Record<Locality, string>> = {
  'this-machine': 'this machine',
  network: 'another host',
  cloud: 'cloud',
};

/** Just the verdict (the `locality` field of every `--json`) of a fuller answer such as ProfileDestination. */
export function verdictOf(d: LocalityVerdict): LocalityVerdict {
  return { locality: d.locality, reason: d.reason, ...(d.place !== undefined ? { place: d.place } : {}) };
}

/** `this machine (why)`: a verdict in words, for every "where prompts go" line. */
export function localityText(v: LocalityVerdict): string {
  return `${LOCALITY_WORDS[v.locality]} (${v.reason})`;
}

/** Private DNS suffixes: a name under one of them is a machine on the network, not a service. */
const PRIVATE_SUFFIX = /\.(local|lan|internal|intranet|localdomain|home\.arpa|corp)$/i;

/**
 * A host's locality. Loopback: this machine. An IP address, a single-label name (`gpu-box`) or a
 * private suffix (`.local`, `.lan`, ...): another machine on the network. Any other DNS name is
 * a service somewhere: cloud.
 */
export function localityOfHost(host: string): Locality {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isLoopbackHost(h)) return 'this-machine';
  if (/^[\d.]+$/.test(h) || isIPv6Text(h.replace(/^\[|\]$/g, '')) || !h.includes('.') || PRIVATE_SUFFIX.test(h)) return 'network';
  return 'cloud';
}

/** A server URL's locality; a URL that does not parse is cloud (nothing shows it stays here). */
export function localityOfUrl(url: string): LocalityVerdict {
  const clean = cleanBaseUrl(url.trim());
  const ep = endpointOf(clean);
  if (!ep || (ep.protocol !== 'http:' && ep.protocol !== 'https:')) {
    return { locality: 'cloud', reason: `${clean} is not an http(s) URL, so where it sends prompts is unknown`, place: clean };
  }
  const locality = localityOfHost(ep.host);
  const reason =
    locality === 'this-machine'
      ? `the server is on a loopback address (${clean})`
      : locality === 'network'
        ? `the server is on another machine (${ep.host}): prompts cross the network`
        : `${ep.host} is a public name: prompts go to a service outside this network`;
  return { locality, reason, place: locality === 'this-machine' ? clean : ep.host };
}

/** Ollama cloud models: the tag is `cloud` or ends in `-cloud` (`kimi-k2.6:cloud`, `gpt-oss:120b-cloud`). */
export function isOllamaCloudTag(modelId: string): boolean {
  const colon = modelId.lastIndexOf(':');
  if (colon < 0 || modelId.indexOf('/', colon) >= 0) return false;
  const tag = modelId.slice(colon + 1).toLowerCase();
  return tag === 'cloud' || tag.endsWith('-cloud');
}

/** What we know about one model besides its server's URL. */
export interface ModelFacts {
  /** The model id as the server lists it. */
  id: string;
  /** Ollama `remote_host`: the host that runs it (a cloud model). */
  remoteHost?: string;
  /** LM Link: the model lives on another device. */
  device?: { identifier: string; name?: string; local: boolean };
}

/**
 * Per server kind (a kind id is data): how a model's own facts move it off this machine. A kind
 * without an entry has models that run where its server runs.
 */
export const MODEL_LOCALITY_RULES: Readonly<Record<string, (m: ModelFacts) => LocalityVerdict | undefined>> = {
  ollama: (m) => {
    if (m.remoteHost !== undefined && m.remoteHost !== '') {
      const host = endpointOf(m.remoteHost)?.host ?? m.remoteHost;
      return { locality: 'cloud', reason: `Ollama cloud model: the server forwards prompts to ${host}`, place: host };
    }
    if (isOllamaCloudTag(m.id)) {
      return { locality: 'cloud', reason: 'Ollama cloud model (`cloud` tag): the server forwards prompts to ollama.com', place: 'ollama.com' };
    }
    return undefined;
  },
  lmstudio: (m) => {
    if (m.device && !m.device.local) {
      const name = m.device.name ?? m.device.identifier;
      return { locality: 'network', reason: `LM Link: the model runs on the device ${name}, not on this machine`, place: name };
    }
    return undefined;
  },
};

/** A model's own facts that move it off its server's machine (cloud tag, LM Link device), if any. */
export function modelOwnLocality(kind: string | undefined, model: ModelFacts): LocalityVerdict | undefined {
  const own = kind !== undefined ? MODEL_LOCALITY_RULES[kind]?.(model) : undefined;
  if (own) return own;
  // An unknown kind: a cloud tag is still taken at its word (a false "cloud" costs a flag; a false
  // "this machine" sends prompts away).
  return kind === undefined && isOllamaCloudTag(model.id) ? MODEL_LOCALITY_RULES.ollama!(model) : undefined;
}

/**
 * A model's locality: its own facts first, else its server's URL. `kind` is a server kind id
 * (`ollama`, `lmstudio`, `vllm`, ...), or undefined when unknown.
 */
export function localityOfModel(kind: string | undefined, serverUrl: string | undefined, model: ModelFacts): LocalityVerdict {
  const own = modelOwnLocality(kind, model);
  if (own) return own;
  if (serverUrl === undefined) return { locality: 'cloud', reason: 'no server URL is known, so where prompts go is unknown' };
  return localityOfUrl(serverUrl);
}

/** The most distant of several verdicts (cloud > network > this-machine); the first wins ties. */
export function farthest(...verdicts: LocalityVerdict[]): LocalityVerdict {
  const rank: Record<Locality, number> = { 'this-machine': 0, network: 1, cloud: 2 };
  return verdicts.reduce((a, b) => (rank[b.locality] > rank[a.locality] ? b : a));
}

// ---------------------------------------------------------------------------------------------
// Profiles

/** The environment variable that adds provider ids to the hosted list (comma-separated). */
export const HOSTED_PROVIDERS_ENV = 'CODEX_PROFILES_HOSTED_PROVIDERS';

/** Codex's provider when neither the profile nor config.toml names one. */
export const DEFAULT_PROVIDER = CODEX_DEFAULT_PROVIDER_ID;


export interface ProfileDestination extends LocalityVerdict {
  /** The provider id Codex will use for this profile. */
  provider: string;
  providerSource: 'profile' | 'config' | 'default';
  /** The model the profile resolves to (profile, else config.toml); undefined: Codex's default. */
  model?: string;
  /** The base URL Codex calls (with `/v1` as written), when there is one. */
  baseUrl?: string;
  /** The server kind we expect there (built-in id, table name or port guess); undefined: unknown. */
  kind?: string;
  /** Compatibility with the two-way judgement: true unless `this-machine`. */
  hosted: boolean;
}


function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Ids listed in CODEX_PROFILES_HOSTED_PROVIDERS (trimmed, empty entries dropped). */
export function hostedProviderOverrides(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env[HOSTED_PROVIDERS_ENV] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
}

/**
 * The `[model_providers.ID]` table Codex sees for this profile: config.toml's, with a profile
 * file's own `[model_providers.ID]` keys layered over it (file layout only).
 */
export function providerTable(state: HomeState, profile: Profile, id: string): Record<string, unknown> | undefined {
  const fromConfig = (state.config?.data.model_providers as Record<string, unknown> | undefined)?.[id];
  const base = isTable(fromConfig) ? fromConfig : undefined;
  if (profile.layout !== 'file') return base;
  const own = isTable(profile.values.model_providers) ? profile.values.model_providers[id] : undefined;
  if (!isTable(own)) return base;
  return { ...(base ?? {}), ...own };
}

/** `openai_base_url` as Codex reads it for this profile (none: a new one): a profile file's own over config.toml's. */
export function openaiBaseUrl(state: HomeState, profile?: Profile): string | undefined {
  const own = profile?.layout === 'file' ? str(profile.values.openai_base_url) : undefined;
  const url = (own ?? str(state.config?.data.openai_base_url))?.trim();
  return url ? cleanBaseUrl(url) : undefined;
}

/** The provider id and model a profile resolves to, with config.toml as the layer below. */
export function resolveProfile(state: HomeState, profile: Profile): { provider: string; providerSource: ProfileDestination['providerSource']; model?: string } {
  const base = state.config?.data ?? {};
  const own = str(profile.values.model_provider);
  const fromConfig = str(base.model_provider);
  const provider = own ?? fromConfig ?? DEFAULT_PROVIDER;
  const providerSource = own !== undefined ? 'profile' : fromConfig !== undefined ? 'config' : 'default';
  const model = str(profile.values.model) ?? str(base.model);
  return model !== undefined ? { provider, providerSource, model } : { provider, providerSource };
}

/** Letters and digits only, lower case: `LM Studio`, `lm-studio` and `lmstudio` all read `lmstudio`. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * A server kind guessed from a custom table's id, `name` and port, through the registry: a
 * kind's id or display name in the id or name (ours are `vllm-port-8001`, "vLLM on
 * 127.0.0.1:8001"), else the kind whose default port it is (11434 Ollama, 1234 LM Studio, 8000
 * vLLM, 8080 llama-server); undefined when nothing fits.
 */
export function guessKindOf(id: string, name: string | undefined, url: string | undefined): ServerKindId | undefined {
  const text = squash(`${id} ${name ?? ''}`);
  const named = SERVER_KIND_IDS.find((k) => text.includes(squash(k)) || text.includes(squash(displayNameOf(k))));
  if (named) return named;
  const port = url ? endpointOf(url)?.port : undefined;
  return port === undefined ? undefined : SERVER_KIND_IDS.find((k) => serverKind(k).defaultPort === port);
}

/**
 * A Codex built-in hosted provider's verdict: cloud, at its service, or where `openai_base_url`
 * sends the built-in openai provider (Codex honours it; docs/routing.md). Still cloud then: by its
 * id this is the hosted service, and whatever listens there (a proxy, a gateway) may pass the
 * prompt on; but the place is where it really goes. `profile` absent: a profile not written yet.
 */
export function hostedBuiltInVerdict(provider: string, reason: string, state: HomeState, profile?: Profile): LocalityVerdict {
  const redirected = provider === DEFAULT_PROVIDER ? openaiBaseUrl(state, profile) : undefined;
  if (redirected !== undefined) return { locality: 'cloud', reason: `${reason}, sent to ${redirected} (openai_base_url)`, place: redirected };
  return { locality: 'cloud', reason, place: hostedBuiltInPlace(provider) ?? `provider ${provider}` };
}

/** Where a profile's prompts go: see the rules at the top of this file. */
export function profileDestination(state: HomeState, profile: Profile, env: NodeJS.ProcessEnv = process.env): ProfileDestination {
  const { provider, providerSource, model } = resolveProfile(state, profile);
  const table = providerTable(state, profile, provider);
  const rawUrl = str(table?.base_url);
  const tableUrl = rawUrl === undefined ? undefined : cleanBaseUrl(rawUrl);
  // A local built-in's server kind is its own id (ollama, lmstudio).
  const builtInKind = isLocalBuiltInId(provider) ? provider : undefined;
  const out = (v: LocalityVerdict, baseUrl?: string, kind?: string): ProfileDestination => ({
    provider,
    providerSource,
    ...(model !== undefined ? { model } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...v,
    hosted: leavesMachine(v),
  });
  const withModel = (server: LocalityVerdict, kind: string | undefined): LocalityVerdict => {
    const own = model === undefined ? undefined : modelOwnLocality(kind, { id: model });
    return own ? farthest(server, own) : server;
  };

  if (hostedProviderOverrides(env).has(provider)) {
    const url = tableUrl ?? (builtInKind ? codexOssUrls(env).effective[builtInKind] : undefined);
    return out({ locality: 'cloud', reason: `provider \`${provider}\` is listed in ${HOSTED_PROVIDERS_ENV}`, place: url ?? provider }, url, builtInKind);
  }

  if (builtInKind !== undefined) {
    // The URL Codex itself calls: CODEX_OSS_BASE_URL, else CODEX_OSS_PORT, else the default.
    const url = codexOssUrls(env).effective[builtInKind];
    const viaEnv = env.CODEX_OSS_BASE_URL?.trim() ? ' (CODEX_OSS_BASE_URL)' : env.CODEX_OSS_PORT?.trim() ? ' (CODEX_OSS_PORT)' : '';
    let server = localityOfUrl(url);
    server = server.locality === 'this-machine'
      ? { ...server, reason: `built-in provider \`${provider}\` runs on this machine (${url})${viaEnv}` }
      : { ...server, reason: `built-in provider \`${provider}\` points at ${url}${viaEnv}: ${server.reason}` };
    if (tableUrl !== undefined) {
      const t = localityOfUrl(tableUrl);
      if (leavesMachine(t)) return out(withModel({ ...t, reason: `[model_providers.${provider}] sets base_url ${tableUrl}: ${t.reason}` }, builtInKind), tableUrl, builtInKind);
    }
    return out(withModel(server, builtInKind), url, builtInKind);
  }

  const hostedPlace = hostedBuiltInPlace(provider);
  if (hostedPlace !== undefined) {
    const why = providerSource === 'default' ? ` (neither the profile nor config.toml sets model_provider, so Codex uses \`${DEFAULT_PROVIDER}\`)` : '';
    const verdict = hostedBuiltInVerdict(provider, `built-in provider \`${provider}\` is a hosted service${why}`, state, profile);
    return out(verdict, verdict.place === hostedPlace ? undefined : verdict.place);
  }

  if (table === undefined) {
    return out({ locality: 'cloud', reason: `provider \`${provider}\` has no [model_providers.${provider}] table, so where it sends prompts is unknown`, place: `provider ${provider}` });
  }
  if (tableUrl === undefined) {
    return out({ locality: 'cloud', reason: `[model_providers.${provider}] has no base_url, so where it sends prompts is unknown`, place: `provider ${provider}` });
  }
  const kind = guessKindOf(provider, str(table.name), tableUrl);
  const server = localityOfUrl(tableUrl);
  const reason = server.locality === 'this-machine' ? `provider \`${provider}\` is on a loopback address (${tableUrl})` : `provider \`${provider}\`: ${server.reason}`;
  return out(withModel({ ...server, reason }, kind), tableUrl, kind);
}

// ---------------------------------------------------------------------------------------------
// Discovery results

/** What annotateModels needs of a discovery report (kind id as data, URL, models). */
export interface ModelsReportLike {
  provider: string;
  url: string;
  models: Array<ModelFacts & { locality?: LocalityVerdict }>;
}

/**
 * Give every discovered model its `locality` (models --json, setup). Returns one line per model
 * whose prompts leave this machine, for the text output.
 */
export function annotateModels(reports: readonly ModelsReportLike[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    for (const m of r.models) {
      m.locality = localityOfModel(r.provider, r.url, m);
      if (leavesMachine(m.locality)) lines.push(`${m.id}: ${localityText(m.locality)}`);
    }
  }
  return lines;
}
