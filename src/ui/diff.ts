import path from 'node:path';
import chalk from 'chalk';
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '../config/safe-write.js';

/** A unified diff of one planned change, as `git diff` would show it. */
export function unifiedDiff(change: FileChange, home?: string): string {
  const name = home ? path.relative(home, change.path) || change.path : change.path;
  const patch = createTwoFilesPatch(
    change.before === null ? '/dev/null' : `a/${name}`,
    change.after === null ? '/dev/null' : `b/${name}`,
    change.before ?? '',
    change.after ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  // Drop the `Index:`-style ===== separator line: people read these like `git diff`.
  return patch.replace(/^=+\n/m, '');
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
