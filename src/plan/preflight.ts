import { detectCodex, type CodexInfo } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import type { CommandContext } from '../commands/shared.js';
import { loadHome, type HomeState } from '../config/profiles.js';
import { discover } from '../providers/discover.js';
import { ConfigError } from '../errors.js';
import type { DiscoveryResult, ProviderId } from '../providers/types.js';

export interface DiscoveryFlags {
  providers?: ProviderId[];
  ollamaUrl?: string;
  lmstudioUrl?: string;
  timeoutMs?: number;
}

export interface LayoutFlags {
  /** `--layout`: write this layout whatever the installed Codex reads. */
  layout?: 'file' | 'table';
}

export interface Preflight {
  state: HomeState;
  codex: CodexInfo;
  discovery?: DiscoveryResult;
}

/**
 * What every writing command needs before it can plan, gathered in parallel: the Codex home as
 * it is, the installed Codex (which layout `-p` reads) and, when asked, what the providers have.
 */
export async function preflight(ctx: CommandContext, flags: DiscoveryFlags & LayoutFlags & { discover: boolean }): Promise<Preflight> {
  if (flags.discover && process.stderr.isTTY && !ctx.opts.json) ctx.out.note('Looking at Codex and the local model servers…');
  const [state, codex, discovery] = await Promise.all([
    loadHome(ctx.opts.codexHome),
    detectCodex({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env) }),
    flags.discover
      ? discover({ providers: flags.providers, ollamaUrl: flags.ollamaUrl, lmstudioUrl: flags.lmstudioUrl, timeoutMs: flags.timeoutMs, env: ctx.env })
      : Promise.resolve(undefined),
  ]);
  if (flags.layout) return { state, codex: { ...codex, layout: flags.layout, warnings: [] }, discovery };
  if (!codex.found && codex.bin) {
    // A codex is there but would not say what it is: guessing the layout could write profiles
    // this Codex refuses, so ask instead.
    throw new ConfigError(
      `could not tell which profile layout ${codex.bin} reads: ${codex.warnings.join(' ')}`,
      'Pass --layout file (Codex >= 0.134: NAME.config.toml) or --layout table (older: [profiles.NAME]).',
    );
  }
  return { state, codex, discovery };
}
