import chalk from 'chalk';
import type { CommandContext } from '../context.js';
import { codexLabel, detectCodex, type CodexInfo } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import {
  parseRenames,
  planMigration,
  type Choice,
  type MigrateTarget,
  type MigrationConflict,
  type MigrationReport,
  type Prefer,
} from '../plan/migrate.js';
import { effectiveChanges } from '../write/plan.js';
import { loadHome } from '../config/profiles.js';
import { canPrompt } from '../context.js';
import { refuseInvalidConfig } from '../diagnostics.js';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { showAndApply, type PlanOutcome } from '../ui/confirm.js';

export interface MigrateArgs {
  to?: MigrateTarget;
  prefer?: Prefer;
  rename?: string[];
}

export interface MigrateDeps {
  /** Asks who wins a conflict (default: an @inquirer/prompts select; only with a terminal). */
  ask?: (conflict: MigrationConflict) => Promise<Choice>;
  /** Whether a person can answer (default: canPrompt()). */
  interactive?: boolean;
}

function describeLayout(layout: 'file' | 'table'): string {
  return layout === 'file' ? 'profile files (NAME.config.toml)' : '[profiles.NAME] tables in config.toml';
}


/** Which layout to migrate to: --to, else what the installed Codex reads. */
function chooseTarget(args: MigrateArgs, codex: CodexInfo): { to: MigrateTarget; why: string } {
  if (args.to) return { to: args.to, why: '--to' };
  if (!codex.found) {
    throw new UsageError(
      `could not find codex to tell which layout it reads (${codex.warnings[0] ?? 'not found'}).`,
      'Pass --to files (Codex 0.134 and newer) or --to tables (Codex 0.133 and older), or --codex-bin PATH.',
    );
  }
  return { to: codex.layout === 'file' ? 'files' : 'tables', why: `${codexLabel(codex)} reads ${describeLayout(codex.layout)}` };
}

function mismatchWarning(to: MigrateTarget, codex: CodexInfo): string | undefined {
  if (!codex.found) return undefined;
  if (to === 'files' && codex.layout === 'table') {
    return (
      `${codexLabel(codex)} reads [profiles.NAME] tables: once they are files, \`codex -p NAME\` will not find them until you upgrade Codex to 0.134 or newer` +
      (codex.profileV2 ? ' (this version reads them with `codex --profile-v2 NAME`).' : '.')
    );
  }
  if (to === 'tables' && codex.layout === 'file') {
    return `${codexLabel(codex)} reads NAME.config.toml and refuses \`-p NAME\` while config.toml has [profiles.NAME]: migrate to tables only for an older Codex.`;
  }
  return undefined;
}

function indent(text: string): string {
  return text.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => `    ${l}`).join('\n');
}

function showConflict(ctx: CommandContext, c: MigrationConflict, to: MigrateTarget): void {
  const table = `[profiles.${c.target}] in ${c.tablePath}${c.tableLine ? `:${c.tableLine}` : ''}`;
  const source = to === 'files' ? `[profiles.${c.name}]` : `${c.name}.config.toml`;
  ctx.out.line(chalk.yellow(`${source}: the profile exists in both layouts, and they differ.`));
  ctx.out.line(`  ${table}:`);
  ctx.out.line(indent(c.tableText));
  ctx.out.line(`  ${c.filePath}${c.fileInvalid ? chalk.red(' (not valid TOML)') : ''}:`);
  ctx.out.line(indent(c.fileText === '' ? '(empty)' : c.fileText));
}

async function askWithInquirer(c: MigrationConflict): Promise<Choice> {
  const { select } = await import('@inquirer/prompts');
  return select<Choice>({
    message: `Which version of ${c.target} should be kept?`,
    choices: [
      { name: `The table [profiles.${c.target}] (its settings replace ${c.target}.config.toml)`, value: 'table' },
      { name: `The file ${c.target}.config.toml (the table is removed; it stays in the backup)`, value: 'file' },
      { name: 'Neither: leave both as they are for now', value: 'skip' },
    ],
  });
}

function printReport(ctx: CommandContext, report: MigrationReport): void {
  const sel = report.selector;
  if (sel?.action === 'removed' && !sel.dangling) {
    ctx.out.line('');
    ctx.out.line(`profile = "${sel.profile}" made ${sel.target} your default profile. Codex 0.134 and newer refuse that setting; to keep the default:`);
    ctx.out.line(`  each time:   ${sel.run}`);
    ctx.out.line(`  bash/zsh:    ${sel.posixAlias}   (add to ~/.bashrc or ~/.zshrc)`);
    ctx.out.line(`  PowerShell:  ${sel.powershell}   (add to $PROFILE)`);
  } else if (sel?.action === 'removed') {
    ctx.out.line(`\nprofile = "${sel.profile}" was removed: no profile of that name exists, so it selected nothing.`);
  } else if (sel && report.to === 'files') {
    ctx.out.line(chalk.yellow(`\nprofile = "${sel.profile}" was kept: ${sel.why}`));
  }
  if (report.left.length) {
    ctx.out.line(chalk.yellow(`\nLeft in place (${report.left.length}):`));
    for (const l of report.left) ctx.out.line(`  ${l.name}: ${l.message}`);
  }
}

export async function runMigrate(ctx: CommandContext, args: MigrateArgs, deps: MigrateDeps = {}): Promise<number> {
  const renames = parseRenames(args.rename);
  const codex = await detectCodex({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env) });
  const { to, why } = chooseTarget(args, codex);
  const state = await loadHome(ctx.opts.codexHome);
  refuseInvalidConfig(state);

  let result = planMigration(state, { to, prefer: args.prefer, renames });
  const interactive = deps.interactive ?? (canPrompt() && !ctx.opts.json);
  if (result.report.conflicts.length > 0 && interactive && !ctx.opts.yes) {
    const ask = deps.ask ?? askWithInquirer;
    const choices: Record<string, Choice> = {};
    for (const c of result.report.conflicts) {
      showConflict(ctx, c, to);
      choices[c.target] = await ask(c);
    }
    result = planMigration(state, { to, prefer: args.prefer, renames, choices });
  }
  const { plan, report } = result;

  const warning = mismatchWarning(to, codex);
  if (warning) plan.warnings.push(warning);
  const base = {
    codexHome: state.home,
    to,
    codex: codex.found ? { bin: codex.bin ?? null, version: codex.version ?? null, layout: codex.layout } : null,
    migrated: report.migrated,
    conflicts: report.conflicts,
    left: report.left,
    selector: report.selector ?? null,
    removedEmptyProfilesHeader: report.removedEmptyProfilesHeader,
  };

  ctx.out.line(`Migrating profiles to ${describeLayout(to === 'files' ? 'file' : 'table')} (${why}).`);

  if (report.conflicts.length > 0) {
    for (const w of plan.warnings) ctx.out.warn(w);
    for (const c of report.conflicts) showConflict(ctx, c, to);
    const hint = 'Nothing was written. Choose who wins with --prefer table or --prefer file (or run in a terminal to choose per profile).';
    ctx.out.line(`\n${hint}`);
    if (ctx.opts.json) {
      ctx.out.json({ ok: false, ...base, applied: false, dryRun: ctx.opts.dryRun, changed: [], diff: '', summary: [], warnings: plan.warnings, error: { code: 'PROFILE_CONFLICT', message: `${report.conflicts.length} profile(s) exist in both layouts with different settings.`, hint, exitCode: EXIT_USAGE } });
    }
    return EXIT_USAGE;
  }

  let outcome: PlanOutcome;
  if (effectiveChanges(plan).length === 0) {
    for (const w of plan.warnings) ctx.out.warn(w);
    ctx.out.line(report.left.length ? 'Nothing can be migrated as things stand.' : 'Nothing to migrate.');
    outcome = { applied: false, dryRun: ctx.opts.dryRun, changed: [], diff: '', summary: [], warnings: plan.warnings };
  } else {
    outcome = await showAndApply(ctx, plan, { confirmMessage: `Migrate ${report.migrated.length} profile(s) to ${to}?` });
  }
  printReport(ctx, report);

  const declined = effectiveChanges(plan).length > 0 && !outcome.applied && !outcome.dryRun;
  const code = report.left.length > 0 || declined ? EXIT_CHECK_FAILED : EXIT_OK;
  if (ctx.opts.json) {
    ctx.out.json({ ok: code === EXIT_OK, ...base, ...outcome, backupId: outcome.backupId ?? null });
  }
  return code;
}
