/**
 * `codex-profiles setup`: the wizard (or `setup --yes` with flags) over plan/setup.ts's flow, then
 * the optional smoke test of what was written (the `test` runner, run/test.ts).
 */
import { canPrompt, type CommandContext } from '../context.js';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE } from '../errors.js';
import { setupFlow, type SetupArgs, type SetupResult } from '../plan/setup.js';
import { isPromptCancel, type Prompter } from '../ui/prompter.js';
import { handOverToTest, runTest } from './test.js';
import { localityText } from '../codex/destination.js';
import { offerOssTest } from './test-oss.js';

export type { SetupArgs } from '../plan/setup.js';

/** Exit code for a wizard cancelled with Ctrl-C (the shell convention: 128 + SIGINT). */
export const EXIT_CANCELLED = 130;

export async function runSetup(ctx: CommandContext, args: SetupArgs, prompter?: Prompter): Promise<number> {
  let result: SetupResult | undefined;
  try {
    const interactive = !ctx.opts.yes && args.models === undefined && canPrompt();
    const p = prompter ?? (interactive ? await (await import('../ui/prompter.js')).inquirerPrompter() : undefined);
    result = await setupFlow(ctx, args, p);
    const written = result.outcome?.applied ? result.profiles.filter((x) => !x.unchanged).map((x) => x.name) : [];
    // Where each new profile sends its prompts, said once more before any test (issue 13).
    if (!ctx.opts.json && result.profiles.length > 0) {
      ctx.out.line('Where prompts go:');
      for (const x of result.profiles) if (x.locality) ctx.out.line(`  ${x.name}: ${localityText(x.locality)}`);
    }
    // In JSON mode stdout holds one document: the smoke test is a separate `test --json` run.
    let runTest = args.test && !ctx.opts.json;
    if (!runTest && p && !ctx.opts.json && written.length > 0) runTest = await p.confirm({ message: `Test ${written.join(', ')} now with a real \`codex exec\`?`, default: true });
    if (ctx.opts.json) ctx.out.json({ ok: !result.missing, ...result });
    if (result.missing) return EXIT_CHECK_FAILED;
    if (ctx.opts.dryRun && args.test && result.profiles.length > 0) {
      ctx.out.line(`Dry run: --test would then run \`codex-profiles test ${result.profiles.map((x) => x.name).join(' ')} --tools\` (codex exec: "Reply with exactly OK", then the tool-call check); nothing was run.`);
    }
    let code: number = EXIT_OK;
    if (written.length > 0 && runTest) code = await smokeTest(ctx, written);
    else if (written.length > 0) ctx.out.line(`Check them any time: codex-profiles test ${written.join(' ')}`);
    // oss_provider was written (or would be): confirm it the same way, `--test` or a question.
    // A smoke test that could not start (no codex, an unreadable config: exit 2) has said why;
    // the --oss check would only say it again.
    if (result.ossProvider !== undefined && (result.outcome?.applied || ctx.opts.dryRun) && code !== EXIT_USAGE) {
      const ask = p && !ctx.opts.json ? (message: string) => p.confirm({ message, default: true }) : undefined;
      const oss = await offerOssTest(ctx, { test: args.test, ask });
      if (oss !== undefined && code === EXIT_OK) code = oss;
    }
    return code;
  } catch (err) {
    if (isPromptCancel(err)) {
      // A cancel after the write (at the test question) must not claim nothing was written.
      const outcome = result?.outcome;
      if (outcome?.applied) {
        ctx.out.note(`Cancelled. Already written: ${outcome.changed.join(', ')} (backup ${outcome.backupId}; undo with \`codex-profiles restore ${outcome.backupId}\`).`);
      } else ctx.out.note('Cancelled; nothing was written.');
      return EXIT_CANCELLED;
    }
    throw err;
  }
}

/** setup's smoke test of what it wrote, as `codex-profiles test NAMES --tools` runs it. */
function smokeTest(ctx: CommandContext, names: string[]): Promise<number> {
  // Both checks: a new profile is only useful if its model can make Codex run commands.
  return handOverToTest(ctx, (testCtx) => runTest({ names, all: false, includeHosted: false, tools: true }, testCtx));
}
