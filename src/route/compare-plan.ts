/**
 * compare's share of the one hosted rule and of --dry-run (issue 11): which hosted profiles may
 * be sent the prompt, and what would run, shown without running it.
 */
import os from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import type { CodexInfo } from '../codex/detect.js';
import { buildExecArgs } from '../codex/exec.js';
import { showCommand } from '../system/shell-word.js';
import { destinationLabel, HOSTED_FLAG, hostedConsent, whereTo } from './hosted-consent.js';
import { adhocExecArgs } from './compare-adhoc.js';
import type { PlannedRun } from './compare.js';

export function labelOf(plan: PlannedRun): string {
  const j = plan.judgement;
  return destinationLabel({ provider: j.provider, model: j.model, baseUrl: j.baseUrl, hosted: j.hosted });
}

/** The hosted profiles that may be sent the prompt: all with the flag, else those a person said yes to. */
export async function allowedHosted(plans: readonly PlannedRun[], flag: boolean, ask: ((m: string) => Promise<boolean>) | undefined): Promise<Set<string>> {
  const hosted = plans.filter((p) => p.judgement.hosted).map((p) => ({ name: p.profile, label: labelOf(p) }));
  return hostedConsent(hosted, flag, ask);
}

export function notAllowedFailure(plan: PlannedRun): { code: 'HOSTED_NOT_ALLOWED'; message: string; fix: string } {
  return {
    code: 'HOSTED_NOT_ALLOWED',
    message: `${plan.profile} would send the prompt to ${labelOf(plan)}; not sent without consent.`,
    fix: `Pass ${HOSTED_FLAG} (or answer yes on a terminal).`,
  };
}

export interface CompareDryRun {
  profile: string;
  status: 'would-run' | 'not-run';
  provider: string;
  model: string | null;
  hosted: boolean;
  destination: { kind: string; place: string; label: string };
  promptSent: 'original' | 'redacted';
  command: string[] | null;
  /** `--profiles NAME`, `--local KIND:MODEL` or `--hosted MODEL`. */
  target: string;
}

export function planCompareDryRun(plans: readonly PlannedRun[], codex: CodexInfo, allowed: ReadonlySet<string>): CompareDryRun[] {
  const outputFile = path.join(os.tmpdir(), 'codex-profiles-exec-XXXXXX', 'last-message.txt');
  return plans.map((p) => {
    const j = p.judgement;
    const runs = !j.hosted || allowed.has(p.profile);
    return {
      profile: p.profile,
      status: runs ? 'would-run' : 'not-run',
      provider: j.provider,
      model: j.model ?? null,
      hosted: j.hosted,
      destination: { ...whereTo({ provider: j.provider, model: j.model, baseUrl: j.baseUrl, hosted: j.hosted }), label: labelOf(p) },
      promptSent: p.promptSent,
      command: runs ? [codex.bin ?? 'codex', ...buildExecArgs(codex, p.adhoc ? { outputFile, prompt: p.prompt, extraArgs: adhocExecArgs(p.adhoc) } : { profile: p.profile, outputFile, prompt: p.prompt })] : null,
      target: p.adhoc?.spec ?? `--profiles ${p.profile}`,
    };
  });
}

export function renderCompareDryRun(entries: readonly CompareDryRun[]): string[] {
  const lines = ['Dry run: codex was not started and the prompt was not sent. It would run:', ''];
  for (const e of entries) {
    lines.push(`${chalk.bold(e.profile)}  ${e.destination.label}${e.promptSent === 'redacted' ? ', the redacted copy' : ''}`);
    lines.push(e.command ? `  ${showCommand(e.command)}` : `  would not run: hosted, pass ${HOSTED_FLAG}`);
  }
  return lines;
}
