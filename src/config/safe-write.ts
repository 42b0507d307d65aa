import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { ConfigError } from '../errors.js';
import { createBackup, stateDir } from './backup.js';

/** One file a plan will create, change or delete (`after: null`). `before` is what we read. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

export interface ApplyResult {
  written: string[];
  backupId?: string;
}

/** A second run waits about this long for the first to finish, then gives a clear error. */
const DEFAULT_LOCK_WAIT_MS = 4_000;

export async function readFileOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** Where the bytes really go: a symlinked config (dotfiles managers) is written through. */
async function writeTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return file;
  }
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * Apply file changes under CODEX_HOME with the guarantees every write gets:
 * one writer at a time (lock), nobody changed the files since we read them (re-read and compare),
 * a backup of every file before the first change, and an atomic replace per file (temp file in
 * the same folder, fsync, rename) that keeps the file's mode. If a later file fails, the earlier
 * ones are put back from the backup, so a run never leaves half its changes behind.
 */
export async function applyChanges(codexHome: string, changes: FileChange[], opts: { lockWaitMs?: number } = {}): Promise<ApplyResult> {
  const real = changes.filter((c) => c.before !== c.after);
  if (real.length === 0) return { written: [] };

  await fs.mkdir(codexHome, { recursive: true, mode: 0o700 });
  const dir = stateDir(codexHome);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });

  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: path.join(dir, 'write.lock'),
      realpath: false,
      // A run that died keeps the lock at most this long; a live run refreshes it.
      stale: 10_000,
      retries: { retries: Math.ceil((opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS) / 100), factor: 1, minTimeout: 100, maxTimeout: 100 },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new ConfigError(
        `another codex-profiles run is changing ${codexHome} right now; nothing was written.`,
        `Wait for it to finish and run again. If no other run is active, the lock is left from a run that was killed: it clears itself within 10 s (or remove ${path.join(dir, 'write.lock')}).`,
      );
    }
    throw err;
  }

  try {
    for (const change of real) {
      const now = await readFileOrNull(change.path);
      if (now !== change.before) {
        throw new ConfigError(
          `${change.path} changed while codex-profiles was working (another program edited it); nothing was written.`,
          'Run the command again to plan against the new contents.',
        );
      }
    }
    const backupId = await createBackup(codexHome, real.map((c) => ({ path: c.path, content: c.before })));
    const done: FileChange[] = [];
    try {
      for (const change of real) {
        await writeOne(change);
        done.push(change);
      }
    } catch (err) {
      for (const change of done.reverse()) {
        await writeOne({ path: change.path, before: change.after, after: change.before }).catch(() => undefined);
      }
      throw new ConfigError(
        `writing ${path.basename(real[done.length]?.path ?? '')} failed (${(err as Error).message}); every file was put back as it was.`,
      );
    }
    return { written: real.map((c) => c.path), backupId };
  } finally {
    await release();
  }
}

async function writeOne(change: FileChange): Promise<void> {
  if (change.after === null) {
    await fs.rm(change.path, { force: true });
    return;
  }
  const target = await writeTarget(change.path);
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const mode = (await existingMode(target)) ?? 0o600;
  await writeFileAtomic(target, change.after, { mode, fsync: true });
}
