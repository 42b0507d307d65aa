/**
 * Shared pieces for servers that speak the OpenAI API (vLLM, llama.cpp's llama-server, any
 * OpenAI-compatible server): URL flags, bearer tokens, `GET /v1/models`, the Responses-API probe,
 * hints. Read-only: GET requests, plus for the Responses probe one `POST /v1/responses` with the
 * body `{}` where a server has no other way to tell (no `input`, no `model`: nothing to generate).
 */
import { UsageError } from '../errors.js';
import { endpointOf, hostOf, isLoopbackHost, sameEndpoint, stripV1 } from './address.js';
import { formatTokens, isEmbeddingOnly } from './hints.js';
import { oneLine, type JsonResult, type TextResult } from './http.js';
import type { CodexRoute, ServerKind, ServerKindId, ServerModel, ServerReport, ResponsesSupport } from './server-kind.js';
import type { Hint, ProviderStatus } from './types.js';
import { isRecord, positiveInt, str } from './util.js';

/** A response id no server has: retrieving it cannot generate anything. */
export const PROBE_RESPONSE_ID = 'resp_codexprofilesprobe';
/** The body sent to `POST /v1/responses` by probes: no input, no model. */
export const PROBE_BODY = {} as const;

/**
 * `http://host:port`, `host:port`, `host` (default port); a trailing `/v1` (a Codex base_url
 * pasted as is) is dropped; credentials, queries and fragments are refused or removed.
 */
export function normalizeServerUrl(value: string, flag: string, defaultPort?: number): string {
  const example = `http://127.0.0.1:${defaultPort ?? 8000}`;
  const v = stripV1(value.trim());
  if (v === '') throw new UsageError(`${flag} is empty`, `Pass a URL such as ${example}`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new UsageError(`${flag}: "${oneLine(value, 80)}" is not a URL`, `Pass a URL such as ${example}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UsageError(`${flag}: scheme "${u.protocol.replace(/:$/, '')}" is not http or https`);
  }
  if (u.username !== '' || u.password !== '') {
    throw new UsageError(`${flag}: a URL with credentials (user:password@) is not used`, 'Pass the token in an environment variable instead');
  }
  if (withScheme !== v && u.port === '' && defaultPort !== undefined) u.port = String(defaultPort);
  u.search = '';
  u.hash = '';
  return u.href.replace(/\/+$/, '');
}

/** `Authorization: Bearer <value of envName>` when that variable is set and not blank. */
export function bearerFrom(env: NodeJS.ProcessEnv, envName: string | undefined): Record<string, string> {
  if (!envName) return {};
  const token = env[envName]?.trim();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export function statusFor(r: Extract<JsonResult, { ok: false }>): ProviderStatus {
  if (r.kind === 'refused') return 'down';
  if (r.kind === 'timeout') return 'not-responding';
  return 'error';
}

/** A new, empty report for a kind at a URL. */
export function newReport(kind: ServerKindId, url: string, source: string): ServerReport {
  return {
    kind,
    url,
    source,
    status: 'down',
    exposed: false,
    via: 'none',
    models: [],
    notes: [],
    responses: { state: 'unknown', evidence: 'not asked' },
  };
}

export function newModel(kind: ServerKindId, id: string): ServerModel {
  return { kind, id, displayName: id, capabilities: {}, sources: {}, hints: [] };
}

export interface OpenAiModelEntry {
  model: ServerModel;
  raw: Record<string, unknown>;
}

/**
 * `GET /v1/models` -> `{data: [{id, ...}]}`. Entries without a usable id and duplicates are
 * skipped (counted). Undefined when the body is not a model list.
 */
export function entriesFromOpenAiModels(json: unknown, kind: ServerKindId): { entries: OpenAiModelEntry[]; skipped: number } | undefined {
  const data = isRecord(json) ? json.data : undefined;
  if (!Array.isArray(data)) return undefined;
  const entries: OpenAiModelEntry[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const raw of data) {
    const id = isRecord(raw) ? str(raw.id) : undefined;
    // A model id goes into config files and terminals: refuse control characters outright.
    // eslint-disable-next-line no-control-regex
    if (!isRecord(raw) || id === undefined || /[\u0000-\u001f\u007f]/.test(id) || id.length > 512 || seen.has(id)) {
      skipped++;
      continue;
    }
    seen.add(id);
    const model = newModel(kind, id);
    model.sources.id = '/v1/models id';
    entries.push({ model, raw });
  }
  return { entries, skipped };
}

/** The first positive integer among `keys` of an entry, with the key it came from. */
export function firstInt(raw: Record<string, unknown>, keys: readonly string[]): { value: number; key: string } | undefined {
  for (const key of keys) {
    const v = positiveInt(raw[key]);
    if (v !== undefined) return { value: v, key };
  }
  return undefined;
}

/** The JSON body of a text answer, if it is JSON. */
export function jsonOf(r: TextResult): unknown {
  if (!r.ok) return undefined;
  try {
    return JSON.parse(r.text) as unknown;
  } catch {
    return undefined;
  }
}

/** The error message of an OpenAI-style (`{error:{message}}`), vLLM-old (`{object:"error",message}`) or FastAPI (`{detail}`) body. */
export function errorMessageOf(json: unknown): string | undefined {
  if (!isRecord(json)) return undefined;
  const e = json.error;
  if (typeof e === 'string') return e;
  if (isRecord(e) && typeof e.message === 'string') return e.message;
  if (json.object === 'error' && typeof json.message === 'string') return json.message;
  if (typeof json.detail === 'string') return json.detail;
  return undefined;
}

/** True for an error body a server's own handler wrote (not a framework's "no such route"). */
export function isHandlerError(json: unknown): boolean {
  if (!isRecord(json)) return false;
  return isRecord(json.error) || json.object === 'error';
}

const NOT_SUPPORTED = /does not support (the )?responses api|responses api is not (supported|enabled)/i;

/**
 * Reading of `POST /v1/responses` with `{}` (no input, no model): a server with the route
 * rejects the body (400 / 422; llama-server: "'input' is required"); one without it answers 404
 * or 405. Used for llama-server and unknown OpenAI-compatible servers.
 */
export function judgeEmptyPost(r: TextResult): ResponsesSupport {
  const how = 'POST /v1/responses {}';
  if (!r.ok) return { state: 'unknown', evidence: `${how}: ${r.reason}` };
  const msg = errorMessageOf(jsonOf(r));
  const said = msg ? `: ${oneLine(msg, 80)}` : '';
  if (msg && NOT_SUPPORTED.test(msg)) return { state: 'no', evidence: `${how} -> ${r.status}${said}` };
  if (r.status === 404 || r.status === 405 || r.status === 501) return { state: 'no', evidence: `${how} -> ${r.status} (no such route)${said}` };
  if (r.status === 400 || r.status === 422) return { state: 'yes', evidence: `${how} -> ${r.status} (the route exists and rejected an empty request)${said}` };
  if (r.status >= 500 && msg && /input/i.test(msg)) return { state: 'yes', evidence: `${how} -> ${r.status} (the route exists)${said}` };
  if (r.status === 401 || r.status === 403) return { state: 'unknown', evidence: `${how} -> ${r.status}: the server wants an API key` };
  if (r.status >= 200 && r.status < 300) return { state: 'yes', evidence: `${how} -> ${r.status}` };
  return { state: 'unknown', evidence: `${how} -> ${r.status}${said}` };
}

/** Hints for a model on a server kind: embedding-only, tools, context. Pure. */
export function judgeServerModel(model: ServerModel, kind: Pick<ServerKind, 'displayName' | 'minContext' | 'fixes'>): Hint[] {
  const hints: Hint[] = [];
  if (isEmbeddingOnly(model)) {
    hints.push({ level: 'info', code: 'EMBEDDING_ONLY', message: 'embedding model: it cannot answer prompts, so it is not offered for profiles' });
    return hints;
  }
  if (model.capabilities.tools === false) {
    hints.push({
      level: 'warn',
      code: 'NO_TOOLS',
      message: `${kind.displayName} says this model has no tool calling; Codex needs tools to run commands and edit files`,
      fix: kind.fixes.tools,
    });
  } else if (model.capabilities.tools === undefined) {
    hints.push({
      level: 'info',
      code: 'TOOLS_UNKNOWN',
      message: `${kind.displayName} does not say whether this model can call tools; Codex needs it`,
      fix: kind.fixes.tools,
    });
  }
  const min = kind.minContext;
  const max = model.contextLength;
  const runtime = model.runtimeContextLength;
  if (max !== undefined && max < min) {
    hints.push({
      level: 'warn',
      code: 'MODEL_CONTEXT_SMALL',
      message: `the model supports only ${formatTokens(max)} tokens of context; Codex wants at least ${formatTokens(min)}`,
      fix: 'no setting can raise a model past its own maximum: choose a model with a longer context',
    });
  } else if (runtime !== undefined && runtime < min) {
    hints.push({
      level: 'warn',
      code: 'CONTEXT_SMALL',
      message: `runs with ${formatTokens(runtime)} tokens of context (${model.sources.runtimeContextLength ?? 'the server'}); Codex needs at least ${formatTokens(min)}`,
      fix: kind.fixes.moreContext,
    });
  }
  return hints;
}

/**
 * The /v1/models list of an answering server: the report marked up, or, when the JSON holds no
 * list, marked as an error with the shared notes (the caller then returns it).
 */
export function acceptModelList(report: ServerReport, json: unknown, kind: Pick<ServerKind, 'id' | 'displayName' | 'fixes'>): ReturnType<typeof entriesFromOpenAiModels> {
  const parsed = entriesFromOpenAiModels(json, kind.id);
  if (!parsed) {
    report.status = 'error';
    report.reason = '/v1/models answered JSON without a "data" list';
    commonNotes(report, kind);
    return undefined;
  }
  report.status = 'up';
  report.via = 'http';
  return parsed;
}

/** The warning for /v1/models entries that could not be used (nothing when none were skipped). */
export function noteSkipped(report: ServerReport, skipped: number): void {
  if (skipped === 0) return;
  report.notes.push({ level: 'warn', code: 'ENTRIES_SKIPPED', message: `${skipped} /v1/models entr${skipped === 1 ? 'y was' : 'ies were'} skipped (no usable id, or a duplicate)` });
}

/** Notes every kind shares: exposure, Responses support, no models. */
export function commonNotes(report: ServerReport, kind: Pick<ServerKind, 'displayName' | 'fixes'>): void {
  const host = hostOf(report.url);
  if (report.status !== 'down' && host !== undefined && !isLoopbackHost(host)) {
    report.exposed = true;
    report.notes.push({
      level: 'warn',
      code: 'EXPOSED_ADDRESS',
      message: `reached at ${host}, which is not a loopback address: what Codex sends (code, files) crosses the network`,
      fix: 'keep the server on 127.0.0.1 unless it is meant to be shared, and only over a network you trust',
    });
  }
  if (report.status !== 'up') return;
  if (report.responses.state === 'no') {
    report.notes.push({
      level: 'error',
      code: 'NO_RESPONSES_API',
      message: `${kind.displayName} at ${report.url} has no /v1/responses (${report.responses.evidence}); Codex only speaks the Responses API`,
      fix: kind.fixes.noResponses,
    });
  } else if (report.responses.state === 'unknown') {
    report.notes.push({
      level: 'info',
      code: 'RESPONSES_UNKNOWN',
      message: `could not tell whether ${kind.displayName} has /v1/responses (${report.responses.evidence}); a smoke test will show it`,
    });
  }
  if (report.models.length === 0) {
    report.notes.push({ level: 'info', code: 'NO_MODELS', message: `${kind.displayName} answered but lists no models` });
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'host';
}

/**
 * A `[model_providers.X]` of our own: `<kind>` on the default local address, `<kind>-port-N` on
 * another local port, `<kind>-<host>[-N]` elsewhere (the naming plan/provider-target.ts uses).
 */
export function customRoute(kind: Pick<ServerKind, 'id' | 'displayName' | 'defaultPort'>, serverUrl: string): CodexRoute {
  const url = stripV1(serverUrl);
  const ep = endpointOf(url);
  const loopback = ep ? isLoopbackHost(ep.host) : false;
  let id: string;
  if (loopback && ep && ep.port === kind.defaultPort && ep.path === '') id = kind.id;
  else if (loopback) id = `${kind.id}-port-${ep?.port ?? kind.defaultPort ?? 0}`;
  else id = `${kind.id}-${slug(ep?.host ?? url)}${ep && ep.port !== kind.defaultPort ? `-${ep.port}` : ''}`;
  const where = ep ? `${ep.host}:${ep.port}` : url;
  return { kind: 'custom', table: { id, name: `${kind.displayName} on ${where}`, baseUrl: `${url}/v1`, wireApi: 'responses' } };
}

/** Built-in id when Codex's built-in provider already points at the server, else our own table. */
export function builtInOrCustom(
  kind: Pick<ServerKind, 'id' | 'displayName' | 'defaultPort' | 'defaultUrl'>,
  builtIn: 'ollama' | 'lmstudio',
  serverUrl: string,
  builtInUrls: Partial<Record<'ollama' | 'lmstudio', string>>,
): CodexRoute {
  const codexUrl = builtInUrls[builtIn] ?? `http://localhost:${kind.defaultPort}/v1`;
  if (sameEndpoint(codexUrl, serverUrl)) return { kind: 'built-in', id: builtIn, baseUrl: codexUrl };
  const route = customRoute(kind, serverUrl);
  // The kind's own name is a built-in id here: a table may not reuse it.
  if (route.kind === 'custom' && route.table.id === builtIn) route.table.id = `${builtIn}-port-${kind.defaultPort}`;
  return route;
}

export function findIn(report: ServerReport, id: string): ServerModel | undefined {
  return report.models.find((m) => m.id === id);
}

/** Servers that match model ids exactly. */
export function exactModelId(listed: readonly string[], id: string): string | undefined {
  return listed.includes(id) ? id : undefined;
}
