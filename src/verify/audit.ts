/**
 * `codex-profiles audit`: static checks over config.toml and every profile, then (unless
 * `--no-smoke`) the smoke test of every local profile. Rules are data (`AUDIT_RULES`): an id, a
 * severity, what it checks, and a function returning findings with file, line and fix.
 *
 * Severities (docs/checks.md):
 * - `error`: codex refuses the config, or the profile cannot work (or silently runs something
 *   else). Any error makes the exit code 1.
 * - `warn`: it runs, but something is risky or degraded (prompts cross the network, a small
 *   context, a server that does not answer right now).
 * - `info`: worth knowing; nothing to fix.
 * Invalid TOML is reported as a finding too, and makes the exit code 2 (a config error).
 */
import { AUDIT_RULES } from './audit-rules.js';
import { findingPlace, type AuditContext, type AuditRule, type Finding, type Severity } from './audit-types.js';

// The pieces live by role (rules, context, report); callers keep importing audit.js.
export * from './audit-types.js';
export { AUDIT_RULES } from './audit-rules.js';
export { buildAuditContext } from './audit-context.js';
export * from './audit-report.js';


/** Runs the rules (all by default) and orders findings: errors first, then by file and line. */
export function runRules(ctx: AuditContext, rules: AuditRule[] = AUDIT_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const d of rule.check(ctx)) {
      const f: Finding = { rule: rule.id, code: rule.id, severity: d.severity ?? rule.severity, file: d.file, message: d.message, fix: d.fix };
      if (d.line !== undefined) f.line = d.line;
      if (d.column !== undefined) f.column = d.column;
      if (d.profile !== undefined) f.profile = d.profile;
      f.place = findingPlace(f);
      findings.push(f);
    }
  }
  const rank: Record<Severity, number> = { error: 0, warn: 1, info: 2 };
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.f.file.localeCompare(b.f.file) || (a.f.line ?? 0) - (b.f.line ?? 0) || a.i - b.i)
    .map((x) => x.f);
}
