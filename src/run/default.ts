/** `codex-profiles default <provider>`: set oss_provider in config.toml (the backend `codex --oss` uses). */
import { emptyPlan } from '../write/plan.js';
import { planSetTopLevel } from '../config/profile-writer.js';
import { loadHome } from '../config/profiles.js';
import { canPrompt, type CommandContext } from '../context.js';
import { refuseInvalidConfig } from '../diagnostics.js';
import { showAndApply } from '../ui/confirm.js';

export interface DefaultArgs {
  provider: 'ollama' | 'lmstudio';
  /** Then confirm it with `test --oss` (src/run/test-oss.ts). */
  test?: boolean;
}

export async function runDefault(ctx: CommandContext, argv: DefaultArgs): Promise<number> {
  const state = await loadHome(ctx.opts.codexHome);
  refuseInvalidConfig(state);
  const plan = emptyPlan(state.home);
  planSetTopLevel(plan, state, 'oss_provider', argv.provider);
  if (plan.changes.length === 0) ctx.out.line(`oss_provider is already ${argv.provider}.`);
  const outcome = await showAndApply(ctx, plan);
  const { offerOssTest, OSS_TEST_COMMAND } = await import('./test-oss.js');
  if (ctx.opts.json) ctx.out.json({ ok: true, ossProvider: argv.provider, ...outcome, next: OSS_TEST_COMMAND });
  // Offered when it was set now (or already was): the value is in config.toml either way.
  // (offerOssTest itself says nothing in --json mode and asks nothing in a dry run.)
  if (outcome.applied || plan.changes.length === 0 || ctx.opts.dryRun) {
    const ask = !ctx.opts.yes && canPrompt() ? async (message: string) => (await import('@inquirer/prompts')).confirm({ message, default: true }) : undefined;
    const code = await offerOssTest(ctx, { test: Boolean(argv.test), ask });
    if (code !== undefined) return code;
  }
  return 0;
}
