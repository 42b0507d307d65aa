import type { CommandModule } from 'yargs';
import { withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import type { RemoveArgs } from '../run/remove.js';
import { handle } from './shared.js';

export const removeCommand: CommandModule<GlobalArgs, GlobalArgs & RemoveArgs> = {
  command: 'remove [names..]',
  aliases: ['rm'],
  describe: 'Remove profiles (their file, or their [profiles.NAME] table with its comments)',
  builder: (y) =>
    withWriteOptions(y)
      .positional('names', { type: 'string', array: true, describe: 'Profile names' })
      // A name on disk that starts with `-` reads as flags: `--name=-rf` or `remove -- -rf`.
      .option('name', { type: 'string', array: true, requiresArg: true, describe: 'A profile name, also one that starts with - (--name=-rf)' })
      .example('$0 remove -- -rf', 'Remove a profile whose name starts with - (or: --name=-rf)')
      .example('$0 remove gpt-oss-20b', 'Remove one profile (asks first on a terminal)')
      .example('$0 remove old-a old-b --yes', 'Remove two without asking')
      .example('$0 remove gpt-oss-20b --dry-run', 'Show the diff only'),
  handler: handle<RemoveArgs>(async (argv, ctx) => {
    const { runRemove } = await import('../run/remove.js');
    return runRemove(ctx, argv);
  }),
};
