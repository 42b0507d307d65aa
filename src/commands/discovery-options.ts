import type { Argv } from 'yargs';

/** Where to look for the providers: shared by models, add, setup, default. */
export interface DiscoveryArgs {
  ollamaUrl?: string;
  lmstudioUrl?: string;
  timeout?: number;
}

export function withDiscoveryOptions<T>(y: Argv<T>): Argv<T & DiscoveryArgs> {
  return y
    .option('ollama-url', { type: 'string', requiresArg: true, describe: 'Ollama server (default: OLLAMA_HOST, else http://127.0.0.1:11434)' })
    .option('lmstudio-url', { type: 'string', requiresArg: true, describe: 'LM Studio server (default: `lms server status`, else http://127.0.0.1:1234)' })
    .option('timeout', { type: 'number', requiresArg: true, describe: 'Per-request timeout for the providers, in ms (default 1000)' }) as Argv<T & DiscoveryArgs>;
}

export interface LayoutArgs {
  layout?: 'file' | 'table';
}

/** For commands that write profiles: override the layout detected from the installed Codex. */
export function withLayoutOption<T>(y: Argv<T>): Argv<T & LayoutArgs> {
  return y.option('layout', {
    choices: ['file', 'table'] as const,
    describe: 'Write profiles as NAME.config.toml files or [profiles.NAME] tables (default: what the installed codex reads)',
  }) as Argv<T & LayoutArgs>;
}
