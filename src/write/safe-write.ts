import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { putFile, removeStaleTemps, resolveWriteTarget, WriteFailed, writeFileVerified } from './atomic-write.js';
import { createBackup, removeIncompleteBackups } from './backup.js';
import { newJournal } from './journal.js';
import { journalPath, stateDir } from './state-dir.js';
import { acquireLock } from './lock.js';
import { readRegularFile } from './read-file.js';
import { finishInterrupted } from './recover.js';

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

export async function readFileOrNull(file: string): Promise<string | null> {
  try {
    const bytes = await readRegularFile(file);
    return bytes === null ? null : bytes.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * The order that never loses data if the run stops between two steps: new and changed profile
 * files first, config.toml next (where migrate removes tables), deletions last.
 */
function writeOrder(codexHome: string, changes: FileChange[]): FileChange[] {
  const config = path.join(codexHome, 'config.toml');
  const rank = (c: FileChange) => (c.after === null ? 2 : c.path === config ? 1 : 0);
  return [...changes].sort((a, b) => rank(a) - rank(b));
}

/** Test seam (e2e kill loops): the process kills itself after this many files were written. */
function crashPoint(step: number): void {
  const at = process.env.CODEX_PROFILES_TEST_CRASH_AFTER;
  if (at !== undefined && Number(at) === step) process.kill(process.pid, 'SIGKILL');
}

/**
 * Apply file changes under CODEX_HOME with the guarantees every write gets:
 * one writer at a time (lock; a run killed part-way before is finished or undone first), nobody
 * changed the files since we read them (re-read and compare), a backup of every file and a journal
 * of the run before the first change, and a verified atomic replace per file (safe order: see
 * writeOrder). If a later file fails, the earlier ones are put back from the backup; if the run is
 * killed, the journal lets the next run do that.
 */
export async function applyChanges(
  codexHome: string,
  changes: FileChange[],
  opts: { lockWaitMs?: number; onWait?: (message: string) => void; onRecovered?: (message: string) => void } = {},
): Promise<ApplyResult> {
  const real = changes.filter((c) => c.before !== c.after);
  if (real.length === 0) return { written: [] };

  await fs.mkdir(codexHome, { recursive: true, mode: 0o700 });
  const dir = stateDir(codexHome);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });

  const release = await acquireLock(dir, { waitMs: opts.lockWaitMs, onWait: opts.onWait });
  try {
    const recovered = await finishInterrupted(codexHome);
    if (recovered) (opts.onRecovered ?? ((m: string) => process.stderr.write(`${m}\n`)))(recovered);
    // Three independent looks under the lock (the backups folder, temp files beside the targets,
    // the targets themselves), at once: each is a few file system round trips. All settle before
    // anything goes on (nothing runs past the lock), and the first failure in this order wins.
    const looks = await Promise.allSettled([
      removeIncompleteBackups(codexHome),
      Promise.all(real.map(async (c) => path.dirname(await resolveWriteTarget(c.path)))).then(async (dirs) => {
        for (const folder of new Set([codexHome, ...dirs])) await removeStaleTemps(folder);
      }),
      Promise.all(real.map((c) => readFileOrNull(c.path))),
    ]);
    for (const look of looks) if (look.status === 'rejected') throw look.reason;
    const now = (looks[2] as PromiseFulfilledResult<(string | null)[]>).value;
    for (const [i, change] of real.entries()) {
      if (now[i] !== change.before) {
        throw new ConfigError(
          `${change.path} changed while codex-profiles was working (another program edited it); nothing was written.`,
          'Run the command again to plan against the new contents.',
          'CONFIG_CHANGED',
        );
      }
    }
    const ordered = writeOrder(codexHome, real);
    let backupId: string;
    try {
      backupId = await createBackup(codexHome, ordered.map((c) => ({ path: c.path, content: c.before })));
      await writeFileVerified(journalPath(codexHome), JSON.stringify(newJournal(backupId, ordered), null, 2), 0o600);
    } catch (err) {
      const reason = err instanceof WriteFailed ? err.message : describeFsError(err);
      throw new ConfigError(`could not save the backup (${reason}); nothing was written.`, 'Free some disk space and run again.', /ENOSPC|EDQUOT/.test(reason) ? 'DISK_FULL' : 'WRITE_FAILED');
    }
    crashPoint(0);
    const done: FileChange[] = [];
    try {
      for (const change of ordered) {
        await putFile(change.path, change.after);
        done.push(change);
        crashPoint(done.length);
      }
    } catch (err) {
      let undone = true;
      for (const change of done.reverse()) {
        await putFile(change.path, change.before).catch(() => (undone = false));
      }
      // Fully put back: the run is over. Otherwise the journal stays for the next run to finish.
      if (undone) await fs.rm(journalPath(codexHome), { force: true });
      const reason = err instanceof WriteFailed ? err.message : describeFsError(err);
      throw new ConfigError(
        `writing ${path.basename(ordered[done.length]?.path ?? '')} failed (${reason}); ${undone ? 'every file was put back as it was' : 'the next codex-profiles run will put the files back'}.`,
        /ENOSPC|EDQUOT/.test(reason) ? 'Free some disk space and run again.' : undefined,
        /ENOSPC|EDQUOT/.test(reason) ? 'DISK_FULL' : 'WRITE_FAILED',
      );
    }
    await fs.rm(journalPath(codexHome), { force: true });
    return { written: real.map((c) => c.path), backupId };
  } finally {
    await release();
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'the disk is full (ENOSPC)';
  return (err as Error).message;
}
