import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

export const listCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'list',
  describe: 'List every Codex profile (per-profile files and [profiles.*] tables)',
  builder: (y) =>
    y
      .example('$0 list', 'Show profiles, their layout, provider and model')
      .example('$0 list --json', 'The same as JSON')
      .example('$0 list --codex-home /tmp/codex', 'Look in another Codex home'),
  handler: handle(async (_argv, ctx) => {
    const { runList } = await import('../run/list.js');
    return runList(ctx);
  }),
};
