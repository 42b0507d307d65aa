import type { Argv, ArgumentsCamelCase } from 'yargs';
import { recoverIfInterrupted } from '../write/recover-start.js';
import { makeContext, recordExitCode, type CommandContext, type GlobalArgs } from '../context.js';

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
    recordExitCode(await body(argv, ctx));
  };
}

export type Builder<A> = (y: Argv<GlobalArgs>) => Argv<A & GlobalArgs>;
