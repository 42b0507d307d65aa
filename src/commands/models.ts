import type { CommandModule } from 'yargs';
import { DURATION_HELP } from '../duration.js';
import type { GlobalArgs } from '../context.js';
import { SERVER_KIND_CHOICES } from '../discover/types.js';
import type { ModelsArgs } from '../run/models.js';
import { handle } from './shared.js';

type ModelsFlags = ModelsArgs;

export const modelsCommand: CommandModule<GlobalArgs, GlobalArgs & ModelsFlags> = {
  command: 'models',
  describe: 'List the models the local servers (Ollama, LM Studio, vLLM, llama-server) have, and what Codex needs to know about them',
  builder: (y) =>
    y
      .option('provider', { choices: SERVER_KIND_CHOICES, describe: 'Only this server kind (default: every kind on its default port, in parallel; openai-compatible needs --url)' })
      .option('ollama-url', { type: 'string', describe: 'Ollama server (default: $OLLAMA_HOST, else http://127.0.0.1:11434)' })
      .option('lmstudio-url', {
        type: 'string',
        describe: 'LM Studio server (default: the port `lms server status` reports, else http://127.0.0.1:1234)',
      })
      .option('vllm-url', { type: 'string', describe: 'vLLM server (default: http://127.0.0.1:8000)' })
      .option('llamacpp-url', { type: 'string', describe: 'llama.cpp llama-server (default: LLAMA_ARG_HOST/LLAMA_ARG_PORT, else http://127.0.0.1:8080)' })
      .option('url', { type: 'string', describe: 'Any OpenAI-compatible server at this address (with --provider: that kind\'s server)' })
      .option('api-key-env', { type: 'string', describe: 'Name of the variable holding the bearer token for --url (never the token itself)' })
      .option('timeout', { type: 'string', requiresArg: true, describe: `Give up on a provider that does not answer within this (${DURATION_HELP}; default 1s)` })
      .example('$0 models', 'Both providers: models, size, context, tool support, what is loaded')
      .example('$0 models --provider ollama --json', 'Ollama only, as JSON (facts, where each came from, hints)')
      .example('$0 models --ollama-url http://gpu-box:11434 --timeout 3s', 'A remote Ollama, with more patience')
      .example('$0 models --provider vllm --vllm-url http://127.0.0.1:8001', 'A vLLM server on another port')
      .example('$0 models --url http://127.0.0.1:4000 --api-key-env PROXY_KEY', 'An OpenAI-compatible server (e.g. a Responses-API proxy)')
      .epilogue('Read-only: never downloads or loads a model. Unreachable providers are reported, and the exit code is still 0.'),
  handler: handle<ModelsFlags>(async (argv, ctx) => {
    const { runModels } = await import('../run/models.js');
    // What places each model (codex/destination.ts) loads once the answers are in, not before the
    // first request goes out (issue 16).
    return runModels(argv, ctx, async (reports) => (await import('../codex/destination.js')).annotateModels(reports));
  }),
};
