import type { Argv, ArgumentsCamelCase } from 'yargs';
import { recoverIfInterrupted } from '../config/journal.js';
import { resolveCodexHome, type GlobalOptions } from '../context.js';
import { Output } from '../ui/output.js';

/** Raw global flags as yargs parses them (see cli.ts). */
export interface GlobalArgs {
  codexHome?: string;
  codexBin?: string;
  json: boolean;
  /** Only on commands that write or ask (withWriteOptions). */
  dryRun?: boolean;
  yes?: boolean;
  color: boolean;
}

export interface CommandContext {
  opts: GlobalOptions;
  out: Output;
  env: NodeJS.ProcessEnv;
}

export function makeContext(argv: GlobalArgs, env: NodeJS.ProcessEnv = process.env): CommandContext {
  const opts: GlobalOptions = {
    codexHome: resolveCodexHome(argv.codexHome, env),
    codexBin: argv.codexBin,
    json: Boolean(argv.json),
    dryRun: Boolean(argv.dryRun),
    yes: Boolean(argv.yes),
    color: argv.color !== false,
  };
  return { opts, out: new Output(opts.json), env };
}

let pendingExitCode = 0;

/** Handlers return their exit code; main() reads it once yargs has finished. */
export function takeExitCode(): number {
  const code = pendingExitCode;
  pendingExitCode = 0;
  return code;
}

/**
 * Wraps a command body: builds the context and records the exit code. Command files stay thin:
 * they parse flags and `await import()` the module that does the work, so `--help` and other
 * commands never pay for loading it.
 */
export function handle<A>(
  body: (argv: ArgumentsCamelCase<A & GlobalArgs>, ctx: CommandContext) => Promise<number>,
): (argv: ArgumentsCamelCase<A & GlobalArgs>) => Promise<void> {
  return async (argv) => {
    const ctx = makeContext(argv);
    await recoverIfInterrupted(ctx.opts.codexHome, (m) => ctx.out.warn(m));
    pendingExitCode = await body(argv, ctx);
  };
}

export type Builder<A> = (y: Argv<GlobalArgs>) => Argv<A & GlobalArgs>;
