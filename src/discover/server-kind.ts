/**
 * The provider registry's types: one `ServerKind` per kind of model server we can discover
 * (src/discover/kinds/*.ts), collected in one map (src/discover/registry.ts).
 *
 * Two ideas that src/discover/types.ts still keeps as one (`ProviderId`) are separate here:
 * - `ServerKindId`: a kind of server we can find and ask for models (Ollama, vLLM, ...);
 * - what Codex needs to reach it (`CodexRoute`): one of Codex's built-in provider ids, or a
 *   `[model_providers.X]` table of our own. Several server kinds have no built-in id at all.
 *
 * Layering: this folder knows the *names* Codex uses (plain data below) but imports nothing from
 * src/codex, src/checks, src/plan, src/route or src/commands; rendering TOML stays outside.
 */
import type { ProbeOptions } from './types.js';
import type { Hint, ModelRecord, ProviderReport, ServerKindId } from './types.js';

export type { ServerKindId } from './types.js';

/**
 * The built-in Codex ids a server kind can be reached through (names only; the list of ids and
 * their rules are src/codex/builtins.ts, which this folder may not import).
 */
export type CodexBuiltInId = 'ollama' | 'lmstudio';

/** A `[model_providers.<id>]` table, as data (`wire_api = "responses"` is the only value left). */
export interface CustomProviderTable {
  /** The table key and the profile's `model_provider`; never a reserved id (src/codex/builtins.ts). */
  id: string;
  name: string;
  /** With `/v1`. */
  baseUrl: string;
  wireApi: 'responses';
  /** Environment variable Codex reads the bearer token from (`env_key`), when the server wants one. */
  envKey?: string;
}

/** How a profile reaches a server: a built-in id Codex already points there, or a table of its own. */
export type CodexRoute =
  | { kind: 'built-in'; id: Extract<CodexBuiltInId, 'ollama' | 'lmstudio'>; baseUrl: string }
  | { kind: 'custom'; table: CustomProviderTable };

/** Where we look for a server, and why there. */
export interface ServerTarget {
  kind: ServerKindId;
  /** Base URL, no `/v1`. */
  url: string;
  /** `--url`, `--ollama-url`, an environment variable's name, `lms server status` or `default`. */
  source: string;
  /** The value cannot be used; discovery reports `error` without sending anything. */
  invalid?: string;
  /** Notes about the target itself (e.g. a bind-all host), reported with the server. */
  notes: Hint[];
  /** Prompts can reach the server from other hosts whatever it answers (bind-all address). */
  exposedByConfig?: boolean;
}

/** Whether the server has `POST /v1/responses`, found out without sending a prompt. */
export interface ResponsesSupport {
  state: 'yes' | 'no' | 'unknown';
  /** What it was decided from, e.g. `GET /v1/responses/resp_... -> 404 NotFoundError`. */
  evidence: string;
}

/** A model as a `ServerKind` reports it: `ModelRecord` with the server kind instead of `provider`. */
export interface ServerModel extends Omit<ModelRecord, 'provider'> {
  kind: ServerKindId;
}

/** One server's discovery report: `ProviderReport` keyed by server kind, plus Responses support. */
export interface ServerReport extends Omit<ProviderReport, 'provider' | 'models'> {
  kind: ServerKindId;
  models: ServerModel[];
  responses: ResponsesSupport;
  /** Where the URL came from (ServerTarget.source). */
  source: string;
}

/** An environment variable a server kind reads, and what for. */
export interface EnvVar {
  name: string;
  use: 'locate' | 'auth' | 'context';
  /** One line for docs and `--help`. */
  description: string;
}

/** Copy-paste fixes shown in hints; one place per server kind. */
export interface KindFixes {
  install: string;
  start: string;
  /** What to do when the server has no `/v1/responses`. */
  noResponses: string;
  /** How to give a model more context on this server. */
  moreContext: string;
  /** How to make tool calls work (or what to check). */
  tools: string;
}

export interface KindDiscoverOptions extends ProbeOptions {
  /** The user's URL flag for this kind (e.g. `--url`), when given. */
  flagUrl?: string;
  /**
   * Name of an environment variable holding a bearer token for a server that has no token
   * variable of its own (openai-compatible). Never a hosted key by default.
   */
  apiKeyEnv?: string;
}

export interface ServerKind {
  id: ServerKindId;
  displayName: string;
  /** Port the server listens on by default (undefined: there is none, the user names the URL). */
  defaultPort?: number;
  /** `http://127.0.0.1:<port>` (undefined when there is no default). */
  defaultUrl?: string;
  /** The URL flag of `codex-profiles models` for this kind. */
  urlFlag: string;
  env: readonly EnvVar[];
  /** Probed when the user names no server kind (false: only with an explicit URL). */
  probeByDefault: boolean;
  /**
   * Listed by `models` even when nothing answers (Ollama, LM Studio: most users have one). A kind
   * without it is listed when it answers, or when the user names it or its URL.
   */
  reportWhenDown: boolean;
  /** Context a coding agent needs on this server (hints warn below it). */
  minContext: number;
  /** Codex's built-in provider id for this server's default address, when Codex has one. */
  codexBuiltIn?: Extract<CodexBuiltInId, 'ollama' | 'lmstudio'>;
  /** A CLI we may run when the server refuses (read-only listing), when the kind has one. */
  cli?: { command: string; listArgs: readonly string[]; sideEffects: string };
  fixes: KindFixes;
  /** Flag, else environment, else default. Throws UsageError for an unusable flag. */
  resolveTarget(flagUrl: string | undefined, env: NodeJS.ProcessEnv): ServerTarget;
  /** Read-only: GET requests (and the documented non-generating probes), never a prompt. */
  discover(opts: KindDiscoverOptions): Promise<ServerReport>;
  /** The record for `id` exactly as the server names it (what `model = "..."` must say). */
  findModel(report: ServerReport, id: string): ServerModel | undefined;
  /**
   * Which listed id the server would run for `id`, resolved as the server resolves names (an
   * exact match wins; Ollama adds `:latest`, LM Studio ignores case). Undefined: not listed.
   */
  resolveModelId(listed: readonly string[], id: string): string | undefined;
  /** The command that gets a missing model onto this server (shown, never run). */
  getModel(model: string): string;
  /**
   * What a profile needs to reach the server at `serverUrl` (no /v1). `builtInUrls` are where
   * Codex's built-in ids point in this environment (with /v1; computed by the caller, who knows
   * Codex's CODEX_OSS_* rules).
   */
  codexRoute(serverUrl: string, builtInUrls: Partial<Record<'ollama' | 'lmstudio', string>>): CodexRoute;
}
