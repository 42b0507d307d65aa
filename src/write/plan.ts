import type { ApplyResult, FileChange } from './safe-write.js';

/**
 * What a command will change, computed before anything is written. `--dry-run`, the wizard's
 * confirmation and `--yes` all look at the same plan; only `applyPlan` writes.
 */
export interface Plan {
  home: string;
  changes: FileChange[];
  /** One line per change, for people ("add profile gpt-oss-20b (file)"). */
  summary: string[];
  /** Things the person should know that are not file changes. */
  warnings: string[];
}

export function emptyPlan(home: string): Plan {
  return { home, changes: [], summary: [], warnings: [] };
}

/** Real changes only (text differs). */
export function effectiveChanges(plan: Plan): FileChange[] {
  return plan.changes.filter((c) => c.before !== c.after);
}

/** Add or fold a change to the same file into the plan (later edits build on earlier ones). */
export function putChange(plan: Plan, change: FileChange): void {
  const existing = plan.changes.find((c) => c.path === change.path);
  if (existing) existing.after = change.after;
  else plan.changes.push(change);
}

/** The text a file will have once the plan's earlier changes are applied. */
export function plannedText(plan: Plan, file: string, current: string | null): string | null {
  const existing = plan.changes.find((c) => c.path === file);
  return existing ? existing.after : current;
}

/** Writes the plan. The writer (lock, atomic replace) is loaded only now: --dry-run never needs it. */
export async function applyPlan(plan: Plan): Promise<ApplyResult> {
  const { applyChanges } = await import('./safe-write.js');
  return applyChanges(plan.home, effectiveChanges(plan));
}
