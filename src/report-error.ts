import chalk from 'chalk';
import { CliError, EXIT_USAGE, errorMessage } from './errors.js';
import { terminalSafe } from './ui/terminal-text.js';

function wantsJson(args: string[]): boolean {
  return args.includes('--json');
}

/**
 * A failed command: one JSON document on stdout with --json, else `error:` and the hint on
 * stderr. Returns the exit code.
 */
export function reportError(err: unknown, args: string[]): number {
  const code = err instanceof CliError ? err.exitCode : EXIT_USAGE;
  const message = errorMessage(err);
  const hint = err instanceof CliError ? err.hint : undefined;
  if (wantsJson(args)) {
    // Every error has a code in JSON, so scripts never parse messages; INTERNAL: not one of ours.
    const name = err instanceof CliError ? err.code : 'INTERNAL';
    process.stdout.write(JSON.stringify({ ok: false, error: { code: name, message, hint: hint ?? null, exitCode: code } }, null, 2) + '\n');
  } else {
    // Messages quote names and values from files and servers.
    process.stderr.write(`${chalk.red('error:')} ${terminalSafe(message)}\n`);
    if (hint) process.stderr.write(`${terminalSafe(hint)}\n`);
  }
  return code;
}
