import type { CommandContext } from '../context.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { UsageError } from '../errors.js';
import { discover } from '../discover/discover.js';
import { renderDiscovery } from '../discover/render.js';
import type { DiscoveryResult, ProviderId } from '../discover/types.js';

export interface ModelsArgs {
  provider?: ProviderId;
  ollamaUrl?: string;
  lmstudioUrl?: string;
  timeout?: string;
}

/** `codex-profiles models`: discovery, then a table (or the result as JSON). Exit 0 once it ran. */
/**
 * `annotate` gives each model its locality and returns the lines for models whose prompts leave
 * this machine (src/codex/destination.ts annotateModels; passed in: providers/ imports nothing
 * above it).
 */
export async function runModels(args: ModelsArgs, ctx: CommandContext, annotate: (reports: DiscoveryResult['providers']) => string[] = () => []): Promise<number> {
  if (Array.isArray(args.provider)) throw new UsageError('give --provider once (ollama or lmstudio), or leave it out for both');
  const timeoutMs = parseDiscoveryTimeout(args.timeout);
  for (const [flag, v] of [['--ollama-url', args.ollamaUrl], ['--lmstudio-url', args.lmstudioUrl]] as const) {
    if (v !== undefined && typeof v !== 'string') throw new UsageError(`give ${flag} once`);
  }
  const result = await discover({
    providers: args.provider ? [args.provider] : undefined,
    ollamaUrl: args.ollamaUrl,
    lmstudioUrl: args.lmstudioUrl,
    timeoutMs,
    env: ctx.env,
  });
  const away = annotate(result.providers);
  if (ctx.opts.json) ctx.out.json(result);
  else {
    ctx.out.line(renderDiscovery(result).replace(/\n$/, ''));
    if (away.length) ctx.out.line(`\nNot on this machine (prompts leave it):\n${away.map((l) => `  ${l}`).join('\n')}`);
  }
  return 0;
}
