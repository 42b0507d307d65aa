#!/usr/bin/env node
/**
 * Installs the real Codex builds the tests and benches run (test-codex/package.json, one npm
 * alias per era) into test-codex/node_modules, from test-codex/package-lock.json.
 *
 * They are not devDependencies of the package: npm links every dependency's bin into
 * node_modules/.bin, and `npx codex-profiles` puts that folder first on PATH, so a pinned test
 * build would shadow the user's own Codex (domain.md, "npx trap"). They are also ~1 GB that a
 * user running `npm install` never needs.
 *
 * Offline after the first run: a stamp (a hash of the lockfile, the platform and the CPU, since
 * npm installs only this machine's native Codex package) is written after a clean `npm ci`; when
 * it matches and every pinned build is there, nothing runs and nothing touches the network.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'test-codex');
const STAMP = path.join(DIR, 'node_modules', '.codex-profiles-installed');

const lock = fs.readFileSync(path.join(DIR, 'package-lock.json'));
const want = `${createHash('sha256').update(lock).digest('hex')} ${process.platform} ${process.arch}\n`;
const aliases = Object.keys(JSON.parse(fs.readFileSync(path.join(DIR, 'package.json'), 'utf8')).dependencies);

function installed() {
  try {
    if (fs.readFileSync(STAMP, 'utf8') !== want) return false;
  } catch {
    return false;
  }
  // A stamp without the builds (someone deleted one) is not trusted.
  return aliases.every((a) => fs.existsSync(path.join(DIR, 'node_modules', a, 'bin', 'codex.js')));
}

if (!installed()) {
  console.error(`Installing the Codex builds the tests run (${aliases.join(', ')}) into test-codex/node_modules (once) ...`);
  // Under `npm test`, npm_execpath is npm's own CLI script: run it with this node, no shell
  // (npm.cmd on Windows cannot be spawned without one).
  const npmCli = process.env.npm_execpath;
  const [file, args] =
    npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  fs.rmSync(STAMP, { force: true });
  const r = spawnSync(file, [...args, 'ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: DIR,
    stdio: 'inherit',
    shell: process.platform === 'win32' && file === 'npm.cmd',
  });
  if (r.status !== 0) {
    console.error(`npm ci in ${DIR} failed (${r.error?.message ?? `exit ${r.status}`}).`);
    process.exit(r.status || 1);
  }
  fs.writeFileSync(STAMP, want);
}
