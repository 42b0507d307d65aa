/**
 * What discovery reports about the local model servers. Other modules (profile writer, smoke
 * test, audit) build on these shapes: add optional fields, never rename.
 */
import type { Diagnostic, Severity } from '../diagnostic.js';

/**
 * The kinds of model server we can discover, in the order reports are shown; each has its entry
 * in src/discover/registry.ts (the compiler holds the two together). Plain data, so command
 * modules can offer `--provider` choices without loading discovery.
 */
export const SERVER_KIND_CHOICES = ['ollama', 'lmstudio', 'vllm', 'llamacpp', 'openai-compatible'] as const;
export type ServerKindId = (typeof SERVER_KIND_CHOICES)[number];

/**
 * The server kind a report or model is about. The JSON field stays `provider` (and `kind` is
 * written beside it); it is not a Codex provider id: those live in src/codex/builtins.ts.
 */
export type ProviderId = ServerKindId;

/**
 * A fact about a model or server: the one diagnostic shape (src/diagnostic.ts), with its
 * severity under the name `level` that `models --json` has always printed.
 * Codes (`NO_TOOLS`, `CONTEXT_SMALL`, ...) are listed in docs/discovery.md.
 */
export type Hint = Omit<Diagnostic, 'severity'> & { level: Severity };

export interface ModelCapabilities {
  tools?: boolean;
  vision?: boolean;
  thinking?: boolean;
  embedding?: boolean;
  /** Text generation (Ollama `completion`, LM Studio `llm`); false only for embedding-only models. */
  completion?: boolean;
}

export interface ModelRecord {
  provider: ProviderId;
  /** Same as `provider` (the server kind), for JSON readers that key by kind. */
  kind?: ServerKindId;
  /** Exactly what Codex needs in `model = "..."` (Ollama name, LM Studio model key). */
  id: string;
  displayName: string;
  sizeBytes?: number;
  /** As the provider writes it: `20.9B`, `7B`. */
  parameters?: string;
  quantization?: string;
  /** The model's context length as the provider reports it (its maximum / trained context). */
  contextLength?: number;
  /**
   * The context the server runs (or will run) the model with, when the provider says so: a
   * loaded instance (Ollama /api/ps, LM Studio loaded_instances) or `num_ctx` in the Modelfile.
   * Undefined means the server's default applies (Ollama: 4096 below 24 GiB VRAM).
   */
  runtimeContextLength?: number;
  capabilities: ModelCapabilities;
  /** Loaded in memory right now (undefined: the provider did not say). */
  loaded?: boolean;
  /** Ollama cloud models: prompts are forwarded to this host, not run here. */
  remoteHost?: string;
  /**
   * LM Link (LM Studio): the device that holds the model. `local` false: requests to this
   * machine's server are run on that other device.
   */
  device?: { identifier: string; name?: string; local: boolean };
  /** Where its prompts go (set by src/codex/destination.ts annotateModels, not by discovery). */
  locality?: { locality: 'this-machine' | 'network' | 'cloud'; reason: string; place?: string };
  /** fact -> where it came from, e.g. `contextLength: '/api/show model_info'`. */
  sources: Record<string, string>;
  hints: Hint[];
}

export type ProviderStatus = 'up' | 'down' | 'not-responding' | 'error';

export interface ProviderReport {
  provider: ProviderId;
  /** Same as `provider` (the server kind). */
  kind?: ServerKindId;
  /** Whether the server has POST /v1/responses, found out without a prompt (new server kinds). */
  responses?: { state: 'yes' | 'no' | 'unknown'; evidence: string };
  /** Base URL without `/v1` (a profile's `base_url` is this plus `/v1`). */
  url: string;
  status: ProviderStatus;
  /** One line: why it is not `up`. */
  reason?: string;
  version?: string;
  /** Prompts can reach it from other hosts (non-loopback address, or a bind-all OLLAMA_HOST). */
  exposed: boolean;
  /** Where the model list came from. */
  via: 'http' | 'cli' | 'none';
  models: ModelRecord[];
  notes: Hint[];
}

export interface CodexOssReport {
  /** `CODEX_OSS_BASE_URL` as set (undefined when unset or blank). */
  baseUrl?: string;
  /** `CODEX_OSS_PORT` as set (undefined when unset or blank). */
  port?: string;
  /** Base URL (with `/v1`) each built-in provider id uses in Codex with this environment. */
  effective: Record<'ollama' | 'lmstudio', string>;
  notes: Hint[];
}

export interface DiscoveryResult {
  providers: ProviderReport[];
  codexOss: CodexOssReport;
}

/** How discovery may probe a server (every kind takes these). */
export interface ProbeOptions {
  timeoutMs: number;
  cliTimeoutMs: number;
  env: NodeJS.ProcessEnv;
  /** Allow the `ollama` / `lms` fallbacks (default true). */
  useCli: boolean;
  platform?: NodeJS.Platform;
  /** Cancels the HTTP requests (they end as timeouts); the CLI fallbacks are not affected. */
  signal?: AbortSignal;
  /** See DiscoverOptions.detailsFor. */
  detailsFor?: readonly string[];
}
