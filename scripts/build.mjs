#!/usr/bin/env node
/**
 * Builds dist/: tsc (tsconfig.build.json), then dist/help.json (scripts/render-help.mjs).
 *
 * `--if-stale` (npm's `prepare`, `npm test`): skip when dist/ was built from exactly the current
 * inputs and has not been touched since, so that a second `npm install` does not rebuild. The
 * stamp (dist/.build-stamp) holds a hash of the inputs (src/, the tsconfig files, package.json,
 * package-lock.json for the compiler's version, the build scripts) and a hash of every file in
 * dist/ as written; any difference in either rebuilds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/render-help.mjs'];

/** Every file under `rel` (or `rel` itself), as paths relative to ROOT with `/`, sorted. */
function files(rel) {
  const abs = path.join(ROOT, rel);
  let st;
  try {
    st = fs.statSync(abs);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [rel.split(path.sep).join('/')];
  return fs
    .readdirSync(abs)
    .sort()
    .flatMap((name) => files(path.join(rel, name)));
}

function hashOf(list) {
  const h = createHash('sha256');
  for (const rel of list) h.update(`${rel}\0`).update(fs.readFileSync(path.join(ROOT, rel))).update('\0');
  return h.digest('hex');
}

const inputHash = () => hashOf(INPUTS.flatMap(files));
const outputHash = () => hashOf(files('dist').filter((f) => f !== 'dist/.build-stamp'));

function upToDate() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    return stamp.inputs === inputHash() && stamp.outputs === outputHash();
  } catch {
    return false;
  }
}

function run(file, args) {
  const r = spawnSync(file, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status || 1);
}

if (process.argv.includes('--if-stale') && upToDate()) {
  console.error('dist/ is up to date with src/ (scripts/build.mjs): not rebuilt.');
} else {
  fs.rmSync(STAMP, { force: true });
  const inputs = inputHash();
  run(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  run(process.execPath, [path.join(ROOT, 'scripts', 'render-help.mjs')]);
  // The inputs as they were when the build started: an edit during the build rebuilds next time.
  fs.writeFileSync(STAMP, JSON.stringify({ inputs, outputs: outputHash() }) + '\n');
}
