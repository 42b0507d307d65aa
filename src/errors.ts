/**
 * Exit codes follow the guide: 0 ok, 1 a check failed, 2 usage or config error.
 * Throwing one of these from a command ends the run with its code and a one-line message,
 * never a stack trace.
 */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    /** Extra lines shown under the message: what to do about it. */
    readonly hint?: string,
    /** A stable name for scripts (`--json`: error.code). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags, or a question left to ask when no one can answer it. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT_USAGE, hint);
    this.name = 'UsageError';
  }
}

/** A config file we will not touch (invalid TOML, a shape we cannot edit safely, a lock held). */
export class ConfigError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT_USAGE, hint);
    this.name = 'ConfigError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
