import type { CommandModule } from 'yargs';
import { DURATION_HELP } from '../duration.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface ModelsFlags {
  provider?: 'ollama' | 'lmstudio';
  ollamaUrl?: string;
  lmstudioUrl?: string;
  timeout?: string;
}

export const modelsCommand: CommandModule<GlobalArgs, GlobalArgs & ModelsFlags> = {
  command: 'models',
  describe: 'List the models Ollama and LM Studio have, and what Codex needs to know about them',
  builder: (y) =>
    y
      .option('provider', { choices: ['ollama', 'lmstudio'] as const, describe: 'Only this provider (default: both, in parallel)' })
      .option('ollama-url', { type: 'string', describe: 'Ollama server (default: $OLLAMA_HOST, else http://127.0.0.1:11434)' })
      .option('lmstudio-url', {
        type: 'string',
        describe: 'LM Studio server (default: the port `lms server status` reports, else http://127.0.0.1:1234)',
      })
      .option('timeout', { type: 'string', requiresArg: true, describe: `Give up on a provider that does not answer within this (${DURATION_HELP}; default 1s)` })
      .example('$0 models', 'Both providers: models, size, context, tool support, what is loaded')
      .example('$0 models --provider ollama --json', 'Ollama only, as JSON (facts, where each came from, hints)')
      .example('$0 models --ollama-url http://gpu-box:11434 --timeout 3s', 'A remote Ollama, with more patience')
      .epilogue('Read-only: never downloads or loads a model. Unreachable providers are reported, and the exit code is still 0.'),
  handler: handle<ModelsFlags>(async (argv, ctx) => {
    const [{ runModels }, { annotateModels }] = await Promise.all([import('../run/models.js'), import('../codex/destination.js')]);
    return runModels(argv, ctx, annotateModels);
  }),
};
