import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface RunFlags {
  name?: string;
  dryRun: boolean;
  timeout?: string;
  _: (string | number)[];
}

export const runCommand: CommandModule<GlobalArgs, GlobalArgs & RunFlags> = {
  command: 'run [name]',
  describe: 'Start codex with a profile, only after checking it is found, its server answers and its model is installed',
  builder: (y) =>
    (y as Argv<GlobalArgs>)
      .positional('name', { type: 'string', describe: 'Profile (default: the name in a .codex-profile file, from this folder upward)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Run the checks and show the codex command line; do not start codex' })
      .option('timeout', { type: 'string', requiresArg: true, describe: 'Per check request to the server (default 2s)' })
      .example('$0 run gpt-oss-20b', 'Checks, one line saying where prompts go, then the codex TUI')
      .example('$0 run gpt-oss-20b -- exec "fix the failing test"', 'Everything after -- goes to codex')
      .example('$0 run', 'The profile named in .codex-profile (this folder or a parent)')
      .example('$0 run coder --dry-run', 'The checks and the codex command line only')
      .epilogue(
        'Never starts codex when the profile is not where this codex looks (codex would silently run the base config, possibly a hosted model), its server does not answer or its model is not installed. Nothing is sent to check.\n' +
          'Exit codes: codex\'s own once it runs; before that 1 a check failed, 2 usage or config error.',
      ) as unknown as Argv<GlobalArgs & RunFlags>,
  handler: handle<RunFlags>(async (argv, ctx) => {
    const { runRun } = await import('../run/run.js');
    // After `--`, yargs leaves codex's words in argv._ (after the command itself), as typed.
    return runRun(ctx, { name: argv.name, codexArgs: argv._.slice(1).map(String), dryRun: argv.dryRun, timeout: argv.timeout });
  }),
};
