import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { SERVER_KIND_CHOICES } from '../discover/types.js';
import type { AddArgs } from '../run/add.js';
import { withDiscoveryOptions, withLayoutOption, withWriteOptions } from './discovery-options.js';
import { handle } from './shared.js';

export const addCommand: CommandModule<GlobalArgs, GlobalArgs & AddArgs> = {
  command: 'add <model>',
  describe: 'Add a Codex profile for a model (local, on another host, or hosted)',
  builder: (y) =>
    withDiscoveryOptions<GlobalArgs>(
      withWriteOptions(withLayoutOption(y))
        .positional('model', { type: 'string', demandOption: true, describe: 'Model id exactly as the provider names it (gpt-oss:20b, qwen/qwen3-coder-30b)' })
        .option('provider', { choices: SERVER_KIND_CHOICES, describe: 'The server that serves the model (openai-compatible: any server at --url)' })
        .option('hosted', { type: 'boolean', default: false, describe: 'A hosted-model profile (provider openai), for routing work between local and hosted' })
        .option('name', { type: 'string', requiresArg: true, describe: 'Profile name (default: derived from the model id, e.g. gpt-oss-20b)' })
        .option('default', { type: 'boolean', default: false, describe: 'Also make this provider the default for `codex --oss` (oss_provider)' })
        .option('force', { type: 'boolean', default: false, describe: 'Update a profile of the same name (keys you added are kept); write a --layout this codex does not read' })
        .option('allow-missing', { type: 'boolean', default: false, describe: 'Write the profile even if the provider is down or lacks the model' })
        .option('allow-no-tools', { type: 'boolean', default: false, describe: 'Write the profile even if the model has no tool support (it cannot drive Codex)' })
        .option('allow-cloud', { type: 'boolean', default: false, describe: 'Write a profile for a model that runs in the cloud (Ollama `:cloud` / `-cloud` models): its prompts leave this machine' })
        .option('web-search', { type: 'boolean', default: false, describe: 'Keep Codex\'s web_search tool on (default: web_search = "disabled"; Ollama runs the tool through ollama.com)' })
        .option('url', { type: 'string', requiresArg: true, describe: 'Server on another host or port (gets a provider id of its own; prompts may leave the machine)' })
        .option('context-window', { type: 'number', requiresArg: true, describe: 'model_context_window to write (default: the context the provider reports; 0 for none)' })
        .example('$0 add gpt-oss:20b --provider ollama', 'Profile gpt-oss-20b for an Ollama model')
        .example('$0 add qwen/qwen3-coder-30b --provider lmstudio --name coder --default', 'LM Studio model, also the --oss default')
        .example('$0 add gpt-oss:120b --provider ollama --url http://gpu-box:11434', 'A model on another machine')
        .example('$0 add Qwen/Qwen3-Coder-30B-A3B-Instruct --provider vllm', 'A model vLLM serves (http://127.0.0.1:8000)')
        .example('$0 add my-model --provider openai-compatible --url http://127.0.0.1:4000 --api-key-env PROXY_KEY', 'Any server with /v1/responses; the token stays in $PROXY_KEY')
        .example('$0 add gpt-5 --hosted --name hosted', 'A hosted profile, to compare local and hosted answers')
        .example('$0 add gpt-oss:20b --provider ollama --dry-run', 'Show the diff, write nothing')
        .epilogue(
          'The model id is resolved as the server does (Ollama: `qwen2.5-coder` is `qwen2.5-coder:latest`); the profile names the id the server lists.\n' +
            'Exit codes: 0 written (or nothing to change), 1 the model has no tool support (--allow-no-tools to write it anyway), 2 usage or config error (invalid config.toml as file:line:col, provider down, model not installed).',
        ),
    ) as unknown as Argv<GlobalArgs & AddArgs>,
  handler: handle<AddArgs>(async (argv, ctx) => {
    const { runAdd } = await import('../run/add.js');
    return runAdd(ctx, argv);
  }),
};
