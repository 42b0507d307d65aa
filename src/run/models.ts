import type { CommandContext } from '../context.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { UsageError } from '../errors.js';
import { discover } from '../codex/discovery.js';
import { urlsOf, type DiscoveryArgs } from '../context.js';
import { renderDiscovery } from '../discover/render.js';
import type { DiscoveryResult, ProviderId } from '../discover/types.js';

export interface ModelsArgs extends DiscoveryArgs {
  provider?: ProviderId;
  /** An OpenAI-compatible server (or, with --provider, that kind's server). */
  url?: string;
}

/** `codex-profiles models`: discovery, then a table (or the result as JSON). Exit 0 once it ran. */
/**
 * `annotate` gives each model its locality and returns the lines for models whose prompts leave
 * this machine (src/codex/destination.ts annotateModels; passed in: providers/ imports nothing
 * above it).
 */
export async function runModels(args: ModelsArgs, ctx: CommandContext, annotate: (reports: DiscoveryResult['providers']) => string[] | Promise<string[]> = () => []): Promise<number> {
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
  const away = await annotate(result.providers);
  if (ctx.opts.json) ctx.out.json(result);
  else {
    ctx.out.line(renderDiscovery(result).replace(/\n$/, ''));
    if (away.length) ctx.out.line(`\nNot on this machine (prompts leave it):\n${away.map((l) => `  ${l}`).join('\n')}`);
  }
  return 0;
}
