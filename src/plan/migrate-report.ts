import type { Diagnostic } from '../diagnostic.js';
import { sanitizeProfileName } from '../config/naming.js';
import { UsageError } from '../errors.js';
import { type Plan } from '../write/plan.js';
import { isValidProfileName } from '../config/profiles.js';
import { formatKey } from '../config/toml.js';

/** What a migration is asked (options, renames) and what it reports (moved, conflicts, left in place, selector advice). */

export type MigrateTarget = 'files' | 'tables';
/** Who wins when a profile exists in both layouts with different contents. */
export type Prefer = 'table' | 'file';
/** A per-profile decision (from a prompt): a winner, or leave both as they are. */
export type Choice = Prefer | 'skip';

export interface MigrateOptions {
  to: MigrateTarget;
  /** Winner for every conflict without a per-profile choice. */
  prefer?: Prefer;
  /** Per-profile decisions, keyed by the profile's name in the target layout. */
  choices?: Record<string, Choice>;
  /** OLD -> NEW: the profile OLD is written under NEW in the target layout. */
  renames?: Record<string, string>;
}

export interface MigratedProfile {
  /** Name in the source layout. */
  name: string;
  /** Name in the target layout (differs only with --rename). */
  target: string;
  /** Where it was: `config.toml [profiles.NAME]` or the file's path. */
  from: string;
  /** Where it goes. */
  to: string;
  /**
   * - `move`: written to the target, removed from the source;
   * - `same`: the target already held the same data; only the source is removed;
   * - `replace`: both existed and differed; the source won (the target's old text is in the backup);
   * - `keep-target`: both existed and differed; the target won; the source is removed.
   */
  action: 'move' | 'same' | 'replace' | 'keep-target';
  /** Provider tables moved to config.toml's top level along with it (to tables only). */
  providers?: string[];
}

export interface MigrationConflict {
  name: string;
  target: string;
  tablePath: string;
  tableLine?: number;
  /** The table's exact text (header, body, sub-tables, attached comments). */
  tableText: string;
  filePath: string;
  fileText: string;
  /** The file is not valid TOML (it can only be replaced or kept as it is). */
  fileInvalid?: boolean;
}

export type LeftReason = 'invalid-name' | 'conflict-skipped' | 'name-clash' | 'shape' | 'invalid-toml' | 'provider-clash' | 'selector';

/** A profile migrate left where it was: a diagnostic (src/diagnostic.ts) whose code is `reason`. */
export interface LeftInPlace extends Omit<Diagnostic, 'code' | 'severity'> {
  name: string;
  reason: LeftReason;
  /** For invalid names: the name to pass to --rename. */
  suggestion?: string;
}

export interface SelectorAdvice {
  /** The value of `profile = "..."` in config.toml. */
  profile: string;
  /** The profile's name after the migration (differs with --rename). */
  target: string;
  action: 'removed' | 'kept';
  why: string;
  /** How to get the same default without the selector (files target only). */
  run?: string;
  posixAlias?: string;
  powershell?: string;
  /** The profile it selected does not exist in any layout. */
  dangling?: boolean;
}

export interface MigrationReport {
  to: MigrateTarget;
  migrated: MigratedProfile[];
  /** Both layouts hold the profile, with different contents, and nobody chose a winner. */
  conflicts: MigrationConflict[];
  /** Profiles that stay where they are, with why (the migration is not complete). */
  left: LeftInPlace[];
  selector?: SelectorAdvice;
  /** An explicit `[profiles]` header left with nothing in it was removed too. */
  removedEmptyProfilesHeader: boolean;
}

export interface MigrationResult {
  plan: Plan;
  report: MigrationReport;
}

/** How to get the default a `profile = "NAME"` selector gave, once it is gone. */
export function selectorAdvice(name: string): { run: string; posixAlias: string; powershell: string } {
  const q = /^[A-Za-z0-9_-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
  return {
    run: `codex -p ${q}`,
    posixAlias: `alias codex='codex -p ${name.replace(/'/g, `'\\''`)}'`,
    powershell: `function codex { & (Get-Command codex -CommandType Application | Select-Object -First 1) -p ${/^[A-Za-z0-9_-]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`} @args }`,
  };
}

/** `OLD=NEW` flags as a map; refuses malformed ones. */
export function parseRenames(flags: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags ?? []) {
    const i = flag.lastIndexOf('=');
    const oldName = i > 0 ? flag.slice(0, i) : '';
    const newName = i > 0 ? flag.slice(i + 1) : '';
    if (!oldName || !newName) {
      throw new UsageError(`--rename ${flag}: expected OLD=NEW (e.g. --rename gpt-oss:20b=gpt-oss-20b).`);
    }
    if (out[oldName] !== undefined && out[oldName] !== newName) {
      throw new UsageError(`--rename ${oldName} is given twice with different names (${out[oldName]}, ${newName}).`);
    }
    out[oldName] = newName;
  }
  return out;
}

export function cfgLabel(name: string): string {
  return `[profiles.${formatKey(name)}] in config.toml`;
}

export function checkRenames(renames: Record<string, string>, sources: Set<string>, opts: MigrateOptions): void {
  for (const [oldName, newName] of Object.entries(renames)) {
    if (!sources.has(oldName)) {
      throw new UsageError(
        `--rename ${oldName}=${newName}: there is no ${opts.to === 'files' ? `[profiles.${formatKey(oldName)}] table in config.toml` : `${oldName}.config.toml profile file`} to rename.`,
      );
    }
    if (opts.to === 'files' && !isValidProfileName(newName)) {
      throw new UsageError(
        `--rename ${oldName}=${newName}: "${newName}" is not a profile name Codex accepts (letters, digits, '-' and '_', at most 64).`,
        `Try --rename ${oldName}=${sanitizeProfileName(newName)}.`,
      );
    }
    if (opts.to === 'tables' && /[\u0000-\u001f\u007f]/.test(newName)) {
      throw new UsageError(`--rename ${oldName}=...: the new name holds control characters.`);
    }
  }
}

export function decide(opts: MigrateOptions, target: string): Choice | undefined {
  return opts.choices?.[target] ?? opts.prefer;
}
