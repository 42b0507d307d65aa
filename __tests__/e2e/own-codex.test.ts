/**
 * The npx trap (domain.md): `npx codex-profiles` puts `<package>/node_modules/.bin` first on PATH.
 * A `codex` there (once, the pinned test builds) must never be taken for the user's own. The
 * built CLI runs from a copy of the package (bin/, dist/, templates/, package.json, and a
 * node_modules of links to this checkout's) whose own node_modules/.bin holds a codex stand-in,
 * so nothing is written into the real checkout.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { writeCodexStub } from '../helpers/codex-stub.js';
import { makeSandbox, makeTempDir, removeDir, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const help169 = fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'exec-help-0.169.txt'), 'utf8');
const help131 = fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'exec-help-0.131.txt'), 'utf8');

let pkg: string;
let pkgBin: string;
let userBin: string;
let sb: Sandbox;

beforeAll(() => {
  pkg = makeTempDir('cp-own-codex-');
  for (const part of ['bin', 'dist', 'templates']) fs.cpSync(path.join(REPO_ROOT, part), path.join(pkg, part), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(pkg, 'package.json'));
  // node_modules: links to this checkout's packages, and a .bin of the copy's own.
  fs.mkdirSync(path.join(pkg, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    if (entry !== '.bin') fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(pkg, 'node_modules', entry), 'dir');
  }
  pkgBin = path.join(pkg, 'node_modules', '.bin');
  fs.mkdirSync(pkgBin);
  writeCodexStub(pkgBin, { versionText: 'codex-cli 0.131.0', help: help131 });
  sb = makeSandbox();
  userBin = path.join(sb.root, 'user-bin');
  fs.mkdirSync(userBin);
  writeCodexStub(userBin, { versionText: 'codex-cli 0.171.0', help: help169 });
});
afterAll(() => {
  removeDir(pkg);
  sb.cleanup();
});

function run(args: string[], PATH: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Providers on a closed loopback port: doctor reports them down, nothing leaves 127.0.0.1.
    const env = sandboxEnv(sb, { PATH, CODEX_OSS_BASE_URL: 'http://127.0.0.1:9/v1', XDG_CACHE_HOME: path.join(sb.root, 'cache') });
    const child = execFile(process.execPath, [path.join(pkg, 'bin', 'codex-profiles.js'), ...args], { env, cwd: pkg }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

test("PATH starting with the package's own node_modules/.bin: doctor uses the user's codex and says where it is", async () => {
  const r = await run(['doctor', '--json'], [pkgBin, userBin].join(path.delimiter));
  const doc = JSON.parse(r.stdout) as { codex: { found: boolean; bin?: string; version?: string; layout: string } };
  expect(doc.codex).toMatchObject({ found: true, bin: path.join(userBin, 'codex'), version: '0.171.0', layout: 'file' });

  const text = await run(['doctor'], [pkgBin, userBin].join(path.delimiter));
  expect(text.stdout).toContain(`codex        ${path.join(userBin, 'codex')}  0.171.0`);
  expect(text.stdout + text.stderr).not.toContain('0.131.0');
});

test('no codex but the package\'s own: "not found", never the stand-in', async () => {
  const r = await run(['doctor', '--json'], pkgBin);
  const doc = JSON.parse(r.stdout) as { codex: { found: boolean; bin?: string } };
  expect(doc.codex.found).toBe(false);
  expect(doc.codex.bin).toBeUndefined();
  expect(r.code).toBe(1);
});
