/**
 * The smoke test's verdict on a finished run: did the prompt reach the profile's provider and
 * model, and was the answer exactly OK.
 */
import type { AdminPin } from '../codex/admin-pins.js';
import type { ExecResult } from '../codex/exec.js';
import { judgeAnswer } from './answer.js';
import type { EffectiveProvider } from './provider-of.js';
import type { ToolCallResult } from './tool-call.js';
import { EXPECTED_ANSWER, type SmokeResult, type SmokeStatus, type SmokeSummary } from './smoke-types.js';

// ---------------------------------------------------------------------------------------------
// Verdict

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Judges one finished run (pure: unit-tested). */
export function judgeRun(result: SmokeResult, provider: Pick<EffectiveProvider, 'id' | 'model'>, r: ExecResult): SmokeResult {
  const out: SmokeResult = { ...result, warnings: [...result.warnings] };
  out.args = r.args;
  out.durationMs = r.durationMs;
  out.timedOut = r.timedOut;
  out.exitCode = r.exitCode;
  if (r.finalMessage !== undefined) out.answer = r.finalMessage;
  if (r.reportedProvider !== undefined) out.reportedProvider = r.reportedProvider;
  if (r.reportedModel !== undefined) out.reportedModel = r.reportedModel;
  const setFail = (status: SmokeStatus, code: string, message: string, fix?: string) => {
    out.status = status;
    out.code = code;
    out.message = message;
    if (fix !== undefined) out.fix = fix;
    return out;
  };

  if (r.skipped) return setFail('skipped', r.failure?.code ?? 'unknown', r.failure?.message ?? 'codex was not started.', r.failure?.fix);

  const wrongProvider = r.reportedProvider !== undefined && r.reportedProvider !== provider.id;
  const wrongModel = r.reportedModel !== undefined && provider.model !== undefined && r.reportedModel !== provider.model;
  if (wrongProvider || wrongModel) {
    return setFail(
      'fail',
      'wrong_target',
      `codex used provider \`${r.reportedProvider ?? '?'}\` and model \`${r.reportedModel ?? '?'}\`, but the profile says ` +
        `\`${provider.id}\` and \`${provider.model ?? '(default)'}\`: the prompt went somewhere else.`,
      'Check the profile is where this codex reads it (`codex-profiles audit`), and that nothing overrides model / model_provider.',
    );
  }
  if (r.reportedProvider === undefined && r.reportedModel === undefined && r.exitCode === 0) {
    out.warnings.push('codex printed no provider:/model: lines, so where the prompt went could not be confirmed.');
  }
  if (!r.ok) {
    const f = r.failure ?? { code: 'unknown' as const, message: `codex failed (exit code ${r.exitCode ?? 'none'}).` };
    return setFail('fail', f.code, f.message, f.fix);
  }
  const answer = r.finalMessage ?? '';
  const verdict = judgeAnswer(answer, EXPECTED_ANSWER);
  if (verdict.pass) {
    if (!verdict.exact) out.warnings.push(`the model answered ${JSON.stringify(oneLine(answer))}: counted as "${EXPECTED_ANSWER}" (only case, a trailing period, emphasis or quotes differ).`);
    out.status = 'pass';
    return out;
  }
  return setFail(
    'fail',
    'wrong_answer',
    `the model answered ${JSON.stringify(oneLine(answer))} instead of exactly "${EXPECTED_ANSWER}".`,
    'A model that cannot follow a one-line instruction will not drive Codex well: try a larger or instruction-tuned model.',
  );
}

/** The profile's result with its tool-call check: a failed check fails the profile, with its code. */
export function withToolCall(result: SmokeResult, tc: ToolCallResult): SmokeResult {
  const out: SmokeResult = { ...result, toolCall: tc };
  if (tc.durationMs !== undefined) out.durationMs = (result.durationMs ?? 0) + tc.durationMs;
  if (result.status !== 'pass' || tc.status === 'pass' || tc.status === 'not-run') return out;
  out.status = 'fail';
  out.code = tc.code ?? 'unknown';
  out.message = `tool-call check: ${tc.message ?? tc.code ?? 'failed'}`;
  if (tc.fix !== undefined) out.fix = tc.fix;
  else delete out.fix;
  return out;
}

export function summarize(results: SmokeResult[]): SmokeSummary {
  const s: SmokeSummary = { pass: 0, fail: 0, skipped: 0, notRun: 0 };
  for (const r of results) {
    if (r.status === 'pass') s.pass++;
    else if (r.status === 'fail') s.fail++;
    else if (r.status === 'skipped') s.skipped++;
    else s.notRun++;
  }
  return s;
}

/**
 * A failure an administrator's pin can explain (issue 13): a managed `model_provider` / `model`
 * wins over the profile's, so the prompt went where the pin says. When codex reported the pinned
 * value the pin is the cause; for any other failure it is named as a likely one.
 */
export function explainAdminPins(results: SmokeResult[], pins: readonly AdminPin[]): SmokeResult[] {
  const active = pins.filter((p) => p.overridesProfiles);
  if (active.length === 0) return results;
  return results.map((r) => {
    if (r.status !== 'fail') return r;
    const reported: Record<string, string | undefined> = { model_provider: r.reportedProvider, model: r.reportedModel };
    const proven = active.filter((p) => reported[p.key] === p.value);
    const named = (proven.length > 0 ? proven : active).map((p) => `${p.key} = "${p.value}" (${p.file})`).join(', ');
    const why = proven.length > 0 ? `because the administrator pins ${named}, which Codex uses over the profile's own` : `perhaps because the administrator pins ${named}, which Codex uses over the profile's own`;
    return {
      ...r,
      message: `${r.message ?? 'failed'} This happened ${why}.`,
      fix: `Ask whoever manages this machine to lift the pin (\`codex-profiles doctor\` shows it).${r.fix ? ` Otherwise: ${r.fix}` : ''}`,
    };
  });
}
