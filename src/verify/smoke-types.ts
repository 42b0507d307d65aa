/**
 * The smoke test's result and option types, shared by its pre-flight (smoke-preflight.ts), its
 * verdict (smoke-explain.ts) and its runner (smoke.ts) without an import cycle.
 */
import type { CodexInfo } from '../codex/detect.js';
import type { ExecOptions, ExecResult } from '../codex/exec.js';
import type { HomeState } from '../config/profiles.js';
import type { ProbeCache, ProbeFn } from './probe.js';
import type { ToolCallResult } from './tool-call.js';

export const SMOKE_PROMPT = 'Reply with exactly OK';
export const EXPECTED_ANSWER = 'OK';

/**
 * - `pass`: codex answered exactly OK through the profile's provider and model;
 * - `fail`: codex ran and something was wrong (answer, target, error, timeout);
 * - `skipped`: a pre-check failed, codex was not started (counts as a failure);
 * - `not-run`: deliberately not run (a hosted profile without `--include-hosted`).
 */
export type SmokeStatus = 'pass' | 'fail' | 'skipped' | 'not-run';

export interface SmokeResult {
  name: string;
  layout?: 'file' | 'table';
  /** The file the profile lives in, and the line of `[profiles.NAME]` for tables. */
  path?: string;
  line?: number;
  /** How codex selects it: `-p` or `--profile-v2`. */
  selectWith?: string;
  provider?: string;
  /** The base URL codex calls (with /v1). */
  providerUrl?: string;
  model?: string;
  hosted: boolean;
  status: SmokeStatus;
  /** Why it did not pass (a FailureCode of src/codex/failures.ts, or one of ours). */
  code?: string;
  message?: string;
  fix?: string;
  /** The final message codex wrote, as written. */
  answer?: string;
  reportedProvider?: string;
  reportedModel?: string;
  durationMs?: number;
  timedOut?: boolean;
  exitCode?: number | null;
  /** The arguments given to codex. */
  args?: string[];
  /** Things that did not stop the run but may explain a failure (no tools, small context, ...). */
  warnings: string[];
  /** The queue it ran in (one per server). */
  queue?: string;
  /** The tool-call check (`tools`), when asked for; the fields above are the OK check's. */
  toolCall?: ToolCallResult;
}

export interface SmokeSummary {
  pass: number;
  fail: number;
  skipped: number;
  notRun: number;
}

export interface SmokeReport {
  ok: boolean;
  /** Ctrl-C stopped the test (exit 130). */
  interrupted?: boolean;
  results: SmokeResult[];
  summary: SmokeSummary;
  durationMs: number;
}

export interface SmokeProgress {
  start(result: SmokeResult): void;
  end(result: SmokeResult): void;
}

export interface SmokeOptions {
  state: HomeState;
  codex: CodexInfo;
  env: NodeJS.ProcessEnv;
  /** Profiles to test, in this order; ignored with `all`. */
  names?: string[];
  all?: boolean;
  includeHosted?: boolean;
  timeoutMs?: number;
  prompt?: string;
  progress?: SmokeProgress;
  /** Per HTTP request of the pre-check probes (default 2000). */
  probeTimeoutMs?: number;
  /** Probes already started (`createProbes`, `startEarlyProbes`); default: a new cache. */
  probes?: ProbeCache;
  /** Hosted profiles a person agreed to send the prompt to (without `includeHosted`). */
  hostedAllowed?: ReadonlySet<string>;
  /** Ctrl-C: runs in flight are stopped, the rest not started; their results say `interrupted`. */
  signal?: AbortSignal;
  /** Also run the tool-call check (src/verify/tool-call.ts) after a passing OK check, in the same queue. */
  tools?: boolean;
}

/** Seams for unit tests: the codex runner and the server probe. */
export interface SmokeDeps {
  exec?: (opts: ExecOptions) => Promise<ExecResult>;
  probe?: ProbeFn;
  now?: () => number;
}
