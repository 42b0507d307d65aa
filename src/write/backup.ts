import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readRegularFile } from './read-file.js';
import { stateDir } from './state-dir.js';

/** Our own folder under CODEX_HOME: backups, the write lock and the journal. Codex ignores it. */

function backupsDir(codexHome: string): string {
  return path.join(stateDir(codexHome), 'backups');
}

/** How many runs' backups are kept; older ones are pruned after each new backup. */
export const BACKUPS_KEPT = 20;

interface ManifestEntry {
  /** Absolute path of the file as the run saw it. */
  path: string;
  /** Name of the copy inside the backup folder; absent when the file did not exist. */
  copy?: string;
}

export interface BackupInfo {
  id: string;
  createdAt: string;
  files: { path: string; existed: boolean }[];
}

let sequence = 0;

function newId(now = new Date()): string {
  // Sortable, filesystem-safe on every OS (no colons), unique across processes and within one.
  sequence += 1;
  return `${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}-${sequence}`;
}

/** Backups hold config text (maybe secrets): owner-only folders, whatever the umask or an older run made. */
async function makePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await fs.chmod(dir, 0o700);
}

export async function createBackup(codexHome: string, files: { path: string; content: string | null }[]): Promise<string> {
  const id = newId();
  const dir = path.join(backupsDir(codexHome), id);
  await makePrivateDir(stateDir(codexHome));
  await makePrivateDir(backupsDir(codexHome));
  await makePrivateDir(dir);
  try {
    const manifest: ManifestEntry[] = [];
    for (const [i, file] of files.entries()) {
      if (file.content === null) {
        manifest.push({ path: file.path });
        continue;
      }
      const copy = `${i}-${path.basename(file.path)}`;
      await fs.writeFile(path.join(dir, copy), file.content, { mode: 0o600 });
      manifest.push({ path: file.path, copy });
    }
    // The manifest last: a folder without one is a backup that never finished (see below).
    await fs.writeFile(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ id, createdAt: new Date().toISOString(), files: manifest }, null, 2),
      { mode: 0o600 },
    );
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  await pruneBackups(codexHome);
  return id;
}

/** Backup folders without a manifest: runs killed while saving. Called under the write lock. */
export async function removeIncompleteBackups(codexHome: string): Promise<void> {
  for (const id of await listBackupIds(codexHome)) {
    const dir = path.join(backupsDir(codexHome), id);
    if (!(await fs.stat(path.join(dir, 'manifest.json')).catch(() => null))) await fs.rm(dir, { recursive: true, force: true });
  }
}

async function pruneBackups(codexHome: string): Promise<void> {
  // Reading every manifest (the order is by the time each recorded) is only worth it when there
  // are more folders than are kept: unusable folders count here, so fewer means nothing to prune.
  if ((await listBackupIds(codexHome)).length <= BACKUPS_KEPT) return;
  const ids = (await listBackups(codexHome)).map((b) => b.id).reverse();
  for (const id of ids.slice(0, Math.max(0, ids.length - BACKUPS_KEPT))) {
    await fs.rm(path.join(backupsDir(codexHome), id), { recursive: true, force: true });
  }
}

async function listBackupIds(codexHome: string): Promise<string[]> {
  try {
    return (await fs.readdir(backupsDir(codexHome), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

function badManifest(id: string, why: string): ConfigError {
  return new ConfigError(
    `backup ${id} cannot be restored: its manifest.json ${why}. Nothing was changed.`,
    'codex-profiles only restores config.toml and NAME.config.toml files directly inside CODEX_HOME, from copies inside the backup folder.',
    'BACKUP_INVALID',
  );
}

const PROFILE_FILE = /^[^/\\]+\.config\.toml$/;

/**
 * A manifest is data anyone who can write the backups folder could have planted: every path
 * must be one codex-profiles writes (config.toml or NAME.config.toml directly in CODEX_HOME, no
 * `..`, no symlink leading elsewhere but a symlinked config.toml), every copy a regular file in
 * the backup's own folder.
 */
async function checkEntry(codexHome: string, id: string, dir: string, e: unknown, i: number): Promise<ManifestEntry> {
  const entry = e as ManifestEntry;
  if (!entry || typeof entry.path !== 'string' || (entry.copy !== undefined && typeof entry.copy !== 'string')) throw badManifest(id, `has a malformed entry (#${i + 1})`);
  const p = entry.path;
  const name = path.basename(p);
  if (!path.isAbsolute(p) || path.normalize(p) !== p || p.split(/[/\\]/).includes('..') || path.dirname(p) !== path.resolve(codexHome) || (name !== 'config.toml' && !PROFILE_FILE.test(name))) {
    throw badManifest(id, `names ${JSON.stringify(p)}, which is not a config file directly inside ${codexHome}`);
  }
  const st = await fs.lstat(p).catch(() => null);
  if (st?.isSymbolicLink() && name !== 'config.toml') {
    const real = await fs.realpath(p).catch(() => null);
    const home = await fs.realpath(codexHome);
    if (!real || path.dirname(real) !== home) throw badManifest(id, `names ${p}, a symlink that leads outside ${codexHome}`);
  } else if (st && !st.isSymbolicLink() && !st.isFile()) {
    throw badManifest(id, `names ${p}, which is not a regular file`);
  }
  if (entry.copy !== undefined) {
    if (entry.copy !== path.basename(entry.copy) || entry.copy === '..' || entry.copy === '.' || entry.copy === 'manifest.json') throw badManifest(id, `points outside its own folder (${JSON.stringify(entry.copy)})`);
    const cst = await fs.lstat(path.join(dir, entry.copy)).catch(() => null);
    if (!cst?.isFile()) throw badManifest(id, `lists a copy that is missing or not a regular file (${entry.copy})`);
  }
  return { path: p, ...(entry.copy !== undefined ? { copy: entry.copy } : {}) };
}

async function readManifest(codexHome: string, id: string): Promise<{ info: BackupInfo; entries: ManifestEntry[] }> {
  const dir = path.join(backupsDir(codexHome), id);
  const file = path.join(dir, 'manifest.json');
  let raw: { createdAt: unknown; files: unknown };
  try {
    raw = JSON.parse((await readRegularFile(file))?.toString('utf8') ?? '');
  } catch {
    throw new ConfigError(`no backup named ${id} in ${backupsDir(codexHome)}`, 'See the available ones with `codex-profiles restore --list`.', 'BACKUP_NOT_FOUND');
  }
  if (typeof raw?.createdAt !== 'string' || Number.isNaN(Date.parse(raw.createdAt))) throw badManifest(id, 'has no valid createdAt time');
  if (!Array.isArray(raw.files)) throw badManifest(id, 'has no list of files');
  const entries = await Promise.all(raw.files.map((e, i) => checkEntry(codexHome, id, dir, e, i)));
  return {
    info: { id, createdAt: raw.createdAt, files: entries.map((f) => ({ path: f.path, existed: f.copy !== undefined })) },
    entries,
  };
}

/** Newest first, by the time each backup recorded (not by folder name). Unusable folders are left out. */
export async function listBackups(codexHome: string): Promise<BackupInfo[]> {
  const out: BackupInfo[] = [];
  for (const id of await listBackupIds(codexHome)) {
    try {
      out.push((await readManifest(codexHome, id)).info);
    } catch {
      // A folder without a readable, valid manifest is not one of ours to offer.
    }
  }
  return out.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** The contents each file had before the run that made backup `id` (null: it did not exist). */
export async function backupContents(codexHome: string, id: string): Promise<{ path: string; content: string | null }[]> {
  if (!/^[\w.-]+$/.test(id) || id === '.' || id === '..') throw new ConfigError(`not a backup id: ${id}`, undefined, 'BACKUP_NOT_FOUND');
  const { entries } = await readManifest(codexHome, id);
  const dir = path.join(backupsDir(codexHome), id);
  return Promise.all(
    entries.map(async (e) => ({ path: e.path, content: e.copy ? ((await readRegularFile(path.join(dir, e.copy))) ?? Buffer.alloc(0)).toString('utf8') : null })),
  );
}
