import type { CodexInfo } from '../codex/detect.js';
import type { CommandContext } from '../context.js';
import type { HomeState } from '../config/profiles.js';
import { refuseInvalidConfig } from '../diagnostics.js';
import { ConfigError } from '../errors.js';
import type { DiscoveryResult, ProviderId } from '../discover/types.js';

export interface DiscoveryFlags {
  providers?: ProviderId[];
  ollamaUrl?: string;
  lmstudioUrl?: string;
  /** URL flags per kind (`--vllm-url`, `--url` for the chosen kind, ...). */
  urls?: Partial<Record<ProviderId, string>>;
  apiKeyEnv?: string;
  timeoutMs?: number;
  /** Only these models' details are needed (DiscoverOptions.detailsFor). */
  detailsFor?: string[];
}

export interface LayoutFlags {
  /** `--layout`: write this layout whatever the installed Codex reads. */
  layout?: 'file' | 'table';
  /** Write a --layout this codex does not read. */
  force?: boolean;
}

export interface Preflight {
  state: HomeState;
  codex: CodexInfo;
  discovery?: DiscoveryResult;
}

/**
 * What every writing command needs before it can plan, gathered in parallel: the Codex home as
 * it is, the installed Codex (which layout `-p` reads) and, when asked, what the providers have.
 *
 * Discovery starts first, and the code that reads the home (the TOML parsers) loads after it
 * (issue 16): loaded with the command, it held back `add`'s first request by ~5 ms. The requests
 * go out at the first turn of the event loop, before the TOML is parsed, so the servers answer
 * while it is. (Giving the loop a turn before even opening config.toml put the first request on
 * the wire ~5 ms sooner still, but made a whole `add` no faster, 2-8 ms slower against an
 * instant server: measured, and left out.)
 */
export async function preflight(ctx: CommandContext, flags: DiscoveryFlags & LayoutFlags & { discover: boolean }): Promise<Preflight> {
  const discovering = flags.discover
    ? import('../codex/discovery.js').then(({ discover }) =>
        discover({ providers: flags.providers, urls: flags.urls, ollamaUrl: flags.ollamaUrl, lmstudioUrl: flags.lmstudioUrl, apiKeyEnv: flags.apiKeyEnv, timeoutMs: flags.timeoutMs, detailsFor: flags.detailsFor, env: ctx.env }),
      )
    : Promise.resolve(undefined);
  // Awaited below with the rest; marked handled now, so that a refusal (a bad --ollama-url) that
  // comes while the TOML code is still loading is not reported as an unhandled rejection.
  discovering.catch(() => undefined);
  const [{ loadHome }, { detectCodex }, { userCacheDir }] = await Promise.all([import('../config/profiles.js'), import('../codex/detect.js'), import('../codex/detect-cache.js')]);
  const gathering = Promise.all([loadHome(ctx.opts.codexHome), detectCodex({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env) }), discovering]);
  // Said once the reads, requests and codex are under way, before any of them can answer: asking
  // whether stderr is a terminal makes the stream (~0.7 ms), which the first request need not wait for.
  if (flags.discover && process.stderr.isTTY && !ctx.opts.json) ctx.out.note('Looking at Codex and the local model servers…');
  const [state, codex, discovery] = await gathering;
  refuseInvalidConfig(state);
  if (flags.layout) {
    const problem = layoutProblem(codex, flags.layout);
    if (problem?.refuse && !flags.force) {
      throw new ConfigError(problem.text, 'Leave --layout out to write what this codex reads, or pass --force to write it anyway.', 'LAYOUT_MISMATCH');
    }
    return { state, codex: { ...codex, layout: flags.layout, warnings: problem ? [problem.text] : [] }, discovery };
  }
  if (!codex.found && codex.bin) {
    // A codex is there but would not say what it is: guessing the layout could write profiles
    // this Codex refuses, so ask instead.
    throw new ConfigError(
      `could not tell which profile layout ${codex.bin} reads: ${codex.warnings.join(' ')}`,
      'Pass --layout file (Codex >= 0.134: NAME.config.toml) or --layout table (older: [profiles.NAME]).',
      'LAYOUT_MISMATCH',
    );
  }
  return { state, codex, discovery };
}

/**
 * A --layout the detected codex does not read through `-p`. Tables under a files-era codex are
 * refused without --force: `-p NAME` would silently run the base config (possibly a hosted model).
 */
export function layoutProblem(codex: CodexInfo, layout: 'file' | 'table'): { text: string; refuse: boolean } | undefined {
  if (!codex.found || codex.layout === layout) return undefined;
  const who = `codex ${codex.version ?? '(this version)'}`;
  if (layout === 'table') {
    return {
      refuse: true,
      text: `${who} reads profile files (NAME.config.toml) and refuses or ignores [profiles.NAME] tables: \`codex -p NAME\` would fail, or silently run the base config.`,
    };
  }
  if (codex.profileV2) return { refuse: false, text: `${who} reads NAME.config.toml only with \`--profile-v2 NAME\`; \`-p NAME\` reads [profiles.NAME] tables.` };
  return { refuse: true, text: `${who} cannot read profile files (NAME.config.toml needs codex 0.131 or newer): \`codex -p NAME\` would not find them.` };
}
