/** The exit code of the command that ran (no imports: src/cli.ts loads this at start). */
let pendingExitCode = 0;

/** Command handlers record their exit code here (commands/shared.ts handle()). */
export function recordExitCode(code: number): void {
  pendingExitCode = code;
}

/** Handlers return their exit code; main() reads it once yargs has finished. */
export function takeExitCode(): number {
  const code = pendingExitCode;
  pendingExitCode = 0;
  return code;
}
