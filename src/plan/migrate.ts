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
import type { Diagnostic } from '../diagnostic.js';
import { sanitizeProfileName } from '../config/naming.js';
import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import { ConfigError, UsageError } from '../errors.js';
import { TomlDocument } from '../config/document.js';
import { emptyPlan, putChange, type Plan } from '../write/plan.js';
import { editableConfig, isValidProfileName, profileFilePath, type HomeState } from '../config/profiles.js';
import { formatKey, formatValue, isPlainTable, parseToml, sameData, type TomlTable } from '../config/toml.js';

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

// ---------------------------------------------------------------- text transforms

function parseAst(text: string, file: string): AST.TOMLProgram {
  try {
    return parseTOML(text, { tomlVersion: '1.1' });
  } catch (err) {
    throw new ConfigError(`${file}: could not read the text to move (${(err as Error).message}). Nothing was changed.`, undefined, 'CONFIG_PARSE');
  }
}

function topNodes(ast: AST.TOMLProgram): (AST.TOMLKeyValue | AST.TOMLTable)[] {
  return ast.body[0]?.body ?? [];
}

function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

function lineStartAt(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function lineEndAt(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i + 1;
}

/**
 * The text of `[profiles.NAME]` (as `TomlDocument.tableText` cuts it: attached comments, header,
 * body, sub-tables) turned into a profile file: the `[profiles.NAME]` header line goes (a comment
 * on it stays, as a comment line), `[profiles.NAME.sub]` becomes `[sub]` (`[[...]]` alike).
 * Every other byte is kept.
 */
export function tableTextToFileText(tableText: string, file = 'config.toml'): string {
  const ast = parseAst(tableText, file);
  const eol = eolOf(tableText);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const node of topNodes(ast)) {
    if (node.type !== 'TOMLTable') continue;
    const keys = node.key.keys;
    if (keys.length < 2) throw new ConfigError(`${file}: unexpected table [${node.resolvedKey.join('.')}] inside a profile. Nothing was changed.`, undefined, 'CONFIG_SHAPE');
    if (keys.length === 2) {
      // The profile's own header: the line goes; a comment written on it is kept as its own line.
      const start = lineStartAt(tableText, node.range[0]);
      const close = tableText.indexOf(']', node.key.range[1]);
      const end = lineEndAt(tableText, close);
      const comment = ast.comments.find((c) => c.range[0] > close && c.range[0] < end);
      edits.push({ start, end, text: comment ? tableText.slice(comment.range[0], comment.range[1]) + eol : '' });
    } else {
      edits.push({ start: node.key.range[0], end: keys[2]!.range[0], text: '' });
    }
  }
  let out = tableText;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (out.length > 0 && !out.endsWith('\n')) out += eol;
  return out;
}

/**
 * A profile file's text turned into a `[profiles.NAME]` block for config.toml: the comment lines
 * that open the file go above the new header, the keys follow it, `[sub]` becomes
 * `[profiles.NAME.sub]`. Blank lines between the opening comments are dropped (so the comments
 * stay attached to the header); every other byte is kept.
 */
export function fileTextToTableText(fileText: string, name: string, file = `${name}.config.toml`): string {
  const text = fileText.replace(/^\uFEFF/, '');
  const ast = parseAst(text, file);
  const eol = eolOf(text);
  const nodes = topNodes(ast);
  const prefix = `profiles.${formatKey(name)}.`;
  const header = `[profiles.${formatKey(name)}]`;

  // Where the opening part ends: the first key's line, or the first table's block (its header
  // with the comment lines directly above it, which stay with that table).
  const first = nodes[0];
  let leadEnd = text.length;
  if (first) {
    leadEnd = lineStartAt(text, first.range[0]);
    if (first.type === 'TOMLTable') {
      while (leadEnd > 0) {
        const prev = lineStartAt(text, leadEnd - 1);
        if (!text.slice(prev, leadEnd).trimStart().startsWith('#')) break;
        leadEnd = prev;
      }
    }
  }
  const lead = text.slice(0, leadEnd);
  const leadLines = lead.split(/(?<=\n)/).filter((l) => l.length > 0);
  let lastComment = -1;
  leadLines.forEach((l, i) => {
    if (l.trim() !== '') lastComment = i;
  });
  const comments = leadLines.slice(0, lastComment + 1).filter((l) => l.trim() !== '').map((l) => (l.endsWith('\n') ? l : l + eol));
  const blanks = leadLines.slice(lastComment + 1).join('');

  let rest = text.slice(leadEnd);
  const inserts = nodes.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable').map((n) => n.key.range[0] - leadEnd);
  for (const at of inserts.sort((a, b) => b - a)) rest = rest.slice(0, at) + prefix + rest.slice(at);
  let out = comments.join('') + header + eol + blanks + rest;
  if (!out.endsWith('\n')) out += eol;
  return out;
}

/** A table's data as top-level profile-file text, for shapes without text of their own to carry. */
function dataToFileText(data: TomlTable): string {
  const lines: string[] = [];
  const tables: [string, TomlTable][] = [];
  for (const [k, v] of Object.entries(data)) {
    if (isPlainTable(v)) tables.push([k, v]);
    else lines.push(`${formatKey(k)} = ${formatValue(v)}`);
  }
  let text = lines.length ? lines.join('\n') + '\n' : '';
  for (const [k, v] of tables) text += `${text ? '\n' : ''}[${formatKey(k)}]\n` + dataToFileText(v).replace(/^\[/gm, `[${formatKey(k)}.`);
  return text;
}

function refuseUnlessSame(text: string, data: unknown, file: string, what: string): void {
  let parsed: TomlTable;
  try {
    parsed = parseToml(text, file);
  } catch (err) {
    throw new ConfigError(`refusing to ${what}: the new text would not be valid TOML (${(err as Error).message}). Nothing was changed.`, undefined, 'EDIT_REFUSED');
  }
  if (!sameData(parsed, data)) {
    throw new ConfigError(`refusing to ${what}: the new text would not mean exactly the same settings. Nothing was changed.`, 'Please report this; move the profile by hand meanwhile.', 'EDIT_REFUSED');
  }
}

// ---------------------------------------------------------------- planning

function cfgLabel(name: string): string {
  return `[profiles.${formatKey(name)}] in config.toml`;
}

function checkRenames(renames: Record<string, string>, sources: Set<string>, opts: MigrateOptions): void {
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

/** Plan the migration of every profile in `state` to `opts.to`. */
export function planMigration(state: HomeState, opts: MigrateOptions): MigrationResult {
  return opts.to === 'files' ? planToFiles(state, opts) : planToTables(state, opts);
}

function decide(opts: MigrateOptions, target: string): Choice | undefined {
  return opts.choices?.[target] ?? opts.prefer;
}

function planToFiles(state: HomeState, opts: MigrateOptions): MigrationResult {
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
    let withoutTable: TomlDocument;
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
  if (migratedNames.size > 0 && isPlainTable(parent) && Object.keys(parent).length === 0 && doc.hasTableHeader(['profiles'])) {
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

function planToTables(state: HomeState, opts: MigrateOptions): MigrationResult {
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
    let fileDoc: TomlDocument = f.doc;
    const providers: { id: string; text: string; data: TomlTable }[] = [];
    let problem: string | undefined;
    try {
      const mp = fileDoc.get(['model_providers']);
      if (mp !== undefined) {
        if (!isPlainTable(mp)) throw new ConfigError(`${f.path}: model_providers is not a table.`, undefined, 'CONFIG_SHAPE');
        for (const [id, data] of Object.entries(mp)) {
          if (!isPlainTable(data)) throw new ConfigError(`${f.path}: model_providers.${formatKey(id)} is not a table.`, undefined, 'CONFIG_SHAPE');
          providers.push({ id, text: fileDoc.tableText(['model_providers', id]), data });
          fileDoc = fileDoc.removeTable(['model_providers', id]);
        }
        const left = fileDoc.get(['model_providers']);
        if (isPlainTable(left) && Object.keys(left).length === 0 && fileDoc.hasTableHeader(['model_providers'])) fileDoc = fileDoc.removeTable(['model_providers']);
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
