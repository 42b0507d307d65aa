import { sanitizeProfileName } from '../config/naming.js';
import { ConfigError } from '../errors.js';
import { TomlEditor } from '../config/toml-edit.js';
import { emptyPlan, putChange } from '../write/plan.js';
import { editableConfig } from '../config/home-edit.js';
import { isValidProfileName, profileFilePath, type HomeState } from '../config/profiles.js';
import { formatKey, formatValue, sameData } from '../config/toml.js';
import { isTable } from '../config/toml-table.js';
import { cfgLabel, checkRenames, decide, selectorAdvice, type MigratedProfile, type MigrateOptions, type MigrationReport, type MigrationResult } from './migrate-report.js';
import { dataToFileText, refuseUnlessSame, tableTextToFileText } from './migrate-text.js';

/** Planning `migrate --to files`: `[profiles.NAME]` tables in config.toml become NAME.config.toml files (Codex >= 0.134). */

export function planToFiles(state: HomeState, opts: MigrateOptions): MigrationResult {
  const plan = emptyPlan(state.home);
  const report: MigrationReport = { to: 'files', migrated: [], conflicts: [], left: [], removedEmptyProfilesHeader: false };
  const config = editableConfig(state);
  const renames = opts.renames ?? {};
  const tables = state.profiles.filter((p) => p.layout === 'table');
  checkRenames(renames, new Set(tables.map((p) => p.name)), opts);

  const taken = new Set<string>([...state.profiles.map((p) => p.name), ...Object.values(renames)]);
  const claimed = new Map<string, string>(); // target -> source
  let doc = config;
  const migratedNames = new Set<string>();
  const fileChanges: { path: string; before: string | null; after: string | null }[] = [];

  for (const p of tables) {
    const target = renames[p.name] ?? p.name;
    if (!isValidProfileName(target)) {
      const suggestion = sanitizeProfileName(p.name, taken);
      taken.add(suggestion);
      report.left.push({
        name: p.name,
        reason: 'invalid-name',
        suggestion,
        message: `"${p.name}" is not a profile name Codex >= 0.134 accepts (letters, digits, '-' and '_'); rename it with --rename '${p.name}=${suggestion}'.`,
      });
      continue;
    }
    const owner = claimed.get(target);
    if (owner !== undefined) {
      report.left.push({
        name: p.name,
        reason: 'name-clash',
        message: `[profiles.${formatKey(p.name)}] would become ${target}.config.toml, which [profiles.${formatKey(owner)}] already becomes; pick another name with --rename.`,
        suggestion: sanitizeProfileName(target, taken),
      });
      continue;
    }

    // The text to carry (header tables), or generated text (an inline table under [profiles]).
    const tableData = p.values;
    let tableText: string;
    let fileText: string;
    let withoutTable: TomlEditor;
    try {
      if (doc.hasTableHeader(['profiles', p.name])) {
        tableText = doc.tableText(['profiles', p.name]);
        fileText = tableTextToFileText(tableText, state.configPath);
        withoutTable = doc.removeTable(['profiles', p.name]);
      } else {
        withoutTable = doc.removeValue(['profiles', p.name]);
        if (withoutTable.get(['profiles', p.name]) !== undefined) {
          throw new ConfigError(`${state.configPath}${p.line ? `:${p.line}` : ''}: profiles.${formatKey(p.name)} is written with dotted keys; codex-profiles will not cut that shape out.`, undefined, 'CONFIG_SHAPE');
        }
        // Generated text takes config.toml's line endings, like everything else in the home.
        fileText = dataToFileText(tableData).replace(/\n/g, doc.eol);
        tableText = `[profiles.${formatKey(p.name)}]${doc.eol}${fileText}`;
      }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      report.left.push({ name: p.name, reason: 'shape', message: `${err.message} Move it by hand, or rewrite it as a [profiles.${formatKey(p.name)}] table and run migrate again.` });
      continue;
    }
    refuseUnlessSame(fileText, tableData, profileFilePath(state.home, target), `move [profiles.${formatKey(p.name)}] to ${target}.config.toml`);

    const filePath = profileFilePath(state.home, target);
    const existing = state.profileFiles.get(target);
    let action: MigratedProfile['action'] = 'move';
    let after: string | null = fileText;
    if (existing) {
      if (existing.doc && sameData(existing.doc.data, tableData)) {
        action = 'same';
        after = existing.text;
      } else {
        const choice = decide(opts, target);
        if (choice === undefined) {
          report.conflicts.push({
            name: p.name,
            target,
            tablePath: state.configPath,
            tableLine: p.line,
            tableText,
            filePath,
            fileText: existing.text,
            ...(existing.doc ? {} : { fileInvalid: true }),
          });
          claimed.set(target, p.name);
          continue;
        }
        if (choice === 'skip') {
          report.left.push({ name: p.name, reason: 'conflict-skipped', message: `[profiles.${formatKey(p.name)}] and ${filePath} differ; both were left as they are.` });
          claimed.set(target, p.name);
          continue;
        }
        action = choice === 'table' ? 'replace' : 'keep-target';
        after = choice === 'table' ? fileText : existing.text;
      }
    }
    claimed.set(target, p.name);
    doc = withoutTable;
    migratedNames.add(p.name);
    if (after !== existing?.text) fileChanges.push({ path: filePath, before: existing?.text ?? null, after });
    report.migrated.push({ name: p.name, target, from: cfgLabel(p.name), to: filePath, action });
    plan.summary.push(
      action === 'same'
        ? `remove [profiles.${formatKey(p.name)}] from config.toml (${target}.config.toml already holds the same settings)`
        : action === 'keep-target'
          ? `remove [profiles.${formatKey(p.name)}] from config.toml; keep ${target}.config.toml as it is (--prefer file)`
          : `move [profiles.${formatKey(p.name)}] to ${target}.config.toml${action === 'replace' ? ' (replacing the file: --prefer table)' : ''}`,
    );
  }

  // The selector: Codex >= 0.134 refuses every run while it is there.
  if (state.profileSelector !== undefined) {
    const sel = state.profileSelector;
    const target = renames[sel] ?? sel;
    const stillTable = tables.some((p) => p.name === sel) && !migratedNames.has(sel);
    const exists = state.profiles.some((p) => p.name === sel || (p.layout === 'file' && p.name === target));
    if (stillTable) {
      report.selector = {
        profile: sel,
        target,
        action: 'kept',
        why: `[profiles.${formatKey(sel)}] is not migrated yet, so the selector stays (what it means would be lost); Codex >= 0.134 refuses to start while it is there.`,
      };
      report.left.push({ name: sel, reason: 'selector', message: `profile = ${formatValue(sel)} stays in config.toml until [profiles.${formatKey(sel)}] is migrated.` });
    } else {
      const advice = selectorAdvice(target);
      doc = doc.removeValue(['profile']);
      report.selector = {
        profile: sel,
        target,
        action: 'removed',
        why: exists
          ? `Codex >= 0.134 refuses to start while config.toml has profile = ${formatValue(sel)}. To keep ${target} as your default, run \`${advice.run}\`, or add a shell alias.`
          : `Codex >= 0.134 refuses to start while config.toml has profile = ${formatValue(sel)}; no profile ${sel} exists, so it selected nothing.`,
        ...advice,
        ...(exists ? {} : { dangling: true }),
      };
      plan.summary.push(`remove profile = ${formatValue(sel)} from config.toml (use \`${advice.run}\` instead)`);
    }
  }

  // An explicit `[profiles]` header whose last table moved out: nothing is left for it to hold.
  const parent = doc.get(['profiles']);
  if (migratedNames.size > 0 && isTable(parent) && Object.keys(parent).length === 0 && doc.hasTableHeader(['profiles'])) {
    doc = doc.removeTable(['profiles']);
    report.removedEmptyProfilesHeader = true;
    plan.summary.push('remove the [profiles] header, now empty, from config.toml');
  }

  if (report.conflicts.length === 0) {
    if (doc.text !== config.text) putChange(plan, { path: state.configPath, before: state.configText, after: doc.text });
    for (const c of fileChanges) putChange(plan, c);
  } else {
    plan.summary.length = 0;
  }
  return { plan, report };
}
