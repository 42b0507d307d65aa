/**
 * compare's output: answer previews, the saved answer text, diffs, and the human report.
 */
import chalk from 'chalk';
import { createTwoFilesPatch } from 'diff';
import { colorDiff } from '../ui/diff.js';
import { renderSummary } from './answer-summary.js';
import { renderTable } from '../ui/table.js';
import type { CompareReport, DiffReport, RunReport } from './compare-types.js';

/** Lines of each answer shown in the human output. */
export const PREVIEW_LINES = 6;
const PREVIEW_WIDTH = 160;

// ------------------------------------------------------------------------------------ output

/** The first lines of an answer, each cut to a readable width. */
export function previewLines(text: string, maxLines = PREVIEW_LINES, width = PREVIEW_WIDTH): string[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const shown = lines.slice(0, maxLines).map((l) => ([...l].length > width ? `${[...l].slice(0, width - 1).join('')}…` : l));
  if (lines.length > maxLines) shown.push(`… (${lines.length - maxLines} more line${lines.length - maxLines === 1 ? '' : 's'})`);
  return shown;
}

/** Text as saved in NAME.md: the answer with one final newline. */
export function answerFileText(answer: string): string {
  return answer.replace(/\r?\n$/, '') + '\n';
}

/** A unified diff `A.md` -> `B.md` of two answers ('' when they are the same). */
export function answerDiff(from: { profile: string; answer: string }, to: { profile: string; answer: string }): DiffReport {
  const a = answerFileText(from.answer);
  const b = answerFileText(to.answer);
  if (a === b) return { from: from.profile, to: to.profile, identical: true, patch: '' };
  const patch = createTwoFilesPatch(`${from.profile}.md`, `${to.profile}.md`, a, b, undefined, undefined, { context: 3 })
    // The "=====" banner line adds nothing to a two-file diff.
    .replace(/^=+\n/, '');
  return { from: from.profile, to: to.profile, identical: false, patch };
}

/** Diffs between the answered runs: the first answered profile against each other one. */
export function buildDiffs(runs: readonly RunReport[]): DiffReport[] {
  const answered = runs.filter((r) => r.status === 'ok' && r.answer !== null) as Array<RunReport & { answer: string }>;
  const [first, ...rest] = answered;
  if (!first) return [];
  return rest.map((r) => answerDiff(first, r));
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The human report (stdout), as lines. */
export function renderReport(report: CompareReport, savedFiles: readonly string[]): string[] {
  const lines: string[] = [];
  const verdict = report.prompt.verdict === 'local' ? chalk.yellow('local') : chalk.green('hosted');
  lines.push(`Prompt: ${verdict}${report.prompt.verdict === 'hosted' ? ' (no sensitive content found by the rule set)' : ''}`);
  lines.push('');
  lines.push(
    renderTable(
      ['PROFILE', 'WHERE', 'PROVIDER', 'MODEL', 'STATUS', 'TIME'],
      report.runs.map((r) => [
        r.profile,
        r.hosted ? (r.promptSent === 'redacted' ? 'hosted (redacted)' : 'hosted') : 'local',
        r.provider,
        r.model ?? '(default)',
        r.status === 'ok' ? chalk.green('ok') : r.status === 'not-run' ? chalk.dim(`not run: ${r.failure?.code ?? ''}`) : chalk.red(`failed: ${r.failure?.code ?? 'unknown'}`),
        formatSeconds(r.durationMs),
      ]),
    ),
  );
  for (const r of report.runs) {
    lines.push('');
    lines.push(chalk.bold(`== ${r.profile} ==`));
    if (r.status === 'not-run') {
      lines.push(`  ${r.failure?.message ?? 'not run.'}`);
      if (r.failure?.fix) lines.push(`  fix: ${r.failure.fix}`);
      continue;
    }
    if (r.status === 'failed') {
      lines.push(`  ${chalk.red('error:')} ${r.failure?.message ?? 'codex did not answer.'}`);
      if (r.failure?.fix) lines.push(`  fix: ${r.failure.fix}`);
      if (r.answer === null || r.answer.trim() === '') continue;
      lines.push(chalk.dim('  (its answer, not used:)'));
    }
    for (const l of previewLines(r.answer ?? '')) lines.push(l === '' ? '' : `  ${l}`);
  }
  lines.push('');
  const answered = report.runs.filter((r) => r.status === 'ok').length;
  if (answered < 2) {
    lines.push(answered === 0 ? 'No profile answered: nothing to compare.' : 'Only one profile answered: nothing to compare.');
  } else {
    for (const d of report.diffs) {
      if (d.identical) {
        lines.push(`${d.from} and ${d.to} answered the same.`);
      } else {
        lines.push(chalk.bold(`Diff ${d.from} -> ${d.to}:`));
        lines.push(colorDiff(d.patch.replace(/\n$/, '')));
        const summary = report.summaries?.find((s) => s.from === d.from && s.to === d.to);
        if (summary) lines.push('', ...renderSummary(summary));
      }
      lines.push('');
    }
    if (lines[lines.length - 1] === '') lines.pop();
    lines.push('');
  }
  lines.push(`Saved in ${report.outDir}: ${savedFiles.join(', ')}`);
  if (report.interrupted) lines.push('Interrupted (Ctrl-C): the codex runs in flight were stopped.');
  return lines;
}

