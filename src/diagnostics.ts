/**
 * The one place that says what a fact about Codex, a provider or a model means: its code, its
 * severity, its message and its fix. `models`, `setup`, `add`, `test`, `audit` and `doctor` all
 * read these, so the same fact never gets two verdicts (issue 11: a tool-less model was a warning
 * in setup, an error in audit and a pass in test).
 *
 * Model facts are produced by `judgeModel` (src/discover/hints.ts) with the severity below;
 * provider and Codex facts by the builders here.
 */
import type { Diagnostic, Severity } from './diagnostic.js';
import type { HomeState } from './config/profiles.js';
import { CliError, EXIT_USAGE } from './errors.js';

export type { Diagnostic, Place, Severity } from './diagnostic.js';
/**
 * Severity of each fact, everywhere. Why each one:
 * - NO_TOOLS: Codex acts only through tool calls; a model without them cannot drive it (Ollama
 *   refuses the request outright; LM Studio stalls or answers without acting).
 * - context: Codex runs, but loses track of the task; degraded, not broken.
 * - PROVIDER_DOWN (for a provider a profile uses) and CODEX_MISSING: nothing can run.
 */
export const FACT_SEVERITY = {
  NO_TOOLS: 'error',
  MODEL_CONTEXT_SMALL: 'warn',
  CONTEXT_SMALL: 'warn',
  CONTEXT_DEFAULT: 'warn',
  PROVIDER_DOWN: 'error',
  CODEX_MISSING: 'error',
} as const satisfies Record<string, Severity>;

export const CODEX_INSTALL_FIX = 'Install it (npm install -g @openai/codex), or pass --codex-bin /path/to/codex.';

/**
 * Why codex is missing, for a command that needs to run it: detection's note without its fix
 * (printed on a line of its own) and without the layout it assumed (which matters to writers
 * only).
 */
export function codexMissingReason(detail?: string): string {
  const reason = (detail ?? '')
    .replace(CODEX_INSTALL_FIX, '')
    .replace(/[;.] assuming the newest profile layout \(NAME\.config\.toml\)\./i, '.')
    .trim();
  return reason || 'codex was not found.';
}

export function codexMissing(detail?: string): Diagnostic {
  // Detection's note ends with the same advice for the places that print no fix line; here the
  // fix has its own line, so the message stops before it.
  const message = detail?.endsWith(CODEX_INSTALL_FIX) ? detail.slice(0, -CODEX_INSTALL_FIX.length).trim() : detail;
  return { code: 'CODEX_MISSING', severity: FACT_SEVERITY.CODEX_MISSING, message: message || 'codex was not found.', fix: CODEX_INSTALL_FIX };
}


/** `down`, `not responding`, `error`: a provider status for people (the JSON keeps the id). */
export function statusWords(status: string): string {
  return status.replace(/-/g, ' ');
}

/** `1 file`, `2 files`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Durations for people, one format everywhere: `0.3 s`, `7.1 s`, `2 min 5 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Commands that write refuse while config.toml is not valid TOML: codex will not start with it,
 * so a profile written beside it would not run either (issue 11: `add` wrote one and exited 0).
 * Exit 2, file:line:col. Other invalid files do not stop codex for other profiles, and a file
 * being edited is refused by the editor itself.
 */
export function refuseInvalidConfig(state: Pick<HomeState, 'errors' | 'configPath'>): void {
  const bad = state.errors.filter((e) => e.file === state.configPath);
  if (bad.length === 0) return;
  throw new CliError(
    bad.map((e) => e.message).join('\n'),
    EXIT_USAGE,
    'Codex will not start with this config.toml, so nothing was written. Fix the file at that line (or `codex-profiles restore` a backup) and run again.',
    'CONFIG_PARSE',
  );
}
