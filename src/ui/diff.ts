import path from 'node:path';
import chalk from 'chalk';
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '../write/safe-write.js';

const CONTEXT = 3;
/** Below this size the texts are diffed as they are. */
const TRIM_ABOVE_CHARS = 32 * 1024;

/** A unified diff of one planned change, as `git diff` would show it. */
export function unifiedDiff(change: FileChange, home?: string): string {
  const name = home ? path.relative(home, change.path) || change.path : change.path;
  const before = change.before ?? '';
  const after = change.after ?? '';
  const cut = before.length + after.length > TRIM_ABOVE_CHARS ? commonStart(before, after) : { start: 0, skipped: 0 };
  let patch = createTwoFilesPatch(
    change.before === null ? '/dev/null' : `a/${name}`,
    change.after === null ? '/dev/null' : `b/${name}`,
    before.slice(cut.start),
    after.slice(cut.start),
    undefined,
    undefined,
    { context: CONTEXT },
  );
  if (cut.skipped > 0) {
    patch = patch.replace(/^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/gm, (_, a: string, b: string, c: string, d: string) =>
      `@@ -${Number(a) + cut.skipped},${b} +${Number(c) + cut.skipped},${d} @@`);
  }
  // Drop the `Index:`-style ===== separator line: people read these like `git diff`.
  return patch.replace(/^=+\n/m, '');
}

/**
 * The lines both texts start with, but the last CONTEXT of them, are left out of the diff (their
 * count, `skipped`, is added back to the hunk line numbers): an edit of a large file changes a
 * few lines, and the diff first walks the common start line by line anyway, so the result is the
 * same byte for byte. (The common end is kept: which of several equal lines is the new one
 * depends on it.)
 */
function commonStart(before: string, after: string): { start: number; skipped: number } {
  const n = Math.min(before.length, after.length);
  let i = 0;
  while (i < n && before.charCodeAt(i) === after.charCodeAt(i)) i++;
  // Start of the line holding the first difference, then CONTEXT lines up (or the file start).
  let start = i === 0 ? 0 : before.lastIndexOf('\n', i - 1) + 1;
  for (let k = 0; k < CONTEXT && start > 0; k++) start = start >= 2 ? before.lastIndexOf('\n', start - 2) + 1 : 0;
  let skipped = 0;
  for (let p = before.indexOf('\n'); p >= 0 && p < start; p = before.indexOf('\n', p + 1)) skipped++;
  return { start, skipped };
}

/** Colour a unified diff (no-op when colour is off). */
export function colorDiff(diffText: string): string {
  return diffText
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return chalk.bold(line);
      if (line.startsWith('+')) return chalk.green(line);
      if (line.startsWith('-')) return chalk.red(line);
      if (line.startsWith('@@')) return chalk.cyan(line);
      return line;
    })
    .join('\n');
}
