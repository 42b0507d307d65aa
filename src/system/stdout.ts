/**
 * What yargs prints itself (help, the version, the completion script), written to standard
 * output at once. process.stdout is a stream Node makes on first use, loading node:stream and
 * node:net or node:fs's SyncWriteStream behind it: ~1.5-2 ms, the largest single cost of
 * `--help` and `--version` (issue 16; scripts/build.mjs points yargs here). A plain write to the
 * descriptor is what that stream does anyway for files, pipes and terminals on macOS and Linux
 * (synchronous there, per Node's process.stdout documentation). Windows keeps the stream, whose
 * console writes turn UTF-8 into the console's own encoding.
 */
import fs from 'node:fs';

/** The parts writeStdout uses, replaceable in tests. */
export interface StdoutParts {
  platform: NodeJS.Platform;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  stream: () => { write(chunk: string | Uint8Array): unknown };
  exit: (code: number) => void;
}

const NODE: StdoutParts = {
  platform: process.platform,
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  stream: () => process.stdout,
  exit: (code) => process.exit(code),
};

export function writeStdout(text: string, parts: StdoutParts = NODE): void {
  if (parts.platform === 'win32') {
    parts.stream().write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += parts.writeSync(1, bytes, done, bytes.length - done);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // The reader stopped early (`| head -1`): it had what it wanted (src/main.ts does the same for the stream).
    if (code === 'EPIPE') return parts.exit(0);
    // A descriptor someone left non-blocking, and a full pipe: the stream waits for it properly.
    if (code === 'EAGAIN') {
      parts.stream().write(bytes.subarray(done));
      return;
    }
    throw err;
  }
}
