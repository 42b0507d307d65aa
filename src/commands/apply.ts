import type { Argv, CommandModule } from 'yargs';
import { DURATION_HELP } from '../duration.js';
import { withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface ApplyFlags {
  file: string;
  check: boolean;
  prune: boolean;
  timeout?: string;
}

export const applyCommand: CommandModule<GlobalArgs, GlobalArgs & ApplyFlags> = {
  command: 'apply <file>',
  describe: 'Make this home match a fleet file (idempotent); --check reports drift and changes nothing',
  builder: (y) =>
    withWriteOptions(y)
      .positional('file', { type: 'string', demandOption: true, describe: 'The fleet file (`codex-profiles export` writes one; docs/fleet.md)' })
      .option('check', { type: 'boolean', default: false, describe: 'Change nothing; exit 1 and list each difference when the home differs' })
      .option('prune', { type: 'boolean', default: false, describe: 'Also remove profiles an earlier apply wrote that the file no longer lists (never others)' })
      .option('timeout', { type: 'string', requiresArg: true, describe: `Give up on a server that does not answer within this (${DURATION_HELP}; default 1s)` })
      .example('$0 apply profiles.toml', 'Show the diff, ask, write (nothing when already in sync)')
      .example('$0 apply profiles.toml --yes --json', 'Unattended; `changed: true|false` for configuration management')
      .example('$0 apply profiles.toml --check', 'Drift check: exit 1 and the differences when the home differs')
      .example('$0 apply profiles.toml --prune --yes', 'Also remove profiles dropped from the file')
      .epilogue(
        'Writes the layout the installed codex reads (NAME.config.toml or [profiles.NAME]) through the same plan, lock, backup and verified write as `add`. Missing models are reported, never downloaded.\n' +
          'Exit codes: 0 applied or already in sync, 1 --check found differences, 2 usage or config error (invalid file, no terminal to confirm without --yes).',
      ) as unknown as Argv<GlobalArgs & ApplyFlags>,
  handler: handle<ApplyFlags>(async (argv, ctx) => {
    const { runApply } = await import('../run/apply.js');
    return runApply(ctx, { file: argv.file, check: argv.check, prune: argv.prune, timeout: argv.timeout });
  }),
};
