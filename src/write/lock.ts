import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ConfigError } from '../errors.js';
import { pidAlive } from './atomic-write.js';

/** A second run waits about this long for the first to finish, then gives a clear error. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;
/** A lock whose owner we cannot check (another host) is stale when not refreshed for this long. */
const STALE_MS = 10_000;
const OWNER = 'owner.json';

interface Owner {
  pid: number;
  host: string;
}

async function readOwner(lockPath: string): Promise<Owner | undefined> {
  try {
    const o = JSON.parse(await fs.readFile(path.join(lockPath, OWNER), 'utf8')) as Owner;
    if (Number.isInteger(o.pid) && typeof o.host === 'string') return o;
  } catch {
    // Not written yet (the owner just took the lock) or an older lock: judged by age instead.
  }
  return undefined;
}

/** The lock's owner ran on this machine and is gone (killed): its lock can go now. */
function ownerGone(o: Owner | undefined): o is Owner {
  return o !== undefined && o.host === os.hostname() && !pidAlive(o.pid);
}

/** Moves a dead run's lock aside; if a live run took it meanwhile, puts it back. */
async function breakLock(lockPath: string, dead: Owner): Promise<boolean> {
  const aside = `${lockPath}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lockPath, aside);
  } catch {
    return false;
  }
  const moved = await readOwner(aside);
  if (moved?.pid !== dead.pid || moved.host !== dead.host) {
    await fs.rename(aside, lockPath).catch(() => undefined);
    return false;
  }
  await fs.rm(aside, { recursive: true, force: true });
  return true;
}

/**
 * One writer per CODEX_HOME. proper-lockfile gives the atomic lock (a folder) and its refresh;
 * we add who holds it (pid + host) so a killed run's lock is taken over at once, and wait with
 * backoff (saying for whom) rather than failing while another run is busy.
 */
export async function acquireLock(
  dir: string,
  opts: { waitMs?: number; onWait?: (message: string) => void } = {},
): Promise<() => Promise<void>> {
  const lockPath = path.join(dir, 'write.lock');
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  const onWait = opts.onWait ?? ((m: string) => process.stderr.write(`${m}\n`));
  let delay = 50;
  let told = false;
  for (;;) {
    try {
      const release = await lockfile.lock(dir, { lockfilePath: lockPath, realpath: false, stale: STALE_MS, retries: 0 });
      await fs.writeFile(path.join(lockPath, OWNER), JSON.stringify({ pid: process.pid, host: os.hostname() }), { mode: 0o600 });
      return async () => {
        // proper-lockfile removes the lock folder with rmdir: it must be empty.
        await fs.rm(path.join(lockPath, OWNER), { force: true });
        await release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    const owner = await readOwner(lockPath);
    if (ownerGone(owner) && (await breakLock(lockPath, owner))) continue;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new ConfigError(
        `another codex-profiles run${owner ? ` (pid ${owner.pid}${owner.host !== os.hostname() ? ` on ${owner.host}` : ''})` : ''} is changing ${path.dirname(dir)} right now; nothing was written.`,
        `Wait for it to finish and run again. A lock left by a killed run on this machine is cleared at once; one from another machine clears within ${STALE_MS / 1000} s (or remove ${lockPath}).`,
        'LOCKED',
      );
    }
    if (!told) {
      onWait(`waiting for another codex-profiles run${owner ? ` (pid ${owner.pid})` : ''} to finish...`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(delay, left)));
    delay = Math.min(delay * 2, 1_000);
  }
}
