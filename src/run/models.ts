import type { CommandContext } from '../context.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { UsageError } from '../errors.js';
import { discover } from '../codex/discovery.js';
import { urlsOf, type DiscoveryArgs } from '../context.js';
import { renderDiscovery } from '../discover/render.js';
import type { ProviderId } from '../discover/types.js';

export interface ModelsArgs extends DiscoveryArgs {
  provider?: ProviderId;
  /** An OpenAI-compatible server (or, with --provider, that kind's server). */
  url?: string;
}

/** `codex-profiles models`: discovery, then a table (or the result as JSON). Exit 0 once it ran. */
export async function runModels(args: ModelsArgs, ctx: CommandContext): Promise<number> {
  if (Array.isArray(args.provider)) throw new UsageError('give --provider once, or leave it out for every server kind');
  const timeoutMs = parseDiscoveryTimeout(args.timeout);
  for (const [flag, v] of [['--ollama-url', args.ollamaUrl], ['--lmstudio-url', args.lmstudioUrl], ['--vllm-url', args.vllmUrl], ['--llamacpp-url', args.llamacppUrl], ['--url', args.url], ['--api-key-env', args.apiKeyEnv]] as const) {
    if (v !== undefined && typeof v !== 'string') throw new UsageError(`give ${flag} once`);
  }
  const result = await discover({
    providers: args.provider ? [args.provider] : undefined,
    urls: urlsOf(args),
    apiKeyEnv: args.apiKeyEnv,
    timeoutMs,
    env: ctx.env,
  });
  if (ctx.opts.json) ctx.out.json(result);
  else ctx.out.line(renderDiscovery(result).replace(/\n$/, ''));
  return 0;
}
