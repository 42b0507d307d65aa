/**
 * `codex-profiles test`: flags in, the smoke test (src/verify/smoke.ts) with live progress,
 * then a summary table or one JSON document. Exit 1 when any profile failed or was skipped by a
 * failed pre-check; 2 for usage or config errors (invalid TOML, no codex).
 */
import chalk from 'chalk';
import { detectCodex, type CodexInfo } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import type { CommandContext } from '../context.js';
import type { HomeState } from '../config/profiles.js';
import { CODEX_INSTALL_FIX, codexMissingReason, formatDuration } from '../diagnostics.js';
import { parseRunTimeout } from '../duration.js';
import { canPrompt, makeContext } from '../context.js';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { HOSTED_FLAG, hostedConsent } from '../route/hosted-consent.js';
import { catchInterrupt, EXIT_INTERRUPTED } from '../ui/interrupt.js';
import { colorEnabled, LiveProgress, progressEnabled } from '../ui/progress.js';
import { renderTable } from '../ui/table.js';
import { DEFAULT_SMOKE_TIMEOUT_MS } from '../verify/smoke-defaults.js';
import type { SmokeReport, SmokeResult } from '../verify/smoke.js';

export interface TestArgs {
  names?: string[];
  all?: boolean;
  timeout?: number | string;
  includeHosted?: boolean;
  /** Also run the tool-call check (src/checks/tool-call.ts). */
  tools?: boolean;
  /** Confirm config.toml's oss_provider instead: the command hands those runs to src/run/test-oss.ts. */
  oss?: boolean;
  /** With `oss`: the model to confirm with (default: an installed one). */
  model?: string;
}

/** The longest --timeout accepted, in seconds (one hour). */
export const MAX_TIMEOUT_S = 3600;

/** --timeout of test and audit (`90s`, `2m`, a bare number of seconds), in ms. */
export function parseTimeoutSeconds(value: unknown): number {
  return parseRunTimeout(value) ?? DEFAULT_SMOKE_TIMEOUT_MS;
}

/** Invalid TOML stops every command that reads the config: exit 2, file:line:col. */
export function throwOnSyntaxErrors(state: HomeState): void {
  const first = state.errors[0];
  if (!first) return;
  const more = state.errors.slice(1).map((e) => e.message);
  throw new CliError(
    [first.message, ...more].join('\n'),
    EXIT_USAGE,
    'Codex cannot read it either. Fix the file (or `codex-profiles restore` a backup) and run again.',
    'CONFIG_PARSE',
  );
}

/** No codex, no smoke test: exit 2 with what to do. */
export function requireCodex(codex: CodexInfo): void {
  if (codex.found) return;
  throw new CliError(
    codexMissingReason(codex.warnings[0]),
    EXIT_USAGE,
    CODEX_INSTALL_FIX,
    'CODEX_NOT_FOUND',
  );
}

export function eraLabel(codex: CodexInfo): string {
  const layout = codex.layout === 'file' ? 'profile files' : codex.profileV2 ? '[profiles.*] tables; files with --profile-v2' : '[profiles.*] tables';
  return `codex ${codex.version ?? '(version unknown)'} (${layout})`;
}

const seconds = formatDuration;

const STATUS_TEXT: Record<SmokeResult['status'], string> = { pass: 'pass', fail: 'FAIL', skipped: 'SKIPPED', 'not-run': 'not run' };

export function statusCell(r: Pick<SmokeResult, 'status'>): string {
  const t = STATUS_TEXT[r.status];
  if (r.status === 'pass') return chalk.green(t);
  if (r.status === 'not-run') return chalk.dim(t);
  return chalk.red(t);
}

/** `legacy_profile` -> `legacy profile`: codes are for --json and scripts, words for people. */
export function codeWords(code: string | undefined): string {
  return (code ?? '').replace(/_/g, ' ');
}

function detailCell(r: SmokeResult): string {
  if (r.status === 'pass') return JSON.stringify(r.answer?.trim() ?? '') + (r.toolCall?.status === 'pass' ? ', ran a command' : '');
  return codeWords(r.code);
}

/** One line for a finished profile (progress, and plain logs when stderr is not a terminal). */
export function finishedLine(r: SmokeResult): string {
  const where = [r.provider, r.model].filter(Boolean).join(' ');
  const why = r.status === 'pass' ? '' : ` ${codeWords(r.code)}`;
  return `${STATUS_TEXT[r.status].padEnd(7)} ${r.name}${where ? ` (${where})` : ''} ${seconds(r.durationMs)}${why}`;
}

export function renderSmokeReport(report: SmokeReport, header?: string): string {
  const lines: string[] = [];
  if (header) lines.push(header, '');
  if (report.results.length === 0) {
    lines.push('No profiles to test.');
    return lines.join('\n');
  }
  lines.push(
    renderTable(
      ['PROFILE', 'PROVIDER', 'MODEL', 'RESULT', 'TIME', 'DETAIL'],
      report.results.map((r) => [r.name, r.provider ?? '-', r.model ?? '-', statusCell(r), seconds(r.durationMs), detailCell(r)]),
    ),
  );
  const notes = report.results.filter((r) => (r.status !== 'pass' && r.code !== 'interrupted') || r.warnings.length > 0);
  if (notes.length > 0) lines.push('');
  // The same reason for several profiles (a legacy selector skips them all) is said once.
  const groups = new Map<string, SmokeResult[]>();
  for (const r of notes) {
    const key = r.status !== 'pass' && r.warnings.length === 0 ? `${r.message ?? r.code ?? ''}\u0000${r.fix ?? ''}` : `\u0001${r.name}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const r = group[0]!;
    const names = group.map((g) => chalk.bold(g.name)).join(', ');
    if (r.status !== 'pass') {
      lines.push(`${names}: ${r.message ?? codeWords(r.code)}`);
      if (r.fix) lines.push(`  fix: ${r.fix}`);
    } else {
      lines.push(`${names}:`);
    }
    for (const w of r.warnings) lines.push(`  ${chalk.yellow('note:')} ${w}`);
  }
  const s = report.summary;
  const parts = [`${s.pass} passed`, `${s.fail} failed`, `${s.skipped} skipped`];
  const stopped = report.results.filter((r) => r.code === 'interrupted').length;
  if (s.notRun - stopped > 0) parts.push(`${s.notRun - stopped} not run (hosted)`);
  if (stopped > 0) parts.push(`${stopped} interrupted`);
  lines.push('', `${parts.join(', ')} in ${seconds(report.durationMs)}`);
  if (report.interrupted) lines.push('Interrupted (Ctrl-C): the codex runs in flight were stopped.');
  return lines.join('\n');
}

export async function runTest(args: TestArgs, ctx: CommandContext): Promise<number> {
  const names = (args.names ?? []).map(String);
  if (names.length > 0 && args.all) throw new UsageError('name profiles or pass --all, not both');
  const timeoutMs = parseTimeoutSeconds(args.timeout);
  if (args.model !== undefined && !args.oss) throw new UsageError('--model goes with --oss (a profile names its own model)');
  // Detection first: from the disk cache it is a few file reads; otherwise two short codex runs,
  // which loading the rest of the code, reading the config and the first probes overlap.
  const detecting = detectCodex({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env) });
  let detected = false;
  detecting.then(
    () => (detected = true),
    () => (detected = true),
  );
  // The config's first read goes out before the smoke code loads, so compiling that overlaps the I/O.
  const { loadHome } = await import('../config/profiles.js');
  const [state, { createProbes, runSmoke, selectNames, startEarlyProbes }] = await Promise.all([
    loadHome(ctx.opts.codexHome),
    import('../verify/smoke.js'),
  ]);
  throwOnSyntaxErrors(state);
  if (names.length === 0 && !args.all) {
    const known = [...new Set(state.profiles.map((p) => p.name))];
    throw new UsageError(
      'name the profiles to test, or pass --all',
      known.length > 0 ? `Profiles in ${state.home}: ${known.join(', ')}` : `There are no profiles in ${state.home} yet (codex-profiles add).`,
    );
  }
  // While codex is still being detected, the servers the profiles clearly need are probed
  // already (read-only); probes nobody needed are cancelled at the end.
  const early = new AbortController();
  const probes = createProbes({ env: ctx.env }, {}, early.signal);
  // --dry-run sends nothing, not even the read-only probes.
  if (!detected && !ctx.opts.dryRun) startEarlyProbes(probes, state, selectNames(state, names, args.all), ctx.env);
  let codex: CodexInfo;
  try {
    codex = await detecting;
    requireCodex(codex);
  } catch (err) {
    early.abort();
    throw err;
  }
  for (const w of codex.warnings) ctx.out.warn(w);

  // Profiles named on the command line that would send the prompt off this machine: only with
  // the flag or a yes on a terminal (src/route/hosted-consent.ts). `--all` lists them as not run.
  const { hostedTargets, planDryRun, renderDryRun } = await import('../verify/test-plan.js');
  const targets = hostedTargets(state, codex, selectNames(state, names, false), ctx.env);
  const ask = canPrompt() && !ctx.opts.json && !ctx.opts.dryRun ? await confirmer() : undefined;
  const allowed = await hostedConsent(targets, Boolean(args.includeHosted), ask);
  const refused = targets.filter((t) => !allowed.has(t.name));
  if (names.length > 0 && refused.length === new Set(names).size && !ctx.opts.dryRun) {
    early.abort();
    throw new CliError(
      `Not testing: ${refused.map((t) => `${t.name} sends its prompt to ${t.label}`).join('; ')}. Nothing was sent.`,
      EXIT_USAGE,
      `A prompt goes to a hosted profile only when you ask for it: pass ${HOSTED_FLAG}` + (ask ? '.' : ' (there is no terminal to ask on).'),
      'HOSTED_NOT_ALLOWED',
    );
  }

  if (ctx.opts.dryRun) {
    early.abort();
    const entries = planDryRun(state, codex, selectNames(state, names, args.all), ctx.env, (n) => Boolean(args.includeHosted) || allowed.has(n), Boolean(args.tools));
    if (ctx.opts.json) {
      ctx.out.json({ ok: true, dryRun: true, codex: { bin: codex.bin, version: codex.version, layout: codex.layout, profileV2: codex.profileV2 }, codexHome: state.home, timeoutMs, results: entries });
    } else {
      ctx.out.line(renderDryRun(entries));
    }
    return EXIT_OK;
  }

  const live = new LiveProgress({
    enabled: progressEnabled({ json: ctx.opts.json, stream: process.stderr, env: ctx.env }),
    color: colorEnabled(ctx.env, ctx.opts.color),
  });
  const plainLog = !ctx.opts.json && !live.enabled;
  const header = `${eraLabel(codex)}, CODEX_HOME ${state.home}`;
  if (!ctx.opts.json) ctx.out.note(`Testing with ${header}`);
  let report: SmokeReport;
  const interrupt = catchInterrupt(() => {
    // The live block counts the lines it drew: a note printed under it would be left behind.
    live.stop();
    if (!ctx.opts.json) ctx.out.note('Interrupted: stopping codex...');
  });
  try {
    report = await runSmoke({
      state,
      codex,
      env: ctx.env,
      names,
      all: Boolean(args.all),
      includeHosted: Boolean(args.includeHosted),
      tools: Boolean(args.tools),
      hostedAllowed: allowed,
      signal: interrupt.signal,
      timeoutMs,
      probes,
      progress: {
        start: (r) => live.start(r.name, `${r.name}  ${[r.provider, r.model].filter(Boolean).join(' ')}`),
        end: (r) => {
          live.finish(r.name, finishedLine(r));
          if (plainLog) ctx.out.note(finishedLine(r));
        },
      },
    });
  } finally {
    interrupt.dispose();
    live.stop();
    early.abort();
  }
  // A managed config that pins the provider or model explains a failure (issue 13).
  const { readAdminPins } = await import('../codex/admin-pins.js');
  const { explainAdminPins } = await import('../verify/smoke-explain.js');
  report = { ...report, results: explainAdminPins(report.results, readAdminPins(ctx.env).pins) };

  if (ctx.opts.json) {
    ctx.out.json({
      ok: report.ok && !report.interrupted,
      ...(report.interrupted ? { interrupted: true } : {}),
      codex: { bin: codex.bin, version: codex.version, layout: codex.layout, profileV2: codex.profileV2 },
      codexHome: state.home,
      timeoutMs,
      results: report.results,
      summary: report.summary,
      durationMs: report.durationMs,
    });
  } else {
    ctx.out.line(renderSmokeReport(report));
  }
  if (report.interrupted) return EXIT_INTERRUPTED;
  return report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
}

async function confirmer(): Promise<(message: string) => Promise<boolean>> {
  const { confirm } = await import('@inquirer/prompts');
  return (message) => confirm({ message, default: false });
}

/**
 * Hand over to `codex-profiles test` in this process (setup's smoke test, the --oss check after
 * setup or default): `run` gets the context `test` would get from the same global flags (no
 * --json, no --dry-run), and its errors are reported as main() reports them.
 */
export async function handOverToTest(ctx: CommandContext, run: (testCtx: CommandContext) => Promise<number>): Promise<number> {
  const testCtx = makeContext({ codexHome: ctx.opts.codexHome, codexBin: ctx.opts.codexBin, json: false, color: ctx.opts.color }, ctx.env);
  try {
    return await run(testCtx);
  } catch (err) {
    const { reportError } = await import('../report-error.js');
    return reportError(err, []);
  }
}
