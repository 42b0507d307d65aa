/**
 * The audit's report: smoke-test results as findings, the counts, and the human rendering.
 */
import chalk from 'chalk';
import { runCodeOf } from '../codex/can-run.js';
import type { SmokeReport } from './smoke-types.js';
import { findingPlace, type Finding, type Severity } from './audit-types.js';

export interface AuditReport {
  ok: boolean;
  findings: Finding[];
  smoke: SmokeReport | null;
  summary: Record<Severity, number>;
}

/**
 * Smoke-test failures become `smoke-test` errors, except a skip that a static error already
 * explains (for that profile, or for the whole config). A profile whose server is down stays
 * an error here: the audit could not show that it works.
 */
export function smokeFindings(smoke: SmokeReport, statics: Finding[], configPath: string): Finding[] {
  // A static finding explains a skip when both come from the same can-run fact (src/codex/can-run.ts).
  const explained = (name: string, code: string | undefined) =>
    code !== undefined && statics.some((f) => f.severity === 'error' && (f.profile === undefined || f.profile === name) && runCodeOf(f.code) === code);
  return smoke.results
    .filter((r) => r.status === 'fail' || (r.status === 'skipped' && !explained(r.name, r.code)))
    .map((r) => {
      const f: Finding = {
        rule: 'smoke-test',
        code: 'smoke-test',
        severity: 'error',
        file: r.path ?? configPath,
        profile: r.name,
        message: `smoke test ${r.status === 'fail' ? 'failed' : 'could not run'}: ${r.message ?? ''}`,
        fix: r.fix ?? `Run \`codex-profiles test ${r.name}\` for details.`,
      };
      if (r.line !== undefined) f.line = r.line;
      f.place = findingPlace(f);
      return f;
    });
}

export function summarizeFindings(findings: Finding[]): Record<Severity, number> {
  const s: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const f of findings) s[f.severity]++;
  return s;
}

export function renderFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  const colour = (s: Severity) => (s === 'error' ? chalk.red(s.padEnd(5)) : s === 'warn' ? chalk.yellow(s.padEnd(5)) : chalk.dim(s.padEnd(5)));
  // A fix shared by several findings (one server setting for every model) is printed once.
  const firstWith = new Map<string, Finding>();
  return findings
    .map((f) => {
      const where = `${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.column !== undefined ? `:${f.column}` : ''}`;
      const first = firstWith.get(f.fix);
      if (!first) firstWith.set(f.fix, f);
      const fix = first ? `as for ${first.profile ?? first.rule} above` : f.fix;
      return `${colour(f.severity)}  ${chalk.bold(f.rule)}  ${where}\n       ${f.message}\n       fix: ${fix}`;
    })
    .join('\n');
}
