/**
 * Moving profiles between the two layouts Codex has used (docs/migration.md):
 * - `files`: `$CODEX_HOME/NAME.config.toml` (what `-p NAME` reads from Codex 0.134);
 * - `tables`: `[profiles.NAME]` in config.toml (what `-p NAME` reads up to 0.133).
 *
 * Pure planning: HomeState + options -> a Plan (file changes) and a report (what moves, what
 * conflicts, which names need a rename, what a `profile = "X"` selector meant). Nothing here
 * touches the disk; the command applies the plan through showAndApply.
 *
 * Text is carried, not regenerated: a table's comment lines and body keep their bytes in the
 * new file (and back). Every carried text is parsed again and must mean exactly the data it
 * came from, or the migration is refused.
 */
import type { HomeState } from '../config/profiles.js';
import type { MigrateOptions, MigrationResult } from './migrate-report.js';
import { planToFiles } from './migrate-to-files.js';
import { planToTables } from './migrate-to-tables.js';

export * from './migrate-report.js';
export { fileTextToTableText, tableTextToFileText } from './migrate-text.js';

/** Plan the migration of every profile in `state` to `opts.to`. */
export function planMigration(state: HomeState, opts: MigrateOptions): MigrationResult {
  return opts.to === 'files' ? planToFiles(state, opts) : planToTables(state, opts);
}
