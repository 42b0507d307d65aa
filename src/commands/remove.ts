import type { CommandModule } from 'yargs';
import { withWriteOptions } from './discovery-options.js';
import { handle, type GlobalArgs } from './shared.js';

interface RemoveArgs {
  names: string[];
}

export const removeCommand: CommandModule<GlobalArgs, GlobalArgs & RemoveArgs> = {
  command: 'remove <names..>',
  aliases: ['rm'],
  describe: 'Remove profiles (their file, or their [profiles.NAME] table with its comments)',
  builder: (y) =>
    withWriteOptions(y)
      .positional('names', { type: 'string', array: true, demandOption: true, describe: 'Profile names' })
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
    const state = await loadHome(ctx.opts.codexHome);
    refuseInvalidConfig(state);
    const plan = emptyPlan(state.home);
    for (const name of new Set(argv.names.map(String))) planRemoveProfile(plan, state, name);
    const outcome = await showAndApply(ctx, plan);
    if (ctx.opts.json) ctx.out.json({ ok: true, removed: [...new Set(argv.names)], ...outcome });
    return 0;
  }),
};
