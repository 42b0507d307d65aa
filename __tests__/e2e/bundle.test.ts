/**
 * Issue 16: the shipped CLI is one bundle (scripts/build.mjs, dist/) with one path for every
 * invocation: help, the version and every command go through the same yargs parser (src/cli.ts).
 * What the bundle must still carry from outside src/: yargs' translations, the version, the
 * profile templates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
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
