import type { CommandContext } from '../context.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { UsageError } from '../errors.js';
import { discover } from '../discover/discover.js';
import { renderDiscovery } from '../discover/render.js';
import type { ProviderId } from '../discover/types.js';

export interface ModelsArgs {
  provider?: ProviderId;
  ollamaUrl?: string;
  lmstudioUrl?: string;
  timeout?: string;
}

/** `codex-profiles models`: discovery, then a table (or the result as JSON). Exit 0 once it ran. */
export async function runModels(args: ModelsArgs, ctx: CommandContext): Promise<number> {
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
  if (ctx.opts.json) ctx.out.json(result);
  else ctx.out.line(renderDiscovery(result).replace(/\n$/, ''));
  return 0;
}
