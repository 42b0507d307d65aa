import type { CommandModule } from 'yargs';
import { withWriteOptions } from './discovery-options.js';
import { UsageError } from '../errors.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface RemoveArgs {
  names?: string[];
  name?: string[];
  _: (string | number)[];
}

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
    const [{ loadHome }, { planRemoveProfile }, { emptyPlan }, { showAndApply }, { refuseInvalidConfig }] = await Promise.all([
      import('../config/profiles.js'),
      import('../config/profile-writer.js'),
      import('../config/plan.js'),
      import('../ui/confirm.js'),
      import('../diagnostics.js'),
    ]);
    // After `--`, yargs leaves the words in argv._ (after the command itself).
    const names = [...new Set([...(argv.names ?? []), ...(argv.name ?? []), ...argv._.slice(1)].map(String))];
    if (names.length === 0) throw new UsageError('remove: name at least one profile.', 'e.g. codex-profiles remove gpt-oss-20b (a name starting with -: remove -- -rf).');
    const state = await loadHome(ctx.opts.codexHome);
    refuseInvalidConfig(state);
    const plan = emptyPlan(state.home);
    for (const name of names) planRemoveProfile(plan, state, name);
    const outcome = await showAndApply(ctx, plan);
    if (ctx.opts.json) ctx.out.json({ ok: true, removed: names, ...outcome });
    return 0;
  }),
};
