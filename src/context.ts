import os from 'node:os';
import path from 'node:path';

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
