/**
 * What Codex has built in, in one place: its provider ids (which a `[model_providers.X]` table
 * may not reuse), where the local built-ins point, and the CODEX_OSS_BASE_URL / CODEX_OSS_PORT
 * rules that move them (read: codex-rs/model-provider-info, create_oss_provider; domain.md).
 *
 * src/discover/ must not import this (discovery knows nothing of Codex): callers compute the URLs
 * here and hand them to the registry as data (`ServerKind.codexRoute(url, builtInUrls)`).
 * Kept free of runtime imports so list/audit pay nothing for it.
 */
import type { Hint, ProviderReport } from '../discover/types.js';
import { sameEndpoint, stripV1 } from '../discover/address.js';

/** Codex's built-in provider ids. */
export const CODEX_BUILT_IN_PROVIDER_IDS = ['openai', 'amazon-bedrock', 'ollama', 'lmstudio'] as const;
export type CodexBuiltInProviderId = (typeof CODEX_BUILT_IN_PROVIDER_IDS)[number];

/**
 * Ids a `[model_providers.X]` table may not take: the built-ins plus `oss` (the id `--oss`
 * resolves through; newer Codex rejects it as "reserved built-in provider IDs").
 */
export const CODEX_RESERVED_PROVIDER_IDS: readonly string[] = [...CODEX_BUILT_IN_PROVIDER_IDS, 'oss'];

/** The built-ins that run on this machine, and their default ports (DEFAULT_OLLAMA_PORT, DEFAULT_LMSTUDIO_PORT). */
export const CODEX_LOCAL_BUILT_IN_PORTS = { ollama: 11434, lmstudio: 1234 } as const;
export type CodexLocalBuiltInId = keyof typeof CODEX_LOCAL_BUILT_IN_PORTS;
/** The servers those ids are for, by name (Codex's own names for them). */
const LOCAL_BUILT_IN_SERVER_NAMES: Record<CodexLocalBuiltInId, string> = { ollama: 'Ollama', lmstudio: 'LM Studio' };

/** The built-ins that are hosted services, and what they reach (unless `openai_base_url` moves openai). */
export const CODEX_HOSTED_BUILT_IN_PLACES: Readonly<Record<string, string>> = { openai: 'api.openai.com', 'amazon-bedrock': 'AWS Bedrock' };

/** Codex's provider when neither a profile nor config.toml names one. */
export const CODEX_DEFAULT_PROVIDER_ID = 'openai';

export function isReservedProviderId(id: string): boolean {
  return CODEX_RESERVED_PROVIDER_IDS.includes(id);
}

export function isLocalBuiltInId(id: string): id is CodexLocalBuiltInId {
  return Object.prototype.hasOwnProperty.call(CODEX_LOCAL_BUILT_IN_PORTS, id);
}

/** What a hosted built-in id reaches (`api.openai.com`); undefined for any other id. */
export function hostedBuiltInPlace(id: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(CODEX_HOSTED_BUILT_IN_PLACES, id) ? CODEX_HOSTED_BUILT_IN_PLACES[id] : undefined;
}

export interface CodexOssUrls {
  /** Base URL (with `/v1`) each local built-in id uses in Codex with this environment. */
  effective: Record<CodexLocalBuiltInId, string>;
  /** `CODEX_OSS_BASE_URL` as set (undefined when unset or blank). */
  baseUrl?: string;
  /** `CODEX_OSS_PORT` as set (undefined when unset or blank). */
  port?: string;
  portValid: boolean;
}

/**
 * Where Codex's built-in `ollama` / `lmstudio` providers point with this environment:
 * CODEX_OSS_BASE_URL (not blank) for both; else `http://localhost:PORT/v1` with CODEX_OSS_PORT
 * when it parses as a port, else the provider's default port.
 */
export function codexOssUrls(env: NodeJS.ProcessEnv): CodexOssUrls {
  const baseRaw = env.CODEX_OSS_BASE_URL;
  const baseUrl = baseRaw !== undefined && baseRaw.trim() !== '' ? baseRaw : undefined;
  const portRaw = env.CODEX_OSS_PORT;
  const port = portRaw !== undefined && portRaw.trim() !== '' ? portRaw : undefined;
  // Rust's u16::from_str: optional '+', digits, no spaces, at most 65535.
  const portValid = port !== undefined && /^\+?\d+$/.test(port) && Number(port) <= 65535;
  const urlFor = (p: CodexLocalBuiltInId) => baseUrl ?? `http://localhost:${portValid ? Number(port) : CODEX_LOCAL_BUILT_IN_PORTS[p]}/v1`;
  return { effective: { ollama: urlFor('ollama'), lmstudio: urlFor('lmstudio') }, baseUrl, port, portValid };
}

/**
 * The server `codex --oss` reaches for a built-in id (no `/v1`): what must list a model before
 * anything runs it with `--oss -m`, the one place test --oss, compare --local and the audit ask.
 */
export function ossServerUrl(id: CodexLocalBuiltInId, env: NodeJS.ProcessEnv): string {
  return stripV1(codexOssUrls(env).effective[id]);
}

/** The URL (with `/v1`) a local built-in id points at in this environment; undefined for other ids. */
export function localBuiltInUrl(id: string, env: NodeJS.ProcessEnv): string | undefined {
  return isLocalBuiltInId(id) ? codexOssUrls(env).effective[id] : undefined;
}

export interface CodexOssReport {
  baseUrl?: string;
  port?: string;
  effective: Record<CodexLocalBuiltInId, string>;
  notes: Hint[];
}

/**
 * The CODEX_OSS_* notes of a discovery run: bad values, and servers that answered somewhere the
 * built-in id of their kind does not point (only kinds Codex has a built-in id for).
 */
export function codexOssReport(env: NodeJS.ProcessEnv, reports: ProviderReport[], names: (kind: string) => string = (k) => (isLocalBuiltInId(k) ? LOCAL_BUILT_IN_SERVER_NAMES[k] : k)): CodexOssReport {
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
    if (r.status !== 'up' || !isLocalBuiltInId(r.provider)) continue;
    const id = r.provider;
    const codexUrl = effective[id];
    if (sameEndpoint(codexUrl, r.url)) continue;
    const name = names(id);
    notes.push(
      setBy
        ? {
            level: 'warn',
            code: 'CODEX_OSS_MISMATCH',
            message: `${setBy} sends Codex's built-in \`${id}\` provider to ${codexUrl}, but ${name} answered at ${r.url}`,
            fix: `unset ${setBy}, point it at ${r.url}/v1, or give profiles their own provider id with base_url = "${r.url}/v1"`,
          }
        : {
            level: 'warn',
            code: 'CODEX_DEFAULT_MISMATCH',
            message: `Codex's built-in \`${id}\` provider uses ${codexUrl}, but ${name} answered at ${r.url}${id === 'ollama' && env.OLLAMA_HOST?.trim() ? ' (Codex does not read OLLAMA_HOST)' : ''}`,
            fix: `give profiles their own provider id (not \`${id}\`, which cannot be redefined) with base_url = "${r.url}/v1"`,
          },
    );
  }
  const out: CodexOssReport = { effective, notes };
  if (baseUrl !== undefined) out.baseUrl = baseUrl;
  if (port !== undefined) out.port = port;
  return out;
}
