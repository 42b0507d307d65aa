/**
 * `codex-profiles compare`: the same prompt through several profiles (src/route/compare.ts: the
 * checks, privacy decision, verification and report; src/route/compare-plan.ts: --dry-run and
 * the hosted rule), the answers saved to a folder and diffed.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import { detectCodex } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import { runCodexExec, type ExecResult } from '../codex/exec.js';
import { loadHome } from '../config/profiles.js';
import { canPrompt, type CommandContext } from '../context.js';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { CODEX_INSTALL_FIX, codexMissingReason } from '../diagnostics.js';
import { classify } from '../route/classify.js';
import { summarizeAnswers } from '../route/answer-summary.js';
import { adhocExecArgs, adhocProfile, guardLocalTargets, parseAdhocTargets, tooFewTargets, type AdhocTarget } from '../route/compare.js';
import {
  answerFileText,
  buildDiffs,
  decidePrivacy,
  findProfiles,
  formatSeconds,
  parseProfileList,
  planLanes,
  previewLines,
  readPrompt,
  refuseInvalidToml,
  renderReport,
  verifyRun,
  type CompareDeps,
  type CompareFailure,
  type CompareOptions,
  type CompareReport,
  type PlannedRun,
  type RunReport,
} from '../route/compare.js';
import { judgeProfile } from '../route/hosted.js';
import { catchInterrupt, EXIT_INTERRUPTED } from '../ui/interrupt.js';
import { safe } from '../ui/output.js';

export type { CompareDeps, CompareOptions } from '../route/compare.js';

/** Codex's own folders: answers are never saved there (Codex reads every *.config.toml in them). */
function insideCodexHome(dir: string, codexHome: string): string | undefined {
  for (const home of [codexHome, path.join(os.homedir(), '.codex')]) {
    const rel = path.relative(path.resolve(home), dir);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return home;
  }
  return undefined;
}

async function prepareOutDir(out: string | undefined, codexHome: string): Promise<string> {
  if (out === undefined) return fs.mkdtemp(path.join(os.tmpdir(), 'codex-profiles-compare-'));
  if (out.trim() === '') throw new UsageError('--out needs a folder.');
  const dir = path.resolve(out);
  const home = insideCodexHome(dir, codexHome);
  if (home !== undefined) throw new UsageError(`--out ${dir} is inside ${home}, Codex's own folder: save the answers elsewhere.`);
  try {
    await fs.mkdir(dir, { recursive: true });
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await fs.access(dir, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'it is not a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String((err as Error).message);
    throw new UsageError(`Cannot write answers to ${dir}: ${why}.`);
  }
  return dir;
}

function defaultProgress(): (line: string) => void {
  return process.stderr.isTTY ? (line) => process.stderr.write(chalk.dim(safe(line)) + '\n') : () => undefined;
}

export async function runCompare(ctx: CommandContext, opts: CompareOptions, deps: CompareDeps = {}): Promise<number> {
  const extra = (opts.local?.length ?? 0) + (opts.hosted?.length ?? 0);
  if (extra === 0 && opts.profiles.every((p) => p.trim() === '')) throw tooFewTargets(0);
  const profileNames = extra === 0 || opts.profiles.length > 0 ? parseProfileList(opts.profiles, Math.max(0, 2 - extra)) : [];
  let adhoc: AdhocTarget[] = parseAdhocTargets(opts.local ?? [], opts.hosted ?? [], profileNames);
  if (profileNames.length + adhoc.length < 2) throw tooFewTargets(profileNames.length + adhoc.length);
  const names = [...profileNames, ...adhoc.map((t) => t.name)];
  if (!Number.isFinite(opts.timeoutSeconds) || opts.timeoutSeconds <= 0) {
    throw new UsageError('--timeout needs a number of seconds greater than 0.');
  }
  const { text: prompt, source } = await readPrompt(opts);

  const codex = await (deps.detect ?? detectCodex)({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env) });
  if (!codex.found) {
    throw new CliError(`Cannot compare: ${codexMissingReason(codex.warnings[0])}`, EXIT_USAGE, CODEX_INSTALL_FIX, 'CODEX_NOT_FOUND');
  }
  for (const w of codex.warnings) ctx.out.warn(w);

  const state = await loadHome(ctx.opts.codexHome);
  const profiles = findProfiles(state, codex, profileNames);
  refuseInvalidToml(state, profiles);
  // The no-download guard: GET requests only, before any prompt goes anywhere.
  const guarded = await guardLocalTargets(adhoc, { env: ctx.env, timeoutMs: 3000 });
  adhoc = guarded.targets;
  const judged = [
    ...profiles.map((p) => ({ profile: p, judgement: judgeProfile(state, p, ctx.env), adhoc: undefined })),
    ...adhoc.map((t) => {
      const p = adhocProfile(state, t);
      return { profile: p, judgement: judgeProfile(state, p, ctx.env), adhoc: t };
    }),
  ];

  const classification = classify(prompt);
  const decision = decidePrivacy({
    prompt,
    classification,
    profiles: judged.map(({ profile, judgement }) => ({ name: profile.name, hosted: judgement.hosted, reason: judgement.reason, locality: judgement.locality })),
    allowHosted: opts.allowHosted,
    redact: opts.redact,
  });
  if (decision.action === 'refuse') throw new CliError(decision.message, EXIT_USAGE, decision.hint, 'HOSTED_NOT_ALLOWED');
  for (const { profile, judgement, adhoc: t } of judged) {
    // `codex exec -m MODEL` follows the base config: say so when that is not a hosted service.
    if (t?.type === 'hosted' && !judgement.hosted) ctx.out.warn(`${t.spec}: ${judgement.reason}, so ${profile.name} runs on this machine, not on a hosted service.`);
  }
  for (const w of decision.warnings) ctx.out.warn(w);
  for (const n of decision.notes) ctx.out.note(n);

  const plans: PlannedRun[] = judged.map(({ profile, judgement, adhoc: target }) => {
    const sent = decision.prompts.get(profile.name) ?? { text: prompt, sent: 'original' as const };
    return { profile: profile.name, layout: profile.layout, path: profile.path, judgement, prompt: sent.text, promptSent: sent.sent, ...(target ? { adhoc: target } : {}) };
  });
  // The one hosted rule (src/route/hosted-consent.ts): the flag, or a yes on a terminal.
  const cp = await import('../route/compare-plan.js');
  const ask = ctx.opts.dryRun || ctx.opts.json ? undefined : deps.ask ?? (canPrompt() ? await confirmer() : undefined);
  const allowed = await cp.allowedHosted(plans, opts.allowHosted, ask);
  const runnable = plans.filter((p) => !p.judgement.hosted || allowed.has(p.profile));
  if (ctx.opts.dryRun) {
    const entries = cp.planCompareDryRun(plans, codex, allowed);
    if (ctx.opts.json) {
      ctx.out.json({ ok: true, dryRun: true, codexHome: ctx.opts.codexHome, codex: { bin: codex.bin ?? null, version: codex.version ?? null, layout: codex.layout }, prompt: { source, verdict: classification.verdict }, localChecks: guarded.checks, runs: entries });
    } else for (const line of cp.renderCompareDryRun(entries)) ctx.out.line(line);
    return EXIT_OK;
  }
  if (runnable.length === 0) {
    throw new CliError(
      `Not comparing: ${plans.map((p) => `${p.profile} sends the prompt to ${cp.labelOf(p)}`).join('; ')}. Nothing was sent.`,
      EXIT_USAGE,
      `A prompt goes to a hosted profile only when you ask for it: pass --include-hosted${ask ? '.' : ' (there is no terminal to ask on).'}`,
      'HOSTED_NOT_ALLOWED',
    );
  }
  for (const p of plans) if (!runnable.includes(p)) ctx.out.warn(`${p.profile} not run: ${cp.notAllowedFailure(p).message} ${cp.notAllowedFailure(p).fix}`);

  const outDir = await prepareOutDir(opts.out, ctx.opts.codexHome);

  const exec = deps.exec ?? runCodexExec;
  const progress = deps.progress ?? defaultProgress();
  const timeoutMs = Math.round(opts.timeoutSeconds * 1000);
  const results = new Map<string, RunReport>();

  const interrupt = catchInterrupt(() => {
    if (!ctx.opts.json) ctx.out.note('Interrupted: stopping codex...');
  });
  const notRun = (plan: PlannedRun, failure: CompareFailure): void => {
    const j = plan.judgement;
    results.set(plan.profile, {
      profile: plan.profile, layout: plan.layout, path: plan.path, provider: j.provider, model: j.model ?? null, hosted: j.hosted, hostedReason: j.reason,
      promptSent: plan.promptSent, status: 'not-run', durationMs: 0, exitCode: null, timedOut: false, reportedProvider: null, reportedModel: null, answer: null, file: null, failure,
    });
  };
  const stopped = (plan: PlannedRun): void => notRun(plan, { code: 'interrupted', message: 'interrupted (Ctrl-C); codex was stopped or not started.' });
  for (const p of plans) if (!runnable.includes(p)) notRun(p, cp.notAllowedFailure(p));

  const runOne = async (plan: PlannedRun): Promise<void> => {
    const { judgement } = plan;
    if (interrupt.interrupted) return stopped(plan);
    progress(`${plan.profile}: running (${judgement.hosted ? 'hosted' : 'local'}, ${judgement.provider}${judgement.model ? ` / ${judgement.model}` : ''})...`);
    let result: ExecResult;
    try {
      // A profile runs with -p and the approved provider pinned; an ad-hoc target with the guide's flags.
      const route = plan.adhoc
        ? { extraArgs: adhocExecArgs(plan.adhoc) }
        : { profile: plan.profile, pin: { provider: judgement.provider, model: judgement.model } };
      result = await exec({ codex, codexHome: ctx.opts.codexHome, ...route, prompt: plan.prompt, timeoutMs, env: ctx.env, signal: interrupt.signal, hosted: judgement.hosted });
    } catch (err) {
      // Not expected (runCodexExec reports failures as results); keep the other runs' answers.
      const message = `could not run codex: ${err instanceof Error ? err.message : String(err)}`;
      result = { ok: false, exitCode: null, timedOut: false, stderr: '', stdout: '', durationMs: 0, args: [], failure: { code: 'unknown', message } };
    }
    if (result.aborted) return stopped(plan);
    const failure = verifyRun(plan, result);
    const answer = result.finalMessage !== undefined && result.finalMessage.trim() !== '' ? result.finalMessage : null;
    let file: string | null = null;
    if (!failure && answer !== null) {
      file = path.join(outDir, `${plan.profile}.md`);
      await fs.writeFile(file, answerFileText(answer), 'utf8');
    }
    results.set(plan.profile, {
      profile: plan.profile,
      layout: plan.layout,
      path: plan.path,
      provider: judgement.provider,
      model: judgement.model ?? null,
      hosted: judgement.hosted,
      hostedReason: judgement.reason,
      promptSent: plan.promptSent,
      status: failure ? 'failed' : 'ok',
      durationMs: result.durationMs,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      reportedProvider: result.reportedProvider ?? null,
      reportedModel: result.reportedModel ?? null,
      answer,
      file,
      failure,
    });
    progress(`${plan.profile}: ${failure ? `failed (${failure.code})` : 'answered'} in ${formatSeconds(result.durationMs)}`);
  };

  const byName = new Map(plans.map((p) => [p.profile, p]));
  const lanes = planLanes(runnable);
  try {
    await Promise.all(
      lanes.map(async (lane) => {
        for (const name of lane) await runOne(byName.get(name)!);
      }),
    );
  } finally {
    interrupt.dispose();
  }

  const runs = names.map((n) => {
    const r = results.get(n)!;
    const t = byName.get(n)!.adhoc;
    const target = t ? { type: t.type, spec: t.spec, ...(t.type === 'local' ? { localProvider: t.kind } : {}) } : { type: 'profile' as const, spec: `--profiles ${n}` };
    return { ...r, target, preview: r.answer === null ? [] : previewLines(r.answer, 2).slice(0, 2) };
  });
  const diffs = buildDiffs(runs);
  const answerOf = (name: string) => ({ name, answer: runs.find((r) => r.profile === name)?.answer ?? '' });
  const report: CompareReport = {
    ok: runs.every((r) => r.status !== 'failed') && !interrupt.interrupted,
    ...(interrupt.interrupted ? { interrupted: true } : {}),
    codexHome: ctx.opts.codexHome,
    codex: { bin: codex.bin ?? null, version: codex.version ?? null, layout: codex.layout },
    prompt: {
      text: prompt,
      source,
      verdict: classification.verdict,
      reasons: classification.reasons,
      findings: classification.findings,
      redacted: decision.redacted,
    },
    outDir,
    runs,
    diffs,
    summaries: diffs.map((d) => summarizeAnswers(answerOf(d.from), answerOf(d.to))),
    localChecks: guarded.checks,
  };
  const jsonFile = path.join(outDir, 'compare.json');
  await fs.writeFile(jsonFile, JSON.stringify(report, null, 2) + '\n', 'utf8');
  const saved = [...runs.filter((r) => r.file !== null).map((r) => `${r.profile}.md`), 'compare.json'];

  if (ctx.opts.json) ctx.out.json(report);
  else for (const line of renderReport(report, saved)) ctx.out.line(line);
  if (report.interrupted) return EXIT_INTERRUPTED;
  return report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
}

async function confirmer(): Promise<(message: string) => Promise<boolean>> {
  const { confirm } = await import('@inquirer/prompts');
  return (message) => confirm({ message, default: false });
}
