import type { CommandModule } from 'yargs';
import { withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface DefaultArgs {
  provider: 'ollama' | 'lmstudio';
}

export const defaultCommand: CommandModule<GlobalArgs, GlobalArgs & DefaultArgs> = {
  command: 'default <provider>',
  describe: 'Choose the backend `codex --oss` uses (oss_provider in config.toml)',
  builder: (y) =>
    withWriteOptions(y)
      .positional('provider', { choices: ['ollama', 'lmstudio'] as const, demandOption: true, describe: 'ollama or lmstudio' })
      .example('$0 default ollama', 'codex --oss will use Ollama')
      .example('$0 default lmstudio --dry-run', 'Show the change only'),
  handler: handle<DefaultArgs>(async (argv, ctx) => {
    const [{ loadHome }, { planSetTopLevel }, { emptyPlan }, { showAndApply }, { refuseInvalidConfig }] = await Promise.all([
      import('../config/profiles.js'),
      import('../config/profile-writer.js'),
      import('../config/plan.js'),
      import('../ui/confirm.js'),
      import('../diagnostics.js'),
    ]);
    const state = await loadHome(ctx.opts.codexHome);
    refuseInvalidConfig(state);
    const plan = emptyPlan(state.home);
    planSetTopLevel(plan, state, 'oss_provider', argv.provider);
    if (plan.changes.length === 0) ctx.out.line(`oss_provider is already ${argv.provider}.`);
    const outcome = await showAndApply(ctx, plan);
    if (ctx.opts.json) ctx.out.json({ ok: true, ossProvider: argv.provider, ...outcome });
    return 0;
  }),
};
