import type { CommandContext } from '../context.js';
import { applyPlan, effectiveChanges, type Plan } from '../write/plan.js';
import { canPrompt } from '../context.js';
import { UsageError } from '../errors.js';
import { plural } from '../diagnostics.js';
import type { FileChange } from '../write/safe-write.js';
import { colorDiff, unifiedDiff } from './diff.js';

export interface PlanOutcome {
  applied: boolean;
  dryRun: boolean;
  changed: string[];
  backupId?: string;
  diff: string;
  summary: string[];
  warnings: string[];
}

/**
 * The one path every writing command ends in: show the plan (a coloured diff), stop there on
 * --dry-run, ask before writing when a person is present (unless --yes), then apply.
 * Without a TTY and without --yes we refuse rather than write unasked.
 */
export async function showAndApply(
  ctx: CommandContext,
  plan: Plan,
  opts: { confirmMessage?: string; alreadyConfirmed?: boolean; confirm?: (message: string) => Promise<boolean> } = {},
): Promise<PlanOutcome> {
  const changes = effectiveChanges(plan);
  const diff = changes.map((c) => unifiedDiff(c, plan.home)).join('');
  const outcome: PlanOutcome = {
    applied: false,
    dryRun: ctx.opts.dryRun,
    changed: changes.map((c) => c.path),
    diff,
    summary: plan.summary,
    warnings: plan.warnings,
  };
  for (const w of plan.warnings) ctx.out.warn(w);
  if (changes.length === 0) {
    ctx.out.line('Nothing to change.');
    return outcome;
  }
  for (const s of plan.summary) ctx.out.line(`• ${s}`);
  if (ctx.opts.dryRun || (!ctx.opts.yes && !opts.alreadyConfirmed)) ctx.out.line('\n' + colorDiff(diff));
  if (ctx.opts.dryRun) {
    ctx.out.line('Dry run: nothing was written.');
    return outcome;
  }
  if (!ctx.opts.yes && !opts.alreadyConfirmed) {
    const message = opts.confirmMessage ?? 'Write these changes?';
    let ok: boolean;
    if (opts.confirm) {
      ok = await opts.confirm(message);
    } else {
      if (!canPrompt()) {
        throw new UsageError(
          'this would change files and there is no terminal to confirm on.',
          'Pass --yes to apply, or --dry-run to only see the diff.',
        );
      }
      const { confirm } = await import('@inquirer/prompts');
      ok = await confirm({ message, default: true });
    }
    if (!ok) {
      ctx.out.line('Nothing was written.');
      return outcome;
    }
  }
  const result = await applyPlan(plan);
  outcome.applied = true;
  outcome.backupId = result.backupId;
  ctx.out.line(`${writtenSummary(changes)}. Backup: ${result.backupId} (undo with \`codex-profiles restore ${result.backupId}\`).`);
  return outcome;
}

/** `Created 1 file, changed 2 files`, `Removed 1 file`: what happened, not "Wrote 1 file(s)". */
export function writtenSummary(changes: readonly FileChange[]): string {
  const created = changes.filter((c) => c.before === null && c.after !== null).length;
  const removed = changes.filter((c) => c.after === null).length;
  const changed = changes.length - created - removed;
  const parts = [
    created > 0 ? `created ${plural(created, 'file')}` : '',
    changed > 0 ? `changed ${plural(changed, 'file')}` : '',
    removed > 0 ? `removed ${plural(removed, 'file')}` : '',
  ].filter(Boolean);
  const text = parts.join(', ') || 'nothing written';
  return text[0]!.toUpperCase() + text.slice(1);
}
