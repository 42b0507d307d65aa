/**
 * Issue 16: the shipped CLI is one bundle (scripts/build.mjs, dist/) with one path for every
 * invocation: help, the version and every command go through the same yargs parser (src/cli.ts).
 * What the bundle must still carry from outside src/: yargs' translations, the version, the
 * profile templates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli, runProgram } from '../helpers/cli.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';
import { commands } from '../../src/commands/index.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
});
afterEach(() => sb.cleanup());

const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('--version and -v: the package version, from the bundle', async () => {
  for (const flag of ['--version', '-v']) {
    const r = await runCli([flag], { env: sandboxEnv(sb) });
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  }
});

test('--help names every command of src/commands/index.ts; COMMAND --help is that command\'s', async () => {
  const top = await runCli(['--help'], { env: sandboxEnv(sb) });
  expect(top.code).toBe(0);
  for (const c of commands) expect(top.stdout).toContain(`codex-profiles ${String(c.command).split(' ')[0]}`);
  const add = await runCli(['add', '-h'], { env: sandboxEnv(sb) });
  expect(add.code).toBe(0);
  expect(add.stdout).toMatch(/^codex-profiles add/);
  expect(add.stdout).toContain('--dry-run');
});

test('another language: yargs translates its help (the bundle ships yargs\' locales)', async () => {
  const r = await runCli(['--help'], { env: { ...sandboxEnv(sb), LANG: 'de_DE.UTF-8' } });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Optionen:');
  const en = await runCli(['--help'], { env: { ...sandboxEnv(sb), LANG: 'C' } });
  expect(en.stdout).toContain('Options:');
});

test('a usage mistake (exit 2) and a list (exit 0) run from the same bundle', async () => {
  const bogus = await runCli(['list', '--bogus'], { env: sandboxEnv(sb) });
  expect(bogus.code).toBe(2);
  expect(bogus.stderr).toMatch(/bogus/);
  const list = await runCli(['list', '--json'], { env: sandboxEnv(sb) });
  expect(list.code).toBe(0);
  expect(JSON.parse(list.stdout).profiles).toEqual([]);
});

test('V8 code cache (bin/): written beside the bundle, keyed by build and Node, never trusted when broken or stale', async () => {
  // A copy of the package, so the checkout's own dist/.v8-cache is not touched.
  const pkg = path.join(sb.root, 'pkg');
  for (const part of ['bin', 'dist']) fs.cpSync(path.join(REPO_ROOT, part), path.join(pkg, part), { recursive: true, filter: (src) => !src.includes('.v8-cache') });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(pkg, 'package.json'));
  const cli = path.join(pkg, 'bin', 'codex-profiles.js');
  const cacheDir = path.join(pkg, 'dist', '.v8-cache');
  const run = (args: string[]) => runProgram(process.execPath, [cli, ...args], { env: sandboxEnv(sb) });
  const build = (JSON.parse(fs.readFileSync(path.join(pkg, 'dist', 'package.json'), 'utf8')) as { build: string }).build;
  const mainCache = path.join(cacheDir, `main.${build}.${process.version}-${process.arch}.bin`);

  expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  expect(fs.statSync(mainCache).size).toBeGreaterThan(1000);

  // A broken cache is rejected by V8, the file compiles from source, and a good cache replaces it.
  fs.writeFileSync(mainCache, 'not a code cache');
  const list = await run(['list', '--json']);
  expect(list).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(list.stdout).profiles).toEqual([]);
  expect(fs.readFileSync(mainCache, 'utf8')).not.toBe('not a code cache');

  // Another build of dist/ never reads this build's cache.
  fs.writeFileSync(path.join(pkg, 'dist', 'package.json'), JSON.stringify({ type: 'commonjs', build: 'otherbuild' }));
  expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  expect(fs.existsSync(path.join(cacheDir, `main.otherbuild.${process.version}-${process.arch}.bin`))).toBe(true);

  // Nowhere to write (a read-only install; as root, a file where the folder would be): runs all the same.
  fs.rmSync(cacheDir, { recursive: true });
  fs.writeFileSync(cacheDir, '');
  expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
});
