/**
 * `codex-profiles audit`: the static rules (src/verify/audit.ts) over the config and the servers
 * it names, then (unless --no-smoke) the smoke test, merged into one list of findings.
 */
import { detectCodex } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import { loadHome } from '../config/profiles.js';
import type { CommandContext } from '../context.js';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE } from '../errors.js';
import { readAdminPins } from '../codex/admin-pins.js';
import { localityText, profileDestination, verdictOf } from '../codex/destination.js';
import { buildAuditContext, renderFindings, runRules, smokeFindings, summarizeFindings, type AuditReport, type Finding, type Severity } from '../verify/audit.js';
import { ProbeCache, probeServer, type ProbeFn } from '../verify/probe.js';
import { runSmoke, selectNames, type SmokeReport } from '../verify/smoke.js';
import { catchInterrupt, EXIT_INTERRUPTED } from '../ui/interrupt.js';
import { colorEnabled, LiveProgress, progressEnabled } from '../ui/progress.js';
import { eraLabel, finishedLine, parseTimeoutSeconds, renderSmokeReport } from './test.js';

export interface AuditArgs {
  smoke?: boolean;
  /** The tool-call check in the smoke test (default on; `--no-tools` skips it). */
  tools?: boolean;
  timeout?: number | string;
}

export async function runAudit(args: AuditArgs, ctx: CommandContext, deps: { probe?: ProbeFn } = {}): Promise<number> {
  const timeoutMs = parseTimeoutSeconds(args.timeout);
  const [state, codex] = await Promise.all([loadHome(ctx.opts.codexHome), detectCodex({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env) })]);
  for (const w of codex.warnings) ctx.out.warn(w);
  const cache = new ProbeCache(deps.probe ?? ((url, kind) => probeServer(url, kind, { env: ctx.env })));
  const probe: ProbeFn = (url, kind) => cache.get(url, kind);
  const actx = await buildAuditContext(state, codex, ctx.env, probe);
  actx.adminPins = readAdminPins(ctx.env);
  // Where each profile's prompts go (issue 13): in --json and above the findings.
  const localities = actx.profiles.map(({ profile }) => ({ name: profile.name, locality: verdictOf(profileDestination(state, profile, ctx.env)) }));
  const statics = runRules(actx);

  let smoke: SmokeReport | null = null;
  const wantSmoke = args.smoke !== false;
  const smokeBlocked = state.errors.length > 0 ? 'the config is not valid TOML' : !codex.found ? 'codex was not found' : undefined;
  if (wantSmoke && smokeBlocked && !ctx.opts.json) ctx.out.note(`Smoke test skipped: ${smokeBlocked}.`);
  // --dry-run: the smoke test is shown, not run (no codex, no prompt).
  const { planDryRun, renderDryRun } = await import('../verify/test-plan.js');
  const smokePlan = wantSmoke && !smokeBlocked && ctx.opts.dryRun ? planDryRun(state, codex, selectNames(state, undefined, true), ctx.env, () => false, args.tools !== false) : undefined;
  if (wantSmoke && !smokeBlocked && !smokePlan) {
    const live = new LiveProgress({
      enabled: progressEnabled({ json: ctx.opts.json, stream: process.stderr, env: ctx.env }),
      color: colorEnabled(ctx.env, ctx.opts.color),
    });
    const interrupt = catchInterrupt(() => {
      // The live block counts the lines it drew: a note printed under it would be left behind.
      live.stop();
      if (!ctx.opts.json) ctx.out.note('Interrupted: stopping codex...');
    });
    try {
      smoke = await runSmoke(
        {
          state,
          codex,
          env: ctx.env,
          all: true,
          includeHosted: false,
          tools: args.tools !== false,
          signal: interrupt.signal,
          timeoutMs,
          progress: {
            start: (r) => live.start(r.name, `smoke test: ${r.name}  ${[r.provider, r.model].filter(Boolean).join(' ')}`),
            end: (r) => live.finish(r.name, finishedLine(r)),
          },
        },
        { probe },
      );
    } finally {
      interrupt.dispose();
      live.stop();
    }
  }
  const findings = smoke ? runRulesMerge(statics, smokeFindings(smoke, statics, state.configPath)) : statics;
  const summary = summarizeFindings(findings);
  const report: AuditReport = { ok: summary.error === 0, findings, smoke, summary };

  if (ctx.opts.json) {
    ctx.out.json({
      ...report,
      codex: { found: codex.found, bin: codex.bin, version: codex.version, layout: codex.layout, profileV2: codex.profileV2 },
      codexHome: state.home,
      profiles: localities,
      ...(smokePlan ? { smokeDryRun: smokePlan } : {}),
      ...(smoke?.interrupted ? { interrupted: true } : {}),
    });
  } else {
    ctx.out.line(`Audit of ${state.home} with ${codex.found ? eraLabel(codex) : 'no codex found (assuming profile files)'}`);
    for (const p of localities) ctx.out.line(`  ${p.name}: prompts go to ${localityText(p.locality)}`);
    ctx.out.line('');
    ctx.out.line(renderFindings(findings));
    if (smoke) {
      ctx.out.line('');
      ctx.out.line('Smoke test:');
      ctx.out.line(renderSmokeReport(smoke));
    }
    if (smokePlan) {
      ctx.out.line('');
      ctx.out.line('Smoke test:');
      ctx.out.line(renderDryRun(smokePlan));
    }
    ctx.out.line('');
    ctx.out.line(`${summary.error} error${summary.error === 1 ? '' : 's'}, ${summary.warn} warning${summary.warn === 1 ? '' : 's'}, ${summary.info} note${summary.info === 1 ? '' : 's'}`);
  }
  if (state.errors.length > 0) return EXIT_USAGE;
  if (smoke?.interrupted) return EXIT_INTERRUPTED;
  return report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
}

function runRulesMerge(statics: Finding[], extra: Finding[]): Finding[] {
  const rank: Record<Severity, number> = { error: 0, warn: 1, info: 2 };
  return [...statics, ...extra].map((f, i) => ({ f, i })).sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i).map((x) => x.f);
}
