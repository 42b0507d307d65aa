/**
 * Exit codes follow the guide: 0 ok, 1 a check failed, 2 usage or config error.
 * Throwing one of these from a command ends the run with its code and a one-line message,
 * never a stack trace.
 */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * Stable names for scripts: `--json` prints `{ ok: false, error: { code, message, hint, exitCode } }`.
 * Messages may be reworded; a code, once shipped, keeps its meaning (docs/errors.md lists them).
 */
export const ERROR_CODES = [
  /** Bad flags or arguments, or a question left to ask when no one can answer it. */
  'USAGE',
  /** A Codex file is not valid TOML (codex will not start with it either). */
  'CONFIG_PARSE',
  /** A config shape codex-profiles will not edit safely (dotted keys, split tables, arrays of tables). */
  'CONFIG_SHAPE',
  /** An edit refused because its result would not be valid TOML or would change more than asked. */
  'EDIT_REFUSED',
  /** A file changed on disk while codex-profiles was planning a write. */
  'CONFIG_CHANGED',
  /** Another codex-profiles run holds the write lock. */
  'LOCKED',
  /** The disk (or quota) is full. */
  'DISK_FULL',
  /** A write failed for another reason; files were put back (or will be at the next run). */
  'WRITE_FAILED',
  /** A path is a folder, device, FIFO or broken link where a regular file is needed. */
  'NOT_A_FILE',
  'BACKUP_NOT_FOUND',
  'BACKUP_INVALID',
  'PROFILE_EXISTS',
  'PROFILE_NOT_FOUND',
  /** `migrate`: a profile exists in both layouts with different settings. */
  'PROFILE_CONFLICT',
  /** The profiles exist but this Codex cannot run them as asked (legacy tables, selector, era). */
  'PROFILE_NOT_RUNNABLE',
  /** The written layout would not be read by this Codex, or its layout could not be told. */
  'LAYOUT_MISMATCH',
  'CODEX_NOT_FOUND',
  /** A prompt would go to a hosted model without consent (or a local-only prompt to a hosted one). */
  'HOSTED_NOT_ALLOWED',
  /** A server a command needs does not answer. */
  'PROVIDER_DOWN',
  'MODEL_NOT_FOUND',
  /** The model cannot back a Codex profile (no tool support, embedding-only). */
  'MODEL_UNSUITABLE',
  /** Not a CliError: a bug or an unexpected failure. */
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    /** Extra lines shown under the message: what to do about it. */
    readonly hint?: string,
    /** A stable name for scripts (`--json`: error.code). */
    readonly code: ErrorCode = exitCode === EXIT_USAGE ? 'USAGE' : 'INTERNAL',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags, or a question left to ask when no one can answer it. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string, code: ErrorCode = 'USAGE') {
    super(message, EXIT_USAGE, hint, code);
    this.name = 'UsageError';
  }
}

/** A config file we will not touch (invalid TOML, a shape we cannot edit safely, a lock held). */
export class ConfigError extends CliError {
  constructor(message: string, hint?: string, code: ErrorCode = 'CONFIG_SHAPE') {
    super(message, EXIT_USAGE, hint, code);
    this.name = 'ConfigError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
