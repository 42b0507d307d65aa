/**
 * src/system/stdout.ts: what yargs prints (help, version, completion) goes straight to the
 * descriptor, all of it, in order; a closed reader ends the program quietly; a full
 * non-blocking pipe hands the rest to process.stdout's stream, which waits for the reader.
 */
import { writeStdout, type StdoutParts } from '../../../src/system/stdout.js';

function fakeParts(writes: Array<number | NodeJS.ErrnoException>, platform: NodeJS.Platform = 'linux') {
  const written: Buffer[] = [];
  const streamed: Array<string | Uint8Array> = [];
  const exits: number[] = [];
  const parts: StdoutParts = {
    platform,
    writeSync: (fd, buffer, offset, length) => {
      expect(fd).toBe(1);
      const next = writes.shift();
      if (next === undefined) throw new Error('unexpected write');
      if (typeof next !== 'number') throw next;
      const n = Math.min(next, length);
      written.push(Buffer.from(buffer.subarray(offset, offset + n)));
      return n;
    },
    stream: () => ({ write: (chunk) => streamed.push(chunk) }),
    exit: (code) => void exits.push(code),
  };
  return { parts, written, streamed, exits, text: () => Buffer.concat(written).toString('utf8') };
}

const errno = (code: string) => Object.assign(new Error(code), { code });

test('short writes are continued until every byte is out (multi-byte text included)', () => {
  const text = 'Usage: codex-profiles … — ünïcode\n'.repeat(3);
  const f = fakeParts([5, 1, 7, 1000]);
  writeStdout(text, f.parts);
  expect(f.text()).toBe(text);
  expect(f.streamed).toEqual([]);
});

test('a closed reader (EPIPE) ends the program with 0 and nothing else', () => {
  const f = fakeParts([errno('EPIPE')]);
  writeStdout('help\n', f.parts);
  expect(f.exits).toEqual([0]);
  expect(f.streamed).toEqual([]);
});

test('a full non-blocking pipe (EAGAIN): the unwritten rest goes to the stream, nothing twice', () => {
  const f = fakeParts([4, errno('EAGAIN')]);
  writeStdout('0123456789', f.parts);
  expect(f.text()).toBe('0123');
  expect(f.streamed.map((c) => Buffer.from(c).toString())).toEqual(['456789']);
});

test('any other error is not swallowed', () => {
  const f = fakeParts([errno('EIO')]);
  expect(() => writeStdout('x', f.parts)).toThrow('EIO');
});

test('Windows: the stream (it converts to the console encoding)', () => {
  const f = fakeParts([], 'win32');
  writeStdout('héllo\n', f.parts);
  expect(f.written).toEqual([]);
  expect(f.streamed).toEqual(['héllo\n']);
});
