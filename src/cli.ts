import fs from 'node:fs';
import yargs from 'yargs';
import { commands } from './commands/index.js';
import type { GlobalArgs } from './context.js';
import { UsageError } from './errors.js';
import { takeExitCode } from './exit-code.js';
import { VERSION } from './version.js';

/** Help is wrapped at the terminal's width, at most 110 columns; 100 when stdout is not a terminal. */
export function helpWidth(columns: number | undefined = terminalColumns()): number {
  return Math.min(110, columns || 100);
}

/**
 * The width of the terminal stdout is, if it is one. Asking process.stdout makes the stream
 * (~2 ms, issue 16), and help piped into a pager or a file has no width to ask for: a pipe or a
 * file is told apart by its descriptor first (a terminal is a character device).
 */
function terminalColumns(): number | undefined {
  try {
    if (!fs.fstatSync(1).isCharacterDevice()) return undefined;
  } catch {
    return undefined;
  }
  return process.stdout.columns;
}

const HELP_HINT = "Run 'codex-profiles --help' for usage.";

/** A usage mistake yargs found: say what and point at --help, like every yargs CLI. */
function usageMistake(message: string, args: readonly string[]): UsageError {
  return new UsageError(message.startsWith('Did you mean') ? `unknown command "${args[0]}". ${message}` : message, HELP_HINT);
}

/**
 * `width`: a number, or a function yargs calls when it lays help out (the build lets yargs take
 * one, scripts/build.mjs): the terminal's width needs process.stdout, which a command that prints
 * no help should not make before its work (issue 16).
 */
export function buildParser(args: string[], width: number | (() => number) = () => helpWidth()) {
  let parser = yargs(args)
    .scriptName('codex-profiles')
    .usage('$0 <command> [options]\n\nSet up and audit OpenAI Codex CLI profiles for local models (Ollama, LM Studio).')
    .option('codex-home', {
      type: 'string',
      describe: 'Codex home folder (default: $CODEX_HOME, else ~/.codex)',
      global: true,
    })
    .option('codex-bin', { type: 'string', describe: 'codex executable to use (default: codex on PATH)', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout', global: true })
    .option('color', { type: 'boolean', default: true, describe: 'Colour output (--no-color or NO_COLOR turns it off)', global: true })
    // Colour (chalk) is loaded for a command that runs, not for the parser's start or --help.
    .middleware(async (argv) => (await import('./ui/output.js')).configureColor((argv as unknown as GlobalArgs).color !== false))
    .demandCommand(1, 'Name a command; see the list above.')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .alias('v', 'version')
    .epilogue('Exit codes: 0 ok, 1 a check failed, 2 usage or config error, 130 interrupted (Ctrl-C).\nDocs: README.md and docs/*.md in the codex-profiles folder (your clone; also shipped in the package).')
    .wrap(width as number)
    // yargs' own mistakes (unknown flag or command, missing argument) become UsageErrors, so
    // they read like every other error and carry code USAGE in --json; errors thrown by a
    // command's handler pass through unchanged.
    .fail((msg, err) => {
      if (err) throw err;
      throw usageMistake(msg, args);
    });
  // yargs builds every registered command up front (about 4 ms for 16 at each start, node
  // --cpu-prof): when the first argument names a command, only that one is registered, which is
  // all yargs would use. Anything else (the top-level help, a typo to recommend for) gets them all.
  const named = commands.filter((c) => [String(c.command).split(' ')[0], ...[c.aliases ?? []].flat()].includes(args[0]));
  for (const command of named.length > 0 ? named : commands) parser = parser.command(command);
  return parser.completion('completion', 'Print a shell completion script (bash/zsh)');
}

/** Reports an error as every command does (loaded only when there is one). */
async function report(err: unknown, args: string[]): Promise<number> {
  const [{ configureColor }, { reportError }] = await Promise.all([import('./ui/output.js'), import('./report-error.js')]);
  configureColor(!args.includes('--no-color'));
  return reportError(err, args);
}

export async function main(args: string[]): Promise<number> {
  if (args.length === 0) {
    // "Name a command; see the list above." needs the list above it: the normal help, on stderr.
    process.stderr.write((await buildParser(['--help']).getHelp()) + '\n\n');
  }
  try {
    await buildParser(args).parseAsync();
    return takeExitCode();
  } catch (err) {
    // A YError that reached here without the fail handler is a usage mistake all the same.
    if (err instanceof Error && err.name === 'YError') return report(usageMistake(err.message, args), args);
    return report(err, args);
  }
}
