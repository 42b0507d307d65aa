import os from 'node:os';
import path from 'node:path';
import { Output } from './ui/output.js';
import type { ServerKindId } from './discover/types.js';

/** Options every command accepts (see cli.ts). */
export interface GlobalOptions {
  codexHome: string;
  codexBin?: string;
  json: boolean;
  dryRun: boolean;
  yes: boolean;
  color: boolean;
}

/**
 * `--codex-home`, else `$CODEX_HOME`, else `~/.codex`. os.homedir() reads %USERPROFILE% on
 * Windows and $HOME elsewhere, so this is the same folder Codex itself uses.
 */
export function resolveCodexHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? (env.CODEX_HOME && env.CODEX_HOME.trim() !== '' ? env.CODEX_HOME : undefined);
  return path.resolve(chosen ?? path.join(os.homedir(), '.codex'));
}

/** Prompts are only allowed when a person is there to answer them. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}

/** Raw global flags as yargs parses them (see cli.ts). */
export interface GlobalArgs {
  codexHome?: string;
  codexBin?: string;
  json: boolean;
  /** Only on commands that write or ask (withWriteOptions). */
  dryRun?: boolean;
  yes?: boolean;
  color: boolean;
}

/** What every command runner gets: the resolved global options, the output and the environment. */
export interface CommandContext {
  opts: GlobalOptions;
  out: Output;
  env: NodeJS.ProcessEnv;
}

export function makeContext(argv: GlobalArgs, env: NodeJS.ProcessEnv = process.env): CommandContext {
  const opts: GlobalOptions = {
    codexHome: resolveCodexHome(argv.codexHome, env),
    codexBin: argv.codexBin,
    json: Boolean(argv.json),
    dryRun: Boolean(argv.dryRun),
    yes: Boolean(argv.yes),
    color: argv.color !== false,
  };
  return { opts, out: new Output(opts.json), env };
}

/** Where to look for the providers: shared by models, add, setup, default. */
export interface DiscoveryArgs {
  ollamaUrl?: string;
  lmstudioUrl?: string;
  vllmUrl?: string;
  llamacppUrl?: string;
  /** The name of the variable holding a bearer token (openai-compatible), never the token. */
  apiKeyEnv?: string;
  /** As typed (`500ms`, `2s`, `3`); parsed by parseDuration. */
  timeout?: string;
}

/** The URL flags per server kind, as discovery takes them (`--url` belongs to the chosen --provider). */
export function urlsOf(argv: DiscoveryArgs & { url?: string; provider?: string }): Partial<Record<ServerKindId, string>> {
  const urls: Partial<Record<ServerKindId, string>> = {};
  if (argv.ollamaUrl !== undefined) urls.ollama = argv.ollamaUrl;
  if (argv.lmstudioUrl !== undefined) urls.lmstudio = argv.lmstudioUrl;
  if (argv.vllmUrl !== undefined) urls.vllm = argv.vllmUrl;
  if (argv.llamacppUrl !== undefined) urls.llamacpp = argv.llamacppUrl;
  if (argv.url !== undefined) urls[(argv.provider as ServerKindId | undefined) ?? 'openai-compatible'] = argv.url;
  return urls;
}

/** For commands that write profiles: `--layout` (commands/discovery-options.ts). */
export interface LayoutArgs {
  layout?: 'file' | 'table';
}
