import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { ConfigError } from '../errors.js';

/** What a non-regular file is, for the message. */
export function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export function notRegular(file: string, kind: string): ConfigError {
  return new ConfigError(`${file} is ${kind}, not a regular file; codex-profiles only reads and writes regular files. Nothing was changed.`, `Replace it with a regular file (or a symlink to one).`, 'NOT_A_FILE');
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever, before we
// could look at what it is. Windows has no FIFOs and no such flag.
const READ_FLAGS = constants.O_NONBLOCK !== undefined && process.platform !== 'win32' ? constants.O_RDONLY | constants.O_NONBLOCK : 'r';

/**
 * A file's bytes, or null when it does not exist. Anything but a regular file (a FIFO, a folder,
 * a device) is refused: it is opened without blocking and checked before a byte is read.
 */
export async function readRegularFile(file: string): Promise<Buffer | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, READ_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw notRegular(file, 'a folder');
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegular(file, kindOf(st));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
