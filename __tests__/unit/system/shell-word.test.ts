/**
 * Commands we print for the user to paste (src/system/shell-word.ts): whatever a server or a
 * config calls a model, the pasted word is that text to the shell, never a command. Checked by
 * handing the quoted words to a real POSIX shell.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { SERVER_KINDS } from '../../../src/discover/registry.js';
import { shellWord, showCommand } from '../../../src/system/shell-word.js';

/** No lone surrogate halves: those do not survive UTF-8 on the way to the shell and back. */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

/** What `sh` makes of a line: each word on its own, NUL-separated. */
function shellWords(line: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

test('plain ids stay as they are (what users see most)', () => {
  for (const id of ['gpt-oss:20b', 'qwen/qwen3-coder-30b@q4_k_m', 'Qwen/Qwen3-Coder-30B-A3B-Instruct', 'a=b,c%d']) expect(shellWord(id)).toBe(id);
});

test('a hostile model id is one inert word to the shell', () => {
  for (const id of ['evil$(touch /tmp/cp-pwned)', "it's", 'a b', '`id`', '; rm -rf ~', '$HOME', 'x\ny', '*', '~']) {
    expect(shellWords(shellWord(id))).toEqual([id]);
  }
});

test('property: any text (no NUL) survives the shell as exactly one word; a command line as its words', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\0') && wellFormed(s)), (s) => {
      expect(shellWords(shellWord(s))).toEqual([s]);
    }),
    { numRuns: 60 },
  );
  expect(shellWords(showCommand(['ollama', 'pull', 'x $(id)', "o'k"]))).toEqual(['ollama', 'pull', 'x $(id)', "o'k"]);
});

test("every server kind's 'get the model' command quotes the model id", () => {
  for (const kind of Object.values(SERVER_KINDS)) {
    const line = kind.getModel('x$(id)');
    expect(line).not.toContain(' x$(id)');
  }
});
