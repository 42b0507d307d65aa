/**
 * The one shape of "a problem and its fix", for every command: discovery hints, audit findings,
 * doctor problems, smoke-test and codex failures, migrate notes, the can-run verdict
 * (src/codex/can-run.ts). Types only, imported by every layer (discover/ included), so it
 * imports nothing. What each fact means (its severity, its words) lives in src/diagnostics.ts.
 */
export type Severity = 'error' | 'warn' | 'info';

/** Where the problem is: a file position, a TOML table or key, or a server URL. */
export interface Place {
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  col?: number;
  /** A TOML table, e.g. `model_providers.ollama` or `profiles.work`. */
  table?: string;
  key?: string;
  url?: string;
}

export interface Diagnostic {
  /** Stable, for scripts (`--json`); listed in docs/checks.md and docs/discovery.md. */
  code: string;
  severity: Severity;
  place?: Place;
  message: string;
  /** What to do about it, when there is something to do. */
  fix?: string;
}
