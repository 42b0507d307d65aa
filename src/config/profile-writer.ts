import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, UsageError } from '../errors.js';
import { TomlEditor } from './toml-edit.js';
import { BUILD } from '../version.js';
import { plannedText, putChange, type Plan } from '../write/plan.js';
import { sanitizeProfileName } from './naming.js';
import { editableConfig, editableProfileFile } from './home-edit.js';
import { isValidProfileName, profileFilePath, type HomeState, type ProfileLayout } from './profiles.js';
import { formatKey, formatValue, parseToml, sameData, type TomlTable } from './toml.js';

/** Which template a new profile's text comes from (templates/KIND.toml). */
export type ProfileKind = 'ollama' | 'lmstudio' | 'local-server' | 'remote' | 'hosted';

export interface ProfileSpec {
  name: string;
  kind: ProfileKind;
  /** `model_provider` (a built-in id such as `ollama`, or one of ours for a remote host). */
  provider: string;
  /** `model`, exactly as the provider names it. */
  model: string;
  /** Keys chosen beyond provider and model (e.g. `model_context_window`). */
  extra?: TomlTable;
  /** For the comment of remote profiles. */
  url?: string;
  /** The server's name, for the comment of `local-server` profiles (vLLM, llama-server, ...). */
  server?: string;
  /**
   * A `[model_providers.ID]` table written inside the profile file (file layout, Codex >= 0.134
   * reads it there); table-era Codex ignores tables nested in a profile, so the caller puts it
   * at the top level of config.toml instead.
   */
  providerTable?: TomlTable;
}

const templateCache = new Map<ProfileKind, string>();

function loadTemplate(kind: ProfileKind): string {
  let text = templateCache.get(kind);
  if (text === undefined) {
    // The bundle carries the templates (src/version.ts BUILD); src/ reads templates/ beside it.
    text = (BUILD?.templates[kind] ?? fs.readFileSync(fileURLToPath(new URL(`../../templates/${kind}.toml`, import.meta.url)), 'utf8')).replace(/\r\n/g, '\n');
    templateCache.set(kind, text);
  }
  return text;
}

/** Comment text cannot carry a newline (or any control character) out of its `#` line. */
export function commentSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ').slice(0, 200);
}

/** The data a profile will hold (what we own of it). */
export function profileData(spec: ProfileSpec): TomlTable {
  return { model_provider: spec.provider, model: spec.model, ...(spec.extra ?? {}) };
}

/** The provider table as text, after the profile's keys (a table header ends the top-level keys). */
function providerTableText(spec: ProfileSpec): string {
  if (!spec.providerTable) return '';
  const lines = Object.entries(spec.providerTable).map(([k, v]) => `${formatKey(k)} = ${formatValue(v)}`);
  return `\n[model_providers.${formatKey(spec.provider)}]\n${lines.join('\n')}\n`;
}

/**
 * The profile's text from its template: leading comment lines and key lines. Values are written
 * by the TOML library; the result is parsed back and must mean exactly `profileData(spec)`.
 */
export function renderProfile(spec: ProfileSpec): { comments: string; body: string; data: TomlTable } {
  const data = profileData(spec);
  const values: Record<string, string> = {
    model_provider: formatValue(spec.provider),
    model: formatValue(spec.model),
  };
  const comments: Record<string, string> = {
    name: commentSafe(spec.name),
    model_comment: commentSafe(spec.model),
    url_comment: commentSafe(spec.url ?? ''),
    server_comment: commentSafe(spec.server ?? 'model server'),
  };
  const lines = loadTemplate(spec.kind).split('\n');
  const commentLines: string[] = [];
  const bodyLines: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('#')) {
      const filled = line.replace(/\{\{(\w+)\}\}/g, (_, k: string) => comments[k] ?? '');
      (bodyLines.length ? bodyLines : commentLines).push(filled);
    } else {
      bodyLines.push(line.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
        const v = values[k];
        if (v === undefined) throw new Error(`template ${spec.kind}.toml: unknown value placeholder {{${k}}}`);
        return v;
      }));
    }
  }
  for (const [k, v] of Object.entries(spec.extra ?? {})) bodyLines.push(`${formatKey(k)} = ${formatValue(v)}`);
  const body = bodyLines.join('\n') + '\n' + providerTableText(spec);
  const comment = commentLines.length ? commentLines.join('\n') + '\n' : '';
  const intended = spec.providerTable ? { ...data, model_providers: { [spec.provider]: spec.providerTable } } : data;
  if (!sameData(parseToml(comment + body, `templates/${spec.kind}.toml`), intended)) {
    throw new Error(`template ${spec.kind}.toml does not produce the intended profile`);
  }
  return { comments: comment, body, data };
}

/**
 * The last document each plan produced for each file: the next edit of the same file starts from
 * it (its data and index are already known) instead of parsing the planned text again.
 */
const planned = new WeakMap<Plan, Map<string, TomlEditor>>();

function remember(plan: Plan, doc: TomlEditor): TomlEditor {
  let docs = planned.get(plan);
  if (!docs) planned.set(plan, (docs = new Map()));
  docs.set(doc.file, doc);
  return doc;
}

/** The document `plan` produced for `file` when `text` is what it plans to write there. */
export function plannedDocument(plan: Plan, file: string, text: string): TomlEditor | undefined {
  const doc = planned.get(plan)?.get(file);
  return doc && doc.text === text ? doc : undefined;
}

function docFor(plan: Plan, file: string, current: string | null): TomlEditor {
  const text = plannedText(plan, file, current);
  if (text === null) return TomlEditor.empty(file);
  return plannedDocument(plan, file, text) ?? TomlEditor.parse(text, file);
}

function configDoc(plan: Plan, state: HomeState): TomlEditor {
  const text = plannedText(plan, state.configPath, state.configText);
  if (text === state.configText) return editableConfig(state);
  if (text === null) return TomlEditor.empty(state.configPath);
  return plannedDocument(plan, state.configPath, text) ?? TomlEditor.parse(text, state.configPath);
}

export function validateProfileName(name: string): void {
  if (!isValidProfileName(name)) {
    throw new UsageError(
      `"${name}" is not a profile name Codex accepts on a command line: use letters, digits, '-' and '_' (at most 64), not starting with '-' (it would read as flags).`,
      `Choose one with --name, e.g. --name ${sanitizeProfileName(name)}.`,
    );
  }
}

/**
 * Plan writing one profile in `layout`. A new profile gets its template text; an existing one
 * (only with `force`) has just our keys updated, so keys and comments the person added stay.
 */
export function planWriteProfile(plan: Plan, state: HomeState, spec: ProfileSpec, layout: ProfileLayout, opts: { force?: boolean } = {}): void {
  validateProfileName(spec.name);
  const existing = state.profiles.filter((p) => p.name === spec.name);
  const other = existing.find((p) => p.layout !== layout);
  if (other) {
    throw new ConfigError(
      `profile ${spec.name} already exists as ${other.layout === 'table' ? `a [profiles.${spec.name}] table in` : ''} ${other.path}, in the layout this Codex does not read.`,
      'Run `codex-profiles migrate` first, or pick another --name.',
      'PROFILE_EXISTS',
    );
  }
  if (existing.length && !opts.force) {
    throw new ConfigError(`profile ${spec.name} already exists (${existing[0]!.path}).`, 'Pass --force to update it, or pick another --name.', 'PROFILE_EXISTS');
  }
  const { comments, body, data } = renderProfile(spec);

  if (layout === 'file') {
    const file = profileFilePath(state.home, spec.name);
    editableProfileFile(state, spec.name); // refuses an invalid existing file
    const current = state.profileFiles.get(spec.name)?.text ?? null;
    const before = plannedText(plan, file, current);
    if (before === null) {
      putChange(plan, { path: file, before: current, after: comments + body });
    } else {
      let doc = docFor(plan, file, current);
      for (const [k, v] of Object.entries(data)) if (!sameData(doc.get([k]), v)) doc = doc.setValue([k], v);
      if (spec.providerTable) {
        const at = ['model_providers', spec.provider];
        if (doc.get(at) === undefined) doc = doc.addTable(at, spec.providerTable);
        else for (const [k, v] of Object.entries(spec.providerTable)) if (!sameData(doc.get([...at, k]), v)) doc = doc.setValue([...at, k], v);
      }
      putChange(plan, { path: file, before: current, after: remember(plan, doc).text });
    }
  } else {
    if (spec.providerTable) throw new Error('a provider table nested in a [profiles.NAME] table is ignored by Codex; write it to config.toml');
    let doc = configDoc(plan, state);
    if (doc.get(['profiles', spec.name]) === undefined) {
      const header = `[profiles.${formatKey(spec.name)}]\n`;
      doc = doc.addTable(['profiles', spec.name], data, comments + header + body);
    } else {
      for (const [k, v] of Object.entries(data)) {
        if (!sameData(doc.get(['profiles', spec.name, k]), v)) doc = doc.setValue(['profiles', spec.name, k], v);
      }
    }
    putChange(plan, { path: state.configPath, before: state.configText, after: remember(plan, doc).text });
  }
  plan.summary.push(`${existing.length ? 'update' : 'add'} profile ${spec.name} (${spec.provider} / ${spec.model}, ${layout === 'file' ? `${spec.name}.config.toml` : `[profiles.${spec.name}] in config.toml`})`);
}

/** Plan removing a profile wherever it lives (file, table, or both). */
export function planRemoveProfile(plan: Plan, state: HomeState, name: string): void {
  const found = state.profiles.filter((p) => p.name === name);
  if (found.length === 0) throw new ConfigError(`no profile named ${name} in ${state.home}.`, 'See them with `codex-profiles list`.', 'PROFILE_NOT_FOUND');
  for (const p of found) {
    if (p.layout === 'file') {
      putChange(plan, { path: p.path, before: state.profileFiles.get(name)?.text ?? null, after: null });
    } else {
      const doc = configDoc(plan, state).removeTable(['profiles', name]);
      putChange(plan, { path: state.configPath, before: state.configText, after: remember(plan, doc).text });
    }
    plan.summary.push(`remove profile ${name} (${p.layout === 'file' ? p.path : `[profiles.${name}] in config.toml`})`);
  }
}

/** Plan a top-level key in config.toml (`oss_provider`, ...). */
export function planSetTopLevel(plan: Plan, state: HomeState, key: string, value: unknown): void {
  const doc = configDoc(plan, state);
  if (sameData(doc.get([key]), value)) return;
  putChange(plan, { path: state.configPath, before: state.configText, after: remember(plan, doc.setValue([key], value)).text });
  plan.summary.push(`set ${key} = ${formatValue(value)} in config.toml`);
}

/**
 * Plan a table in config.toml (e.g. `[model_providers.ID]`): added when missing, else only the
 * keys in `data` are set; keys the person added (headers, env_key, ...) stay.
 */
export function planMergeTable(plan: Plan, state: HomeState, path: string[], data: TomlTable): void {
  let doc = configDoc(plan, state);
  const current = doc.get(path) as TomlTable | undefined;
  if (current === undefined) {
    doc = doc.addTable(path, data);
  } else {
    for (const [k, v] of Object.entries(data)) if (!sameData(current[k], v)) doc = doc.setValue([...path, k], v);
    if (doc === configDoc(plan, state)) return;
  }
  putChange(plan, { path: state.configPath, before: state.configText, after: remember(plan, doc).text });
  plan.summary.push(`${current === undefined ? 'add' : 'update'} [${path.map(formatKey).join('.')}] in config.toml`);
}
