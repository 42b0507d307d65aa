/**
 * What `test` (and audit's smoke part) would do, without doing it: `--dry-run` runs no codex
 * and sends nothing — not even the read-only probes — and prints, per profile, the provider, the
 * model, the exact `codex exec` command line and where the prompt would go (issue 11). Also the
 * hosted targets a command names, for the one consent rule (src/route/hosted-consent.ts).
 */
import os from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import type { CodexInfo } from '../codex/detect.js';
import { buildExecArgs } from '../codex/exec.js';
import type { HomeState } from '../config/profiles.js';
import { destinationLabel, HOSTED_FLAG, whereTo } from '../route/hosted-consent.js';
import { canRun } from '../codex/can-run.js';
import { toolCallPrompt, TOOL_CALL_ARGS } from './tool-call.js';
import { noRetryArgs, SMOKE_PROMPT } from './smoke.js';
import { asSkip } from './smoke-preflight.js';
import { showCommand } from '../system/shell-word.js';

export interface DryRunEntry {
  name: string;
  /** `would-run`; `not-run` (hosted, no consent); `skipped` (codex would not be started). */
  status: 'would-run' | 'not-run' | 'skipped';
  code?: string;
  message?: string;
  provider?: string;
  model?: string;
  providerUrl?: string;
  hosted?: boolean;
  destination?: { kind: string; place: string; label: string };
  /** The program and its arguments, exactly as they would be started (the -o file is a new temporary folder). */
  command?: string[];
  /** With --tools: the tool-call check's command line (its cwd holds one `nonce-XXXX.txt`). */
  toolCallCommand?: string[];
}

/** Named profiles whose prompts would leave this machine, with the words for the question. */
export function hostedTargets(state: HomeState, codex: CodexInfo, names: readonly string[], env: NodeJS.ProcessEnv): Array<{ name: string; label: string }> {
  const out: Array<{ name: string; label: string }> = [];
  for (const name of names) {
    // Only what would run: a profile the run skips anyway (no such profile, an unknown provider)
    // is reported as skipped, not asked about.
    const v = canRun(state, codex, name, env);
    const p = v.provider;
    if (p && v.problems.length === 0 && p.hosted) out.push({ name, label: destinationLabel({ provider: p.id, model: p.model, baseUrl: p.baseUrl, hosted: true }) });
  }
  return out;
}

export function planDryRun(
  state: HomeState,
  codex: CodexInfo,
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  hostedOk: (name: string) => boolean,
  tools = false,
): DryRunEntry[] {
  const outputFile = path.join(os.tmpdir(), 'codex-profiles-exec-XXXXXX', 'last-message.txt');
  return names.map((name): DryRunEntry => {
    // The same verdict the run's pre-flight uses (prepare, smoke-preflight.ts): canRun.
    const v = canRun(state, codex, name, env);
    const chosen = v.selection;
    if (!chosen) {
      const s = asSkip(v.problems[0]!);
      return { name, status: 'skipped', code: s.code, message: s.message };
    }
    const p = v.provider!;
    const w = whereTo({ provider: p.id, model: p.model, baseUrl: p.baseUrl, hosted: p.hosted });
    const entry: DryRunEntry = {
      name,
      status: 'would-run',
      provider: p.id,
      ...(p.model !== undefined ? { model: p.model } : {}),
      ...(p.baseUrl !== undefined ? { providerUrl: p.baseUrl } : {}),
      hosted: p.hosted,
      destination: { ...w, label: destinationLabel({ provider: p.id, model: p.model, baseUrl: p.baseUrl, hosted: p.hosted }) },
    };
    const problem = v.problems[0];
    if (problem) {
      const s = asSkip(problem);
      return { ...entry, status: 'skipped', code: s.code, message: s.message };
    }
    if (p.hosted && !hostedOk(name)) {
      return { ...entry, status: 'not-run', code: 'hosted', message: `hosted: ${p.reason}; not run without ${HOSTED_FLAG}.` };
    }
    const args = buildExecArgs(codex, { profile: name, outputFile, prompt: SMOKE_PROMPT, extraArgs: noRetryArgs(p), profileV2: chosen.profileV2 });
    entry.command = [codex.bin ?? 'codex', ...args];
    if (tools) {
      // The real nonce is drawn at run time; the dry run shows the shape.
      const prompt = toolCallPrompt({ file: 'nonce-XXXX.txt', value: '' });
      const extraArgs = [...noRetryArgs(p), ...TOOL_CALL_ARGS];
      entry.toolCallCommand = [codex.bin ?? 'codex', ...buildExecArgs(codex, { profile: name, outputFile, prompt, extraArgs, profileV2: chosen.profileV2 })];
    }
    return entry;
  });
}


export function renderDryRun(entries: readonly DryRunEntry[]): string {
  const lines = ['Dry run: codex was not started and no prompt was sent. It would run:', ''];
  if (entries.length === 0) lines.push('No profiles to test.');
  for (const e of entries) {
    const where = e.destination ? `  ${e.destination.label}` : '';
    if (e.status === 'would-run') {
      lines.push(`${chalk.bold(e.name)}${where}`);
      lines.push(`  ${showCommand(e.command ?? [])}`);
      if (e.toolCallCommand) lines.push('  then the tool-call check, in a temporary folder holding nonce-XXXX.txt:', `  ${showCommand(e.toolCallCommand)}`);
    } else {
      lines.push(`${chalk.bold(e.name)}: ${e.status === 'not-run' ? 'would not run' : 'would be skipped'} (${e.code}): ${e.message ?? ''}${where ? `\n${where}` : ''}`);
    }
  }
  return lines.join('\n');
}
