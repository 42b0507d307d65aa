import type { Argv, CommandModule } from 'yargs';
import { withDiscoveryOptions, withLayoutOption, withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { SERVER_KIND_CHOICES } from '../discover/types.js';
import { handle } from './shared.js';
import type { SetupArgs } from '../run/setup.js';

export const setupCommand: CommandModule<GlobalArgs, GlobalArgs & SetupArgs> = {
  command: 'setup',
  describe: 'Set up Codex profiles for the models in Ollama and LM Studio (a wizard; flags for scripts)',
  builder: (y) =>
    withDiscoveryOptions<GlobalArgs>(
      withWriteOptions(withLayoutOption(y))
        .option('provider', { choices: SERVER_KIND_CHOICES, array: true, describe: 'Only look at these server kinds' })
        .option('url', { type: 'string', requiresArg: true, describe: 'An OpenAI-compatible server to look at too (any server with /v1/responses)' })
        .option('models', { type: 'string', requiresArg: true, describe: 'Comma-separated model ids to set up without asking' })
        .option('oss-provider', { choices: ['ollama', 'lmstudio'] as const, describe: 'Backend for `codex --oss` (default: ask; unattended, the first model’s provider when unset)' })
        .option('context-window', { type: 'boolean', default: true, describe: 'Write model_context_window where the provider reports the context (--no-context-window to skip)' })
        .option('test', { type: 'boolean', default: false, describe: 'Smoke-test the new profiles with the real codex after writing, and confirm oss_provider (`codex-profiles test --oss`) when it was set' })
        .option('force', { type: 'boolean', default: false, describe: 'Rewrite profiles that already exist for the chosen models; write a --layout this codex does not read' })
        .option('allow-no-tools', { type: 'boolean', default: false, describe: 'Write profiles for models without tool support anyway (they cannot drive Codex)' })
        .option('allow-cloud', { type: 'boolean', default: false, describe: 'Offer and write models that run in the cloud (Ollama cloud models: prompts go to ollama.com)' })
        .example('$0 setup', 'The wizard: pick models, name profiles, choose oss_provider, review the diff')
        .example('$0 setup --yes --provider ollama --models gpt-oss:20b,qwen3-coder:30b', 'Unattended (scripts, CI)')
        .example('$0 setup --dry-run --models gpt-oss:20b', 'Show the diff it would write')
        .epilogue(
          'Running setup again is safe: existing profiles are kept and never duplicated (unticking one keeps it; `codex-profiles remove NAME` removes it). Ctrl-C at any question writes nothing (exit 130).\n' +
            'Exit codes: 0 done, 1 nothing to set up (no codex or no provider answering: what to fix is printed) or a model without tool support, 2 usage or config error (e.g. invalid config.toml, file:line:col).',
        ),
    ) as unknown as Argv<GlobalArgs & SetupArgs>,
  handler: handle<SetupArgs>(async (argv, ctx) => {
    const { runSetup } = await import('../run/setup.js');
    return runSetup(ctx, argv);
  }),
};
