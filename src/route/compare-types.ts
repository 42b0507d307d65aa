/**
 * compare's shapes: options, seams, failures, the planned runs and the report. Shared by the
 * pre-flight, the policy, the judge and the rendering without an import cycle.
 */
import type { detectCodex, CodexInfo } from '../codex/detect.js';
import type { ExecOptions, ExecResult, FailureCode } from '../codex/exec.js';
import type { Profile } from '../config/profiles.js';
import type { AnswerSummary } from './answer-summary.js';
import type { Classification } from './classify.js';
import type { AdhocTarget } from './compare-adhoc.js';
import type { LocalCheck } from './compare-adhoc-guard.js';
import type { ProviderJudgement } from './hosted.js';

export const DEFAULT_TIMEOUT_SECONDS = 120;

export interface CompareOptions {
  /** The prompt given on the command line (words joined with spaces). */
  prompt?: string;
  /** A file to read the prompt from, `-` for stdin. */
  file?: string;
  /** `--profiles A,B`: may be given several times; each value may hold commas. */
  profiles: string[];
  /** `--local KIND:MODEL` (issue 18): `codex exec --oss --local-provider KIND -m MODEL`, no profile. */
  local?: string[];
  /** `--hosted MODEL` (issue 18): `codex exec -m MODEL`, no profile. */
  hosted?: string[];
  /** `--out DIR`: where to save the answers (default: a new temporary folder). */
  out?: string;
  /** Per run, in seconds. */
  timeoutSeconds: number;
  allowHosted: boolean;
  redact: boolean;
}

/** Seams for unit tests; the command uses the real ones. */
export interface CompareDeps {
  exec?: (opts: ExecOptions) => Promise<ExecResult>;
  detect?: typeof detectCodex;
  /** Progress lines (default: stderr, only when it is a terminal). */
  progress?: (line: string) => void;
  /** Asks a person about a hosted profile (default: a prompt on a terminal, never with --json). */
  ask?: (message: string) => Promise<boolean>;
}

export type CompareFailureCode = FailureCode | 'provider_mismatch' | 'model_mismatch' | 'provider_unverified' | 'HOSTED_NOT_ALLOWED' | 'interrupted';

export interface CompareFailure {
  code: CompareFailureCode;
  message: string;
  fix?: string;
}

/** One profile, resolved and judged, before it runs. */
export interface PlannedRun {
  profile: string;
  layout: Profile['layout'];
  /** Where the profile is written (file, or config.toml for a table). */
  path: string;
  judgement: ProviderJudgement;
  /** What this profile is sent: the prompt, or its redacted copy (hosted profiles with --redact). */
  prompt: string;
  promptSent: 'original' | 'redacted';
  /** Set for `--local` / `--hosted` targets: run without a profile (src/route/compare-adhoc.ts). */
  adhoc?: AdhocTarget;
}

/** What a run is: a saved profile, or a target written on the command line. */
export interface RunTarget {
  type: 'profile' | 'local' | 'hosted';
  /** `--profiles NAME`, `--local ollama:MODEL`, `--hosted MODEL`. */
  spec: string;
  /** `--local`: the `--local-provider` id. */
  localProvider?: string;
}

export interface RunReport {
  profile: string;
  layout: Profile['layout'];
  path: string;
  provider: string;
  model: string | null;
  hosted: boolean;
  hostedReason: string;
  promptSent: 'original' | 'redacted';
  /** `not-run`: a hosted profile without consent, or Ctrl-C before it started. */
  status: 'ok' | 'failed' | 'not-run';
  durationMs: number;
  exitCode: number | null;
  timedOut: boolean;
  reportedProvider: string | null;
  reportedModel: string | null;
  /** The final answer (also for a failed run, when codex wrote one). */
  answer: string | null;
  /** The saved `NAME.md` (answered runs only). */
  file: string | null;
  failure: CompareFailure | null;
  target?: RunTarget;
  /** The answer's first lines, like `head -n 2` (empty without an answer). */
  preview?: string[];
}

export interface DiffReport {
  from: string;
  to: string;
  identical: boolean;
  /** A unified diff of `FROM.md` -> `TO.md` ('' when identical). */
  patch: string;
}

export interface CompareReport {
  ok: boolean;
  /** Ctrl-C stopped the comparison (exit 130). */
  interrupted?: boolean;
  codexHome: string;
  codex: { bin: string | null; version: string | null; layout: CodexInfo['layout'] };
  prompt: {
    text: string;
    source: string;
    verdict: Classification['verdict'];
    reasons: string[];
    findings: Classification['findings'];
    /** What hosted profiles were sent with --redact (null: nobody got a redacted copy). */
    redacted: string | null;
  };
  outDir: string;
  runs: RunReport[];
  diffs: DiffReport[];
  /** Per diff, what each answer says that the other does not (src/route/answer-summary.ts). */
  summaries?: AnswerSummary[];
  /** The `--local` models, looked up before anything ran (the no-download guard). */
  localChecks?: LocalCheck[];
}

