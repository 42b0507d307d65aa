import { TomlEditor } from './toml-edit.js';
import type { HomeState } from './profiles.js';
import type { TomlReadDocument } from './toml-read.js';

/**
 * The files of a CODEX_HOME as editors. Apart from profiles.ts so that reading a home (`list`)
 * does not load the editor.
 */

/**
 * One editor per read document, as before the split (when the read document was the editor):
 * callers compare editors by identity to see that nothing was edited (planMergeTable).
 */
const editors = new WeakMap<TomlReadDocument, TomlEditor>();

function editorOf(doc: TomlReadDocument): TomlEditor {
  let editor = editors.get(doc);
  if (!editor) editors.set(doc, (editor = TomlEditor.from(doc)));
  return editor;
}

/**
 * config.toml as an editable document, refusing (with file:line:col) when it is not valid TOML.
 * A document read lazily is checked by the syntax tree here, before any edit.
 */
export function editableConfig(state: HomeState): TomlEditor {
  if (state.configText === null) return TomlEditor.empty(state.configPath);
  if (state.config) return editorOf(state.config);
  throw state.errors.find((e) => e.file === state.configPath) ?? new Error(`${state.configPath} could not be read`);
}

/** A profile file as an editable document, refusing when it is not valid TOML. */
export function editableProfileFile(state: HomeState, name: string): TomlEditor | null {
  const entry = state.profileFiles.get(name);
  if (!entry) return null;
  if (entry.doc) return editorOf(entry.doc);
  throw state.errors.find((e) => e.file === entry.path) ?? new Error(`${entry.path} could not be read`);
}
