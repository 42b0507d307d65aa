import { urlsOf, type CommandContext, type DiscoveryArgs, type LayoutArgs } from '../context.js';
import type { ProviderId } from '../discover/types.js';
import { serverKind } from '../discover/registry.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { preflight } from '../plan/preflight.js';
import type { HomeState } from '../config/profiles.js';
import type { Plan } from '../write/plan.js';
import type { Equivalent } from '../codex/equivalent.js';

/** `add`'s flags as yargs parses them (commands/add.ts). */
export interface AddArgs extends DiscoveryArgs, LayoutArgs {
  model: string;
  provider?: ProviderId;
  hosted: boolean;
  name?: string;
  default: boolean;
  force: boolean;
  allowMissing: boolean;
  allowNoTools: boolean;
  allowCloud: boolean;
  webSearch: boolean;
  url?: string;
  contextWindow?: number;
}

export async function runAdd(ctx: CommandContext, argv: AddArgs): Promise<number> {
  if (argv.hosted && (argv.provider || argv.url || argv.default)) {
    throw new UsageError('--hosted cannot be combined with --provider, --url or --default.');
  }
  if (!argv.hosted && !argv.provider) {
    throw new UsageError(`say where ${argv.model} runs.`, 'Pass --provider (ollama, lmstudio, vllm, llamacpp, or openai-compatible with --url), or --hosted for a hosted model.');
  }
  if (argv.contextWindow !== undefined && (!Number.isInteger(argv.contextWindow) || argv.contextWindow < 0)) {
    throw new UsageError('--context-window takes a whole number of tokens (0 for none).');
  }
  if (argv.hosted && argv.apiKeyEnv) throw new UsageError('--api-key-env is for a local server; a hosted profile uses Codex\'s own login.');
  const provider = argv.provider;
  if (argv.default && provider && !serverKind(provider).codexBuiltIn) {
    throw new UsageError(`--default sets oss_provider, which Codex accepts only for a server it has a built-in id for (ollama, lmstudio), not ${provider}.`);
  }
  // --url is the chosen kind's server (it wins over that kind's own URL flag).
  const urls = urlsOf({ ...argv, provider });
  const { state, codex, discovery } = await preflight(ctx, {
    discover: !argv.hosted,
    providers: provider ? [provider] : [],
    urls,
    apiKeyEnv: argv.apiKeyEnv,
    timeoutMs: parseDiscoveryTimeout(argv.timeout),
    // One model is planned: the others' details (Ollama's /api/show each) would go unused.
    detailsFor: [argv.model],
    layout: argv.layout,
    force: argv.force,
  });
  // What plans, shows and writes loads once preflight's requests are under way (issue 16).
  const [{ planProfiles }, { hintSummaryLines }, { showAndApply }, { NO_DOWNLOAD_NOTE }] = await Promise.all([import('../plan/add.js'), import('../discover/render.js'), import('../ui/confirm.js'), import('../codex/equivalent.js')]);
  const { plan, profiles } = planProfiles(
    state,
    codex,
    discovery,
    [{ model: argv.model, provider, hosted: argv.hosted, name: argv.name, contextWindow: argv.contextWindow === 0 ? false : argv.contextWindow }],
    { force: argv.force, allowMissing: argv.allowMissing, allowNoTools: argv.allowNoTools, allowCloud: argv.allowCloud, webSearch: argv.webSearch, ossProvider: argv.default ? provider : undefined, urls, apiKeyEnv: argv.apiKeyEnv, env: ctx.env },
  );
  const p = profiles[0]!;
  for (const line of hintSummaryLines(p.hints.map((hint) => ({ subject: p.model, hint })))) ctx.out.note(line);
  if (p.model_context_window !== undefined && p.contextWindowSource) ctx.out.note(`model_context_window = ${p.model_context_window}: from ${p.contextWindowSource}.`);
  if (p.unchanged && plan.changes.length === 0) ctx.out.line(`Profile ${p.name} already exists for ${p.model}; nothing to change.`);
  const outcome = await showAndApply(ctx, plan);
  // A hosted profile's test sends a prompt to the service: only with the flag (hosted-consent.ts).
  if (outcome.applied) ctx.out.line(`Try it: codex -p ${p.name}    Check it: codex-profiles test ${p.name}${argv.hosted ? ' --include-hosted' : ''}`);
  const equivalent = outcome.applied && !argv.hosted ? await writtenEquivalent(state, plan, p.name, codex.layout, ctx.env) : undefined;
  if (equivalent && !ctx.opts.json) {
    ctx.out.line(equivalent.command ? `One-off equivalent (this run only, no profile): ${equivalent.command}  (${NO_DOWNLOAD_NOTE})` : `No one-off equivalent: ${equivalent.note}.`);
  }
  if (ctx.opts.json) ctx.out.json({ ok: true, codex: { version: codex.version ?? null, layout: codex.layout }, profile: p, ...(equivalent ? { equivalent } : {}), ...outcome });
  return EXIT_OK;
}

/**
 * The equivalent of the profile as written: from the texts the plan wrote (each read back and
 * compared byte for byte before it replaced the file, so they are what Codex will read), not
 * from reading and parsing config.toml a second time.
 */
async function writtenEquivalent(state: HomeState, plan: Plan, name: string, layout: 'file' | 'table', env: NodeJS.ProcessEnv): Promise<Equivalent | undefined> {
  const [{ homeAfter }, { plannedDocument }, { profileEquivalent }] = await Promise.all([import('../config/profiles.js'), import('../config/profile-writer.js'), import('../codex/equivalent.js')]);
  const after = await homeAfter(state, plan.changes, (file, text) => plannedDocument(plan, file, text));
  const written = after.profiles.find((x) => x.name === name && x.layout === layout) ?? after.profiles.find((x) => x.name === name);
  return written ? profileEquivalent(after, written, env) : undefined;
}
