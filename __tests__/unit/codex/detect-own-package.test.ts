/**
 * `npx codex-profiles` puts `<package>/node_modules/.bin` first on PATH; a `codex` there (a test
 * build, any dependency's bin) must never be taken for the user's own (domain.md, "npx trap").
 * The package root is injected, so nothing is written into the real checkout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { clearCodexCache, detectCodex, PACKAGE_ROOT } from '../../../src/codex/detect.js';
import { findOnPath, isInsideFolder } from '../../../src/system/which.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { writeCodexStub } from '../../helpers/codex-stub.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

const help = (v: string) => fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', `exec-help-${v}.txt`), 'utf8');

let dir: string;
let pkg: string;
let pkgBin: string;
let userBin: string;

beforeEach(() => {
  dir = makeTempDir('cp-own-pkg-');
  pkg = path.join(dir, 'codex-profiles');
  pkgBin = path.join(pkg, 'node_modules', '.bin');
  userBin = path.join(dir, 'user', 'bin');
  fs.mkdirSync(pkgBin, { recursive: true });
  fs.mkdirSync(userBin, { recursive: true });
  writeCodexStub(pkgBin, { versionText: 'codex-cli 0.131.0', help: help('0.131') });
  clearCodexCache();
});
afterEach(() => removeDir(dir));

test('the default package root is this checkout (src/ and dist/ alike sit two folders below it)', () => {
  expect(PACKAGE_ROOT).toBe(REPO_ROOT);
});

test("a codex in the package's own node_modules/.bin is passed over for the user's, and the warning says so", async () => {
  writeCodexStub(userBin, { versionText: 'codex-cli 0.171.0', help: help('0.169') });
  const env = { PATH: [pkgBin, userBin].join(path.delimiter) };
  // Control: with another package root the first PATH entry wins, as a shell would pick it.
  expect(await detectCodex({ env, packageRoot: path.join(dir, 'elsewhere') })).toMatchObject({ bin: path.join(pkgBin, 'codex'), version: '0.131.0' });

  const info = await detectCodex({ env, packageRoot: pkg });
  expect(info).toMatchObject({ found: true, bin: path.join(userBin, 'codex'), version: '0.171.0', layout: 'file' });
  expect(info.warnings).toEqual([`Ignored ${path.join(pkgBin, 'codex')}: inside codex-profiles' own folder (${pkg}), not your Codex.`]);
});

test('a PATH entry that reaches the package folder through a symlink is passed over too', async () => {
  const link = path.join(dir, 'linked-bin');
  fs.symlinkSync(pkgBin, link, 'dir');
  writeCodexStub(userBin, { versionText: 'codex-cli 0.171.0', help: help('0.169') });
  const info = await detectCodex({ env: { PATH: [link, userBin].join(path.delimiter) }, packageRoot: pkg });
  expect(info).toMatchObject({ found: true, bin: path.join(userBin, 'codex'), version: '0.171.0' });

  // And a package root that is itself reached through a symlink (npm link, a linked checkout).
  const pkgLink = path.join(dir, 'pkg-link');
  fs.symlinkSync(pkg, pkgLink, 'dir');
  clearCodexCache();
  expect(await detectCodex({ env: { PATH: [pkgBin, userBin].join(path.delimiter) }, packageRoot: pkgLink })).toMatchObject({ bin: path.join(userBin, 'codex') });
});

test('only the package has a codex: not found (no test build taken for the user\'s), with the reason', async () => {
  const info = await detectCodex({ env: { PATH: pkgBin }, packageRoot: pkg });
  expect(info.found).toBe(false);
  expect(info.bin).toBeUndefined();
  expect(info.warnings[0]).toMatch(/^codex was not found on PATH/);
  expect(info.warnings[1]).toContain(`Ignored ${path.join(pkgBin, 'codex')}`);
});

test('--codex-bin: a bare name is looked up the same way; an explicit path is the user\'s choice and is used', async () => {
  const named = await detectCodex({ codexBin: 'codex', env: { PATH: pkgBin }, packageRoot: pkg });
  expect(named.found).toBe(false);
  const explicit = await detectCodex({ codexBin: path.join(pkgBin, 'codex'), env: { PATH: '' }, packageRoot: pkg });
  expect(explicit).toMatchObject({ found: true, bin: path.join(pkgBin, 'codex'), version: '0.131.0', warnings: [] });
});

test('isInsideFolder compares whole path segments, by real path', () => {
  // `<pkg>-other` starts with the same letters but is not inside the package.
  expect(isInsideFolder(`${pkg}-other/bin`, pkg, 'linux')).toBe(false);
  expect(isInsideFolder(pkgBin, pkg, 'linux')).toBe(true);
  expect(isInsideFolder(pkg, pkg, 'linux')).toBe(true);
  const skipped: string[] = [];
  expect(findOnPath('codex', { PATH: pkgBin }, 'linux', { exclude: [pkg], onExcluded: (f) => skipped.push(f) })).toBeUndefined();
  expect(skipped).toEqual([path.join(pkgBin, 'codex')]);
});
