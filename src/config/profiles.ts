import fs from 'node:fs/promises';
import path from 'node:path';
import { TomlReadDocument, loadTomlSyntax } from './toml-read.js';
import { readRegularFile } from '../write/read-file.js';
import { decodeToml, TomlSyntaxError, type TomlTable } from './toml.js';
import { isTable } from './toml-table.js';

/**
 * Where a profile lives. Codex >= 0.134 reads `$CODEX_HOME/NAME.config.toml` (`file`); older
 * versions read `[profiles.NAME]` in config.toml (`table`). See docs/codex-eras.md.
 */
export type ProfileLayout = 'file' | 'table';

export interface Profile {
  name: string;
  layout: ProfileLayout;
  /** The file it lives in. */
  path: string;
  /** 1-based line of `[profiles.NAME]` (tables only). */
  line?: number;
  /** The profile's own keys, as written. */
  values: TomlTable;
  provider?: string;
  model?: string;
}

/** Everything codex-profiles knows about a CODEX_HOME, read once per command. */
export interface HomeState {
  home: string;
  configPath: string;
  /** config.toml as read (null: it does not exist). */
  configText: string | null;
  config: TomlReadDocument | null;
  /** Per-profile files, by profile name: the text as read. */
  profileFiles: Map<string, { path: string; text: string; doc: TomlReadDocument | null }>;
  profiles: Profile[];
  ossProvider?: string;
  /** A top-level `profile = "X"` selector (breaks Codex >= 0.134). */
  profileSelector?: string;
  /** Files that are not valid TOML (reported, never edited). */
  errors: TomlSyntaxError[];
}

export const PROFILE_FILE_SUFFIX = '.config.toml';

export function configPath(home: string): string {
  return path.join(home, 'config.toml');
}

export function profileFilePath(home: string, name: string): string {
  return path.join(home, `${name}${PROFILE_FILE_SUFFIX}`);
}

/**
 * Names Codex accepts for `-p` (>= 0.134 rejects anything else before running) that can also be
 * passed back on a command line: a leading `-` (`-rf`) reads as flags to codex and to us.
 */
export const PROFILE_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export function isValidProfileName(name: string): boolean {
  return PROFILE_NAME_RE.test(name) && name.length <= 64;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// A FIFO or folder named config.toml is refused before it is read (reading a FIFO would hang).
const readBytesOrNull = readRegularFile;

/**
 * How loadHome parses: 'eager' (the default) builds every document's syntax tree index up front,
 * as editing needs; 'lazy' is for commands that only read (`list`), see TomlReadDocument.parse. Both
 * record exactly the same errors and give the same profiles and lines.
 */
export interface LoadOptions {
  index?: 'eager' | 'lazy';
}

/** `NAME` of a `NAME.config.toml` file name (a profile file); undefined for any other name. */
function profileNameOf(fileName: string): string | undefined {
  return fileName.endsWith(PROFILE_FILE_SUFFIX) && fileName.length > PROFILE_FILE_SUFFIX.length ? fileName.slice(0, -PROFILE_FILE_SUFFIX.length) : undefined;
}

/**
 * Reads a TOML file; invalid UTF-8 or TOML is recorded in `errors` (text kept, doc null).
 * `needsIndex`: a lazily parsed document that will be asked for lines gets its index (and the
 * syntax tree's check) here, where a refusal is recorded like any other.
 */
async function readToml(
  file: string,
  errors: TomlSyntaxError[],
  opts: LoadOptions,
  needsIndex?: (doc: TomlReadDocument) => boolean,
): Promise<{ text: string; doc: TomlReadDocument | null } | null> {
  return tomlFrom(await readBytesOrNull(file), file, errors, opts, needsIndex);
}

async function tomlFrom(
  bytes: Uint8Array | null,
  file: string,
  errors: TomlSyntaxError[],
  opts: LoadOptions,
  needsIndex?: (doc: TomlReadDocument) => boolean,
): Promise<{ text: string; doc: TomlReadDocument | null } | null> {
  if (bytes === null) return null;
  let text: string;
  try {
    text = decodeToml(bytes, file);
  } catch (err) {
    if (!(err instanceof TomlSyntaxError)) throw err;
    errors.push(err);
    // Lossy text only for display; such a file is never edited (doc stays null).
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), doc: null };
  }
  return { text, doc: await parseOrRecord(text, file, errors, opts, needsIndex) };
}

async function parseOrRecord(
  text: string,
  file: string,
  errors: TomlSyntaxError[],
  opts: LoadOptions,
  needsIndex?: (doc: TomlReadDocument) => boolean,
): Promise<TomlReadDocument | null> {
  try {
    const doc = await TomlReadDocument.load(text, file, { index: opts.index });
    return needsIndex?.(doc) ? doc.checkSyntax(await loadTomlSyntax()) : doc;
  } catch (err) {
    if (err instanceof TomlSyntaxError) {
      errors.push(err);
      return null;
    }
    throw err;
  }
}

export async function loadHome(home: string, opts: LoadOptions = {}): Promise<HomeState> {
  const errors: TomlSyntaxError[] = [];
  const cfgPath = configPath(home);
  // [profiles.*] tables are listed with their line: that takes config.toml's index.
  const cfg = await readToml(cfgPath, errors, opts, (doc) => doc.get(['profiles']) !== undefined);
  const configText = cfg?.text ?? null;
  const config = cfg?.doc ?? null;
  const profiles: Profile[] = [];
  if (config) profiles.push(...tableProfiles(config, cfgPath, true));

  const profileFiles = new Map<string, { path: string; text: string; doc: TomlReadDocument | null }>();
  let entries: string[] = [];
  try {
    entries = await fs.readdir(home);
  } catch {
    // No CODEX_HOME yet: nothing to list.
  }
  const files = entries.sort().filter((entry) => profileNameOf(entry) !== undefined);
  // Read every file at once; parse them in name order (so errors keep their order).
  const reads = await Promise.allSettled(files.map((entry) => readBytesOrNull(path.join(home, entry))));
  for (const [i, entry] of files.entries()) {
    const file = path.join(home, entry);
    const name = profileNameOf(entry)!;
    const r = reads[i]!;
    if (r.status === 'rejected') throw r.reason;
    const read = await tomlFrom(r.value, file, errors, opts);
    if (read === null) continue;
    const { text, doc } = read;
    profileFiles.set(name, { path: file, text, doc });
    profiles.push(fileProfile(name, file, doc));
  }
  return homeState(home, configText, config, profileFiles, profiles, errors);
}

/** The `[profiles.NAME]` tables of config.toml; `lines` asks the syntax index for their lines. */
function tableProfiles(config: TomlReadDocument, cfgPath: string, lines: boolean): Profile[] {
  const tables = config.get(['profiles']);
  if (!tables || typeof tables !== 'object') return [];
  const out: Profile[] = [];
  for (const [name, values] of Object.entries(tables as TomlTable)) {
    if (!values || typeof values !== 'object' || Array.isArray(values)) continue;
    const v = values as TomlTable;
    out.push({ name, layout: 'table', path: cfgPath, line: lines ? config.lineOf(['profiles', name]) : undefined, values: v, provider: str(v.model_provider), model: str(v.model) });
  }
  return out;
}

function fileProfile(name: string, file: string, doc: TomlReadDocument | null): Profile {
  const v = doc?.data ?? {};
  return { name, layout: 'file', path: file, values: v, provider: str(v.model_provider), model: str(v.model) };
}

function homeState(home: string, configText: string | null, config: TomlReadDocument | null, profileFiles: HomeState['profileFiles'], profiles: Profile[], errors: TomlSyntaxError[]): HomeState {
  return {
    home,
    configPath: configPath(home),
    configText,
    config,
    profileFiles,
    profiles,
    ossProvider: str(config?.get(['oss_provider'])),
    profileSelector: str(config?.get(['profile'])),
    errors,
  };
}

/**
 * The home once `changes` are written (texts we just wrote and read back byte for byte, see
 * src/write/atomic-write.ts), without reading or parsing config.toml again: `docOf` gives the
 * document a plan already made for a text (its data parsed and verified), else the text is parsed
 * for its data alone. Table profiles carry no line. For what `add` says after writing.
 */
export async function homeAfter(
  state: HomeState,
  changes: readonly { path: string; after: string | null }[],
  docOf: (file: string, text: string) => TomlReadDocument | undefined = () => undefined,
): Promise<HomeState> {
  const doc = async (file: string, text: string) => docOf(file, text) ?? (await TomlReadDocument.load(text, file, { index: 'lazy' }));
  let { configText, config } = state;
  const profileFiles = new Map(state.profileFiles);
  for (const c of changes) {
    if (c.path === state.configPath) {
      configText = c.after;
      config = c.after === null ? null : await doc(c.path, c.after);
    } else if (path.dirname(c.path) === state.home && profileNameOf(path.basename(c.path)) !== undefined) {
      const name = profileNameOf(path.basename(c.path))!;
      if (c.after === null) profileFiles.delete(name);
      else profileFiles.set(name, { path: c.path, text: c.after, doc: await doc(c.path, c.after) });
    }
  }
  const profiles = [...(config ? tableProfiles(config, state.configPath, false) : [])];
  for (const [name, f] of profileFiles) profiles.push(fileProfile(name, f.path, f.doc));
  return homeState(state.home, configText, config, profileFiles, profiles, state.errors);
}

export interface ProviderTableRef {
  id: string;
  table: Record<string, unknown>;
  file: string;
  line?: number;
  key(k: string): number | undefined;
}

/** Every `[model_providers.ID]` in config.toml and in the profile files (audit, doctor), with its place. */
export function allProviderTables(state: HomeState): ProviderTableRef[] {
  const out: ProviderTableRef[] = [];
  const docs: Array<{ file: string; doc: HomeState['config'] }> = [{ file: state.configPath, doc: state.config }];
  for (const [, entry] of state.profileFiles) docs.push({ file: entry.path, doc: entry.doc });
  for (const { file, doc } of docs) {
    const mp = doc?.data.model_providers;
    if (!doc || !isTable(mp)) continue;
    for (const [id, table] of Object.entries(mp)) {
      if (!isTable(table)) continue;
      out.push({ id, table, file, line: doc.lineOf(['model_providers', id]), key: (k) => doc.lineOf(['model_providers', id, k]) });
    }
  }
  return out;
}
