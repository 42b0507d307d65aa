import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { CommandContext, GlobalArgs } from '../context.js';
import { recordExitCode } from '../exit-code.js';

/**
 * Wraps a command body: builds the context and records the exit code. Command files stay thin:
 * they parse flags and `await import()` the module that does the work, so `--help` and other
 * commands never pay for loading it.
 */
export function handle<A>(
  body: (argv: ArgumentsCamelCase<A & GlobalArgs>, ctx: CommandContext) => Promise<number>,
): (argv: ArgumentsCamelCase<A & GlobalArgs>) => Promise<void> {
  return async (argv) => {
    // Loaded here, not at the top: `--help`, `--version` and the parser's start need neither.
    const [{ makeContext }, { recoverIfInterrupted }] = await Promise.all([import('../context.js'), import('../write/recover-start.js')]);
    const ctx = makeContext(argv);
    await recoverIfInterrupted(ctx.opts.codexHome, (m) => ctx.out.warn(m));
    recordExitCode(await body(argv, ctx));
  };
}

export type Builder<A> = (y: Argv<GlobalArgs>) => Argv<A & GlobalArgs>;
