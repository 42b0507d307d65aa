import type { Argv } from 'yargs';
import type { DiscoveryArgs, LayoutArgs } from '../context.js';
import { DURATION_HELP } from '../duration.js';

export function withDiscoveryOptions<T>(y: Argv<T>): Argv<T & DiscoveryArgs> {
  return y
    .option('ollama-url', { type: 'string', requiresArg: true, describe: 'Ollama server (default: OLLAMA_HOST, else http://127.0.0.1:11434)' })
    .option('lmstudio-url', { type: 'string', requiresArg: true, describe: 'LM Studio server (default: `lms server status`, else http://127.0.0.1:1234)' })
    .option('vllm-url', { type: 'string', requiresArg: true, describe: 'vLLM server (default: http://127.0.0.1:8000)' })
    .option('llamacpp-url', { type: 'string', requiresArg: true, describe: 'llama.cpp llama-server (default: LLAMA_ARG_HOST/LLAMA_ARG_PORT, else http://127.0.0.1:8080)' })
    .option('api-key-env', { type: 'string', requiresArg: true, describe: 'Name of the environment variable holding the server\'s bearer token (the name is written as env_key; never the token)' })
    .option('timeout', { type: 'string', requiresArg: true, describe: `Give up on a provider that does not answer within this (${DURATION_HELP}; default 1s)` }) as Argv<T & DiscoveryArgs>;
}

/** The one spelling of a layout is `file` / `table`; `files` / `tables` (migrate's old values) are accepted too. */
export function layoutValue(v: unknown): unknown {
  return v === 'files' ? 'file' : v === 'tables' ? 'table' : v;
}

/** For commands that write profiles: override the layout detected from the installed Codex. */
export function withLayoutOption<T>(y: Argv<T>): Argv<T & LayoutArgs> {
  return y.option('layout', {
    choices: ['file', 'table'] as const,
    coerce: layoutValue,
    describe: 'Write profiles as NAME.config.toml files or [profiles.NAME] tables (default: what the installed codex reads; a layout this codex does not read needs --force)',
  }) as Argv<T & LayoutArgs>;
}

export interface WriteArgs {
  dryRun: boolean;
  yes: boolean;
}

/** Only commands that write or ask have --dry-run and --yes (they used to be global, so `list --yes` was accepted). */
export function withWriteOptions<T>(y: Argv<T>): Argv<T & WriteArgs> {
  return y
    .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would change (a diff) and write nothing' })
    .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Answer yes to confirmations (no prompts)' }) as unknown as Argv<T & WriteArgs>;
}

/**
 * `test`, `compare` and `audit` send prompts: their --dry-run shows the codex command lines and
 * where each prompt would go, and runs nothing (they take no --yes: consent to send a prompt to a
 * hosted profile is --include-hosted).
 */
export function withRunDryRun<T>(y: Argv<T>): Argv<T & { dryRun: boolean }> {
  return y.option('dry-run', {
    type: 'boolean',
    default: false,
    describe: 'Show the codex command lines and where each prompt would go; run nothing, send nothing',
  }) as unknown as Argv<T & { dryRun: boolean }>;
}
