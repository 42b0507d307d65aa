import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/**
 * The real-world configs live beside the repo (../shared/corpus); they are not ours to ship. A
 * git worktree sits one level deeper (/work/wt/NAME), so look one level up too.
 */
export const CORPUS_DIR =
  [path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'real-configs'), path.resolve(REPO_ROOT, '..', '..', 'shared', 'corpus', 'real-configs')].find((d) =>
    fs.existsSync(d),
  ) ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'real-configs');
export const TOML_TEST_DIR = path.join(REPO_ROOT, '__tests__', 'fixtures', 'toml-test', 'tests');

/** Where the corpus is absent, say so and skip; in CI it must be there, so fail instead. */
export function corpusAvailable(): boolean {
  if (fs.existsSync(CORPUS_DIR)) return true;
  if (process.env.CI) throw new Error(`the real-config corpus is missing at ${CORPUS_DIR}; CI must have it`);
  // eslint-disable-next-line no-console
  console.warn(`corpus not found at ${CORPUS_DIR}: skipping the real-config round trips`);
  return false;
}

export function corpusFiles(): string[] {
  return fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.toml')).sort();
}

/** toml-test files for TOML 1.1 (the version smol-toml and toml-eslint-parser read). */
export function tomlTestFiles(kind: 'valid' | 'invalid'): string[] {
  return fs
    .readFileSync(path.join(TOML_TEST_DIR, 'files-toml-1.1.0'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${kind}/`) && l.endsWith('.toml'));
}

/** True when `after` is `before` with one contiguous run of text inserted. */
export function isPureInsertion(before: string, after: string): boolean {
  if (after.length < before.length) return false;
  let p = 0;
  while (p < before.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  return p + s === before.length;
}
