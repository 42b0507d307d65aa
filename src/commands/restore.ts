import type { CommandModule } from 'yargs';
import { withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface RestoreArgs {
  id?: string;
  list: boolean;
}

export const restoreCommand: CommandModule<GlobalArgs, GlobalArgs & RestoreArgs> = {
  command: 'restore [id]',
  describe: 'Put config files back as they were before an earlier codex-profiles run',
  builder: (y) =>
    withWriteOptions(y)
      .positional('id', { type: 'string', describe: 'Backup id (default: the newest)' })
      .option('list', { type: 'boolean', default: false, describe: 'List the backups instead' })
      .example('$0 restore --list', 'Show the backups, newest first')
      .example('$0 restore --dry-run', 'Show what restoring the newest backup would change')
      .example('$0 restore 2026-11-20T10-00-00-000Z-123-1 --yes', 'Restore that backup without asking'),
  handler: handle<RestoreArgs>(async (argv, ctx) => {
    const { runRestore } = await import('../run/restore.js');
    return runRestore(ctx, { id: argv.id, list: argv.list });
  }),
};
