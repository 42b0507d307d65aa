import type { CommandModule } from 'yargs';
import { withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import type { DefaultArgs } from '../run/default.js';
import { handle } from './shared.js';

export const defaultCommand: CommandModule<GlobalArgs, GlobalArgs & DefaultArgs> = {
  command: 'default <provider>',
  describe: 'Choose the backend `codex --oss` uses (oss_provider in config.toml)',
  builder: (y) =>
    withWriteOptions(y)
      .positional('provider', { choices: ['ollama', 'lmstudio'] as const, demandOption: true, describe: 'ollama or lmstudio' })
      .option('test', { type: 'boolean', default: false, describe: 'Then confirm it: `codex-profiles test --oss` (the model is checked first; nothing is downloaded). Without it: asked on a terminal, else the command is printed' })
      .example('$0 default ollama', 'codex --oss will use Ollama')
      .example('$0 default ollama --test', 'Set it, then confirm it with a real `codex exec --oss`')
      .example('$0 default lmstudio --dry-run', 'Show the change only'),
  handler: handle<DefaultArgs>(async (argv, ctx) => {
    const { runDefault } = await import('../run/default.js');
    return runDefault(ctx, argv);
  }),
};
