/**
 * `codex-profiles test --oss [--model ID]`: the guarded confirmation of config.toml's
 * oss_provider (src/verify/oss.ts), with the smoke test's timeout, Ctrl-C handling and exit codes:
 * 0 passed, 1 a check failed or codex failed (codex never started when a check failed),
 * 2 usage or config error, 130 interrupted.
 */
import chalk from 'chalk';
import { detectCodex } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import { showCommand } from '../system/shell-word.js';
import { buildExecArgs } from '../codex/exec.js';
import { loadHome } from '../config/profiles.js';
import type { CommandContext } from '../context.js';
import { formatDuration } from '../diagnostics.js';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../errors.js';
import { catchInterrupt, EXIT_INTERRUPTED } from '../ui/interrupt.js';
import { confirmOss, ossArgs, ossTarget, type OssResult } from '../verify/oss.js';
import { probeServer } from '../verify/probe.js';
import { SMOKE_PROMPT } from '../verify/smoke-types.js';
import { codeWords, eraLabel, handOverToTest, parseTimeoutSeconds, requireCodex, statusCell, throwOnSyntaxErrors, type TestArgs } from './test.js';

export interface TestOssArgs {
  model?: string;
  timeoutMs: number;
}

/** The command line codex gets (display form; `-o` points into a fresh temporary folder). */
function commandLine(codex: { profileFlag: string; ephemeral: boolean }, model: string): string {
  const args = buildExecArgs(codex, { outputFile: 'LAST_MESSAGE_FILE', prompt: SMOKE_PROMPT, extraArgs: ossArgs(model) });
  return showCommand(['codex', ...args]);
}

function render(r: OssResult): string {
  const lines: string[] = [];
  const status = statusCell(r);
  const where = r.serverUrl ? ` at ${r.serverUrl}` : '';
  lines.push(`oss_provider ${r.ossProvider ?? '(not set)'}${where}, model ${r.model ?? '-'}: ${status}${r.durationMs !== undefined ? ` in ${formatDuration(r.durationMs)}` : ''}`);
  if (r.status === 'pass') lines.push(`codex reported provider ${r.reportedProvider} and model ${r.reportedModel ?? '?'}, and answered ${JSON.stringify(r.answer?.trim() ?? '')}.`);
  else {
    lines.push(`${r.message ?? codeWords(r.code)}`);
    if (r.status === 'skipped') lines.push('codex was not started; nothing was sent or downloaded.');
    if (r.fix) lines.push(`fix: ${r.fix}`);
  }
  for (const w of r.warnings) lines.push(`${chalk.yellow('note:')} ${w}`);
  return lines.join('\n');
}

/** `test --oss` as the command parses it: the flags that only mean something for profiles are refused. */
export async function runTestOssFlags(args: TestArgs, ctx: CommandContext): Promise<number> {
  if ((args.names ?? []).length > 0 || args.all || args.tools || args.includeHosted) {
    throw new UsageError('--oss confirms oss_provider on its own: leave out profile names, --all, --tools and --include-hosted');
  }
  return runTestOss({ model: args.model, timeoutMs: parseTimeoutSeconds(args.timeout) }, ctx);
}

export async function runTestOss(args: TestOssArgs, ctx: CommandContext): Promise<number> {
  const [state, codex] = await Promise.all([loadHome(ctx.opts.codexHome), detectCodex({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env) })]);
  throwOnSyntaxErrors(state);
  requireCodex(codex);
  for (const w of codex.warnings) ctx.out.warn(w);
  const codexDoc = { bin: codex.bin, version: codex.version, layout: codex.layout, profileV2: codex.profileV2 };

  if (ctx.opts.dryRun) {
    // Nothing is asked, not even the read-only listing: the model is named or chosen at run time.
    const t = ossTarget(state, ctx.env);
    const model = args.model ?? 'MODEL';
    const plan = {
      ossProvider: t.raw ?? null,
      serverUrl: t.serverUrl ?? null,
      model: args.model ?? null,
      checks: ['oss_provider is ollama or lmstudio', `the server answers at ${t.serverUrl ?? '(no oss_provider)'} and is that kind`, args.model ? `\`${args.model}\` is installed there (passed exactly as listed)` : 'an installed local model is chosen (tools first)'],
      command: commandLine(codex, model),
    };
    if (ctx.opts.json) ctx.out.json({ ok: true, dryRun: true, oss: true, codex: codexDoc, codexHome: state.home, timeoutMs: args.timeoutMs, plan });
    else {
      ctx.out.line(`Dry run: confirm oss_provider ${t.raw ?? '(not set)'}${t.serverUrl ? ` at ${t.serverUrl}` : ''}. Nothing is sent.`);
      for (const c of plan.checks) ctx.out.line(`  check: ${c}`);
      ctx.out.line(`  then:  ${plan.command}`);
      ctx.out.line('A failed check stops before codex starts: nothing is ever downloaded.');
    }
    return EXIT_OK;
  }

  if (!ctx.opts.json) ctx.out.note(`Confirming oss_provider with ${eraLabel(codex)}, CODEX_HOME ${state.home}`);
  const interrupt = catchInterrupt(() => {
    if (!ctx.opts.json) ctx.out.note('Interrupted: stopping codex...');
  });
  let result: OssResult;
  try {
    result = await confirmOss({
      state,
      codex,
      env: ctx.env,
      model: args.model,
      timeoutMs: args.timeoutMs,
      signal: interrupt.signal,
      probe: (url, kind) => probeServer(url, kind, { env: ctx.env, signal: interrupt.signal }),
    });
  } finally {
    interrupt.dispose();
  }
  const interrupted = result.code === 'interrupted';
  if (ctx.opts.json) {
    ctx.out.json({ ok: result.status === 'pass', ...(interrupted ? { interrupted: true } : {}), oss: true, codex: codexDoc, codexHome: state.home, timeoutMs: args.timeoutMs, result });
  } else ctx.out.line(render(result));
  if (interrupted) return EXIT_INTERRUPTED;
  return result.status === 'pass' ? EXIT_OK : EXIT_CHECK_FAILED;
}

/** What `setup` and `default` say or do after they set oss_provider. */
export const OSS_TEST_COMMAND = 'codex-profiles test --oss';

/**
 * After a command set oss_provider: with `--test`, confirm it now; on a terminal, ask (default
 * yes); otherwise print the command. Never in --json mode (stdout holds one document) or a dry
 * run. Runs in this process with the context `test` would get from the same global flags.
 */
export async function offerOssTest(ctx: CommandContext, opts: { test: boolean; ask?: (message: string) => Promise<boolean> }): Promise<number | undefined> {
  if (ctx.opts.json) return undefined;
  if (ctx.opts.dryRun) {
    if (opts.test) ctx.out.line(`Dry run: --test would then run \`${OSS_TEST_COMMAND}\` (the model is checked first; nothing is downloaded); nothing was run.`);
    return undefined;
  }
  const run = opts.test || (opts.ask ? await opts.ask(`Confirm oss_provider now with a real \`codex exec --oss\` (${OSS_TEST_COMMAND}; checks the model is installed first, downloads nothing)?`) : false);
  if (!run) {
    ctx.out.line(`Confirm it any time: ${OSS_TEST_COMMAND}`);
    return undefined;
  }
  return handOverToTest(ctx, (testCtx) => runTestOss({ timeoutMs: parseTimeoutSeconds(undefined) }, testCtx));
}
