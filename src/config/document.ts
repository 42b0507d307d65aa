/**
 * The old single document type, split into a read type (toml-read.ts) and an editor
 * (toml-edit.ts). Kept as re-exports while branches that import it merge.
 */
export { TomlEditor as TomlDocument, TomlEditor } from './toml-edit.js';
export { TomlReadDocument } from './toml-read.js';
