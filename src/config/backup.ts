import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';

/** Our own folder under CODEX_HOME: backups and the write lock. Codex ignores it. */
export function stateDir(codexHome: string): string {
  return path.join(codexHome, 'codex-profiles');
}

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

export async function createBackup(codexHome: string, files: { path: string; content: string | null }[]): Promise<string> {
  const id = newId();
  const dir = path.join(backupsDir(codexHome), id);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
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
  await fs.writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ id, createdAt: new Date().toISOString(), files: manifest }, null, 2),
    { mode: 0o600 },
  );
  await pruneBackups(codexHome);
  return id;
}

async function pruneBackups(codexHome: string): Promise<void> {
  const ids = (await listBackupIds(codexHome)).sort();
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

async function readManifest(codexHome: string, id: string): Promise<{ info: BackupInfo; entries: ManifestEntry[] }> {
  const file = path.join(backupsDir(codexHome), id, 'manifest.json');
  let raw: { createdAt: string; files: ManifestEntry[] };
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    throw new ConfigError(`no backup named ${id} in ${backupsDir(codexHome)}`, 'See the available ones with `codex-profiles restore --list`.');
  }
  return {
    info: { id, createdAt: raw.createdAt, files: raw.files.map((f) => ({ path: f.path, existed: f.copy !== undefined })) },
    entries: raw.files,
  };
}

/** Newest first. */
export async function listBackups(codexHome: string): Promise<BackupInfo[]> {
  const ids = (await listBackupIds(codexHome)).sort().reverse();
  const out: BackupInfo[] = [];
  for (const id of ids) {
    try {
      out.push((await readManifest(codexHome, id)).info);
    } catch {
      // A folder without a readable manifest is not one of ours to offer.
    }
  }
  return out;
}

/** The contents each file had before the run that made backup `id` (null: it did not exist). */
export async function backupContents(codexHome: string, id: string): Promise<{ path: string; content: string | null }[]> {
  if (!/^[\w.-]+$/.test(id)) throw new ConfigError(`not a backup id: ${id}`);
  const { entries } = await readManifest(codexHome, id);
  const dir = path.join(backupsDir(codexHome), id);
  return Promise.all(
    entries.map(async (e) => ({ path: e.path, content: e.copy ? await fs.readFile(path.join(dir, e.copy), 'utf8') : null })),
  );
}
