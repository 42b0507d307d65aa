import { sanitizeProfileName } from '../config/naming.js';
import { ConfigError } from '../errors.js';
import { TomlEditor } from '../config/toml-edit.js';
import { emptyPlan, putChange } from '../write/plan.js';
import { editableConfig } from '../config/home-edit.js';
import { type HomeState } from '../config/profiles.js';
import { formatKey, formatValue, sameData, type TomlTable } from '../config/toml.js';
import { isTable } from '../config/toml-table.js';
import { cfgLabel, checkRenames, decide, type MigratedProfile, type MigrateOptions, type MigrationReport, type MigrationResult } from './migrate-report.js';
import { fileTextToTableText, refuseUnlessSame } from './migrate-text.js';

/** Planning `migrate --to tables`: NAME.config.toml files become `[profiles.NAME]` tables (Codex <= 0.133). */

export function planToTables(state: HomeState, opts: MigrateOptions): MigrationResult {
  const plan = emptyPlan(state.home);
  const report: MigrationReport = { to: 'tables', migrated: [], conflicts: [], left: [], removedEmptyProfilesHeader: false };
  const config = editableConfig(state);
  const renames = opts.renames ?? {};
  const files = [...state.profileFiles.entries()].map(([name, f]) => ({ name, ...f }));
  checkRenames(renames, new Set(files.map((f) => f.name)), opts);

  let doc = config;
  const claimed = new Map<string, string>();
  const fileChanges: { path: string; before: string | null; after: string | null }[] = [];
  const taken = new Set<string>([...state.profiles.map((p) => p.name), ...Object.values(renames)]);

  for (const f of files) {
    const target = renames[f.name] ?? f.name;
    if (!f.doc) {
      const err = state.errors.find((e) => e.file === f.path);
      report.left.push({ name: f.name, reason: 'invalid-toml', message: `${err?.message ?? `${f.path} is not valid TOML`}; fix it and run migrate again.` });
      continue;
    }
    const owner = claimed.get(target);
    if (owner !== undefined) {
      report.left.push({
        name: f.name,
        reason: 'name-clash',
        message: `${f.name}.config.toml would become [profiles.${formatKey(target)}], which ${owner}.config.toml already becomes; pick another name with --rename.`,
        suggestion: sanitizeProfileName(target, taken),
      });
      continue;
    }

    // Provider tables inside a profile file: tables-era Codex ignores [profiles.X.model_providers.*]
    // (seen on 0.131/0.133: "Model provider `ID` not found"), so they move to config.toml's top level.
    let fileDoc = TomlEditor.from(f.doc);
    const providers: { id: string; text: string; data: TomlTable }[] = [];
    let problem: string | undefined;
    try {
      const mp = fileDoc.get(['model_providers']);
      if (mp !== undefined) {
        if (!isTable(mp)) throw new ConfigError(`${f.path}: model_providers is not a table.`, undefined, 'CONFIG_SHAPE');
        for (const [id, data] of Object.entries(mp)) {
          if (!isTable(data)) throw new ConfigError(`${f.path}: model_providers.${formatKey(id)} is not a table.`, undefined, 'CONFIG_SHAPE');
          providers.push({ id, text: fileDoc.tableText(['model_providers', id]), data });
          fileDoc = fileDoc.removeTable(['model_providers', id]);
        }
        const left = fileDoc.get(['model_providers']);
        if (isTable(left) && Object.keys(left).length === 0 && fileDoc.hasTableHeader(['model_providers'])) fileDoc = fileDoc.removeTable(['model_providers']);
      }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problem = err.message;
    }
    if (problem) {
      report.left.push({ name: f.name, reason: 'shape', message: `${problem} Move its provider to config.toml by hand, or write it as a [model_providers.ID] table.` });
      continue;
    }
    const clash = providers.find((p) => {
      const there = doc.get(['model_providers', p.id]);
      return there !== undefined && !sameData(there, p.data);
    });
    if (clash) {
      report.left.push({
        name: f.name,
        reason: 'provider-clash',
        message: `${f.path} defines [model_providers.${formatKey(clash.id)}], and config.toml has a different one; tables-era Codex only reads providers from config.toml. Rename the provider id in the file (and its model_provider), then run migrate again.`,
      });
      continue;
    }

    const data = fileDoc.data;
    const block = fileTextToTableText(fileDoc.text, target, f.path);
    refuseUnlessSame(block, { profiles: { [target]: data } }, state.configPath, `move ${f.name}.config.toml to [profiles.${formatKey(target)}]`);

    const existing = doc.get(['profiles', target]);
    let action: MigratedProfile['action'] = 'move';
    if (existing !== undefined) {
      if (sameData(existing, data)) action = 'same';
      else {
        const choice = decide(opts, target);
        const tableText = doc.hasTableHeader(['profiles', target]) ? doc.tableText(['profiles', target]) : `profiles.${formatKey(target)} = ${formatValue(existing)}\n`;
        if (choice === undefined) {
          report.conflicts.push({
            name: f.name,
            target,
            tablePath: state.configPath,
            tableLine: doc.lineOf(['profiles', target]),
            tableText,
            filePath: f.path,
            fileText: f.text,
          });
          claimed.set(target, f.name);
          continue;
        }
        if (choice === 'skip') {
          report.left.push({ name: f.name, reason: 'conflict-skipped', message: `${f.path} and [profiles.${formatKey(target)}] differ; both were left as they are.` });
          claimed.set(target, f.name);
          continue;
        }
        action = choice === 'file' ? 'replace' : 'keep-target';
      }
    }

    let next = doc;
    try {
      if (action === 'move' || action === 'replace') {
        for (const p of providers) {
          if (next.get(['model_providers', p.id]) === undefined) next = next.addTable(['model_providers', p.id], p.data, p.text, { keepEol: true });
        }
        if (action === 'replace') next = next.removeTable(['profiles', target]);
        next = next.addTable(['profiles', target], data, block, { keepEol: true });
      }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      report.left.push({ name: f.name, reason: 'shape', message: `${err.message}` });
      continue;
    }
    doc = next;
    claimed.set(target, f.name);
    fileChanges.push({ path: f.path, before: f.text, after: null });
    const moved = action === 'move' || action === 'replace' ? providers.filter((p) => config.get(['model_providers', p.id]) === undefined).map((p) => p.id) : [];
    report.migrated.push({ name: f.name, target, from: f.path, to: cfgLabel(target), action, ...(moved.length ? { providers: moved } : {}) });
    plan.summary.push(
      action === 'same'
        ? `remove ${f.name}.config.toml ([profiles.${formatKey(target)}] in config.toml already holds the same settings)`
        : action === 'keep-target'
          ? `remove ${f.name}.config.toml; keep [profiles.${formatKey(target)}] as it is (--prefer table)`
          : `move ${f.name}.config.toml to [profiles.${formatKey(target)}] in config.toml${action === 'replace' ? ' (replacing the table: --prefer file)' : ''}` +
            (moved.length ? `, with [model_providers.${moved.map(formatKey).join('], [model_providers.')}] at the top level` : ''),
    );
  }

  if (state.profileSelector !== undefined) {
    report.selector = {
      profile: state.profileSelector,
      target: state.profileSelector,
      action: 'kept',
      why: 'Codex <= 0.133 reads profile = "..." as the default profile; it stays.',
    };
  }

  if (report.conflicts.length === 0) {
    if (doc.text !== config.text) putChange(plan, { path: state.configPath, before: state.configText, after: doc.text });
    for (const c of fileChanges) putChange(plan, c);
  } else {
    plan.summary.length = 0;
  }
  return { plan, report };
}
