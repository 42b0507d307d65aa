import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { kindOf, notRegular } from './read-file.js';

/**
 * The one call that puts bytes on disk. Tests replace it to stage a full disk or a short write
 * (write(2) may write fewer bytes than asked; on a full disk the next call fails with ENOSPC).
 */
export const diskIo = {
  write: async (handle: fs.FileHandle, bytes: Uint8Array, offset: number, length: number, position: number): Promise<number> =>
    (await handle.write(bytes, offset, length, position)).bytesWritten,
};

// Temp files carry our mark and the writer's pid, so a later run can tell a dead run's leftovers
// from a live run's work in progress: `config.toml.codex-profiles-<pid>-<random>.tmp`.
const TEMP_RE = /\.codex-profiles-(\d+)-[0-9a-f]{8}\.tmp$/;

function tempName(target: string): string {
  return `${target}.codex-profiles-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files that runs which no longer exist left in `dir`. */
export async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) await fs.rm(path.join(dir, name), { force: true });
  }
}

/**
 * Where the bytes of `file` really go. A symlinked config (dotfiles managers) is written through,
 * also when its target does not exist yet (then the target's folder must). Anything but a regular
 * file at the end (a FIFO, a folder) is refused.
 */
export async function resolveWriteTarget(file: string): Promise<string> {
  let current = file;
  for (let hops = 0; hops < 32; hops++) {
    let st;
    try {
      st = await fs.lstat(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      // Not there yet: created by the write (its folder with it), as before.
      if (current === file) return current;
      const parent = path.dirname(current);
      const pst = await fs.stat(parent).catch(() => null);
      if (!pst?.isDirectory()) {
        throw new ConfigError(`${file} is a symlink to ${current}, whose folder does not exist; nothing was written.`, `Create ${parent} (or point the link elsewhere) and run again.`, 'WRITE_FAILED');
      }
      return current;
    }
    if (st.isSymbolicLink()) {
      current = path.resolve(path.dirname(current), await fs.readlink(current));
      continue;
    }
    if (!st.isFile()) throw notRegular(file, kindOf(st));
    return current;
  }
  throw new ConfigError(`${file}: too many levels of symbolic links; nothing was written.`, undefined, 'WRITE_FAILED');
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'the disk is full (ENOSPC)';
  if (code === 'EDQUOT') return 'the disk quota is used up (EDQUOT)';
  if (code === 'EIO') return 'the disk reported an I/O error (EIO)';
  return (err as Error).message;
}

/** A failed write, with the reason in words; the target was not touched. */
export class WriteFailed extends Error {
  constructor(readonly target: string, reason: string) {
    super(reason);
  }
}

/**
 * Atomic replace that proves itself: the new text goes to a temp file next to the target, every
 * byte written (short writes continued), fsynced, read back and compared, and only then renamed
 * over the target. Any failure removes the temp file and leaves the target as it was.
 * (Replaces write-file-atomic 7, which ignores a short write count and never reads back.)
 */
export async function writeFileVerified(target: string, text: string, mode: number): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const tmp = tempName(target);
  let handle: fs.FileHandle | undefined;
  try {
    const old = await fs.stat(target).catch(() => null);
    handle = await fs.open(tmp, 'wx', mode);
    let done = 0;
    while (done < bytes.length) {
      const n = await diskIo.write(handle, bytes, done, bytes.length - done, done);
      if (!(n > 0)) throw Object.assign(new Error('no more bytes fit on the disk'), { code: 'ENOSPC' });
      done += n;
    }
    if (process.platform !== 'win32') {
      await handle.chmod(mode);
      // Keep the owner when root edits someone's file (what write-file-atomic did).
      if (old && process.getuid?.() === 0 && (old.uid !== 0 || old.gid !== 0)) await handle.chown(old.uid, old.gid).catch(() => undefined);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    const back = await fs.readFile(tmp);
    if (!back.equals(bytes)) {
      throw new Error(`only ${back.length} of ${bytes.length} bytes reached the disk (read back after writing)`);
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new WriteFailed(target, describe(err));
  }
}

/** Puts `text` in `file` (through a symlink), keeping its mode; null deletes it. */
export async function putFile(file: string, text: string | null): Promise<void> {
  if (text === null) {
    await fs.rm(file, { force: true });
    return;
  }
  const target = await resolveWriteTarget(file);
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const mode = await fs.stat(target).then((s) => s.mode & 0o7777, () => 0o600);
  await writeFileVerified(target, text, mode);
}
