/**
 * Issue 16: `npm pack` holds only what runs, and the packed tarball installed globally (into a
 * temporary prefix, offline, with an empty npm cache: the package has no runtime dependencies to
 * fetch) gives a working `codex-profiles`. Runs the built dist/ (npm test builds it first).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, parseJson, runProgram } from '../helpers/cli.js';
import { CODEX_BINS } from '../helpers/codex-bins.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { makeSandbox, makeTempDir, removeDir, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let packed: { filename: string; files: { path: string }[] };
let installed: string;
let ollama: FakeOllama;
let sb: Sandbox;

beforeAll(async () => {
  work = makeTempDir('cp-pack-');
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b', contextLength: 32768 }] });
  // --ignore-scripts: pack what the build left in dist/, without `prepare` building it again.
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8' });
  packed = (JSON.parse(out) as (typeof packed)[])[0]!;
  const prefix = path.join(work, 'prefix');
  execFileSync(
    npm,
    ['install', '--global', '--prefix', prefix, '--offline', '--cache', path.join(work, 'empty-cache'), '--no-audit', '--no-fund', path.join(work, packed.filename)],
    { cwd: work, encoding: 'utf8', stdio: 'pipe' },
  );
  installed = process.platform === 'win32' ? path.join(prefix, 'codex-profiles.cmd') : path.join(prefix, 'bin', 'codex-profiles');
}, 120_000);
afterAll(async () => {
  await ollama?.close();
  removeDir(work);
});
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
});
afterEach(() => sb.cleanup());

test('the tarball holds only what runs: the bundle, bin, templates, docs, package.json, README', () => {
  const files = packed.files.map((f) => f.path).sort();
  expect(files).toContain('dist/main.js');
  expect(files).toContain('bin/codex-profiles.js');
  expect(files).toContain('templates/ollama.toml');
  const strays = files.filter((f) => !/^(bin|dist|docs|templates)\/|^(package\.json|README\.md|LICENSE)$/.test(f) || /\.(ts|map)$/.test(f) || f.includes('.build-stamp'));
  expect(strays).toEqual([]);
  // bin/'s V8 code cache is made on the user's machine, for the user's Node.
  expect(files.filter((f) => f.includes('.v8-cache'))).toEqual([]);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: object };
  expect(pkg.dependencies ?? {}).toEqual({});
});

test('installed from the tarball: --version, models --json, add --dry-run', async () => {
  const pkgDir = path.join(path.dirname(path.dirname(installed)), 'lib', 'node_modules', 'codex-profiles');
  if (process.platform !== 'win32') expect(fs.existsSync(path.join(pkgDir, 'dist', 'main.js'))).toBe(true);
  // Nothing of the package's own (least of all a codex) lands in a node_modules/.bin of its own.
  expect(fs.existsSync(path.join(pkgDir, 'node_modules'))).toBe(false);
  const env = sandboxEnv(sb);
  const version = await runProgram(installed, ['--version'], { env });
  expect(version).toMatchObject({ code: 0, stdout: `${(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n` });

  const models = await runProgram(installed, ['models', '--json', '--provider', 'ollama', '--ollama-url', ollama.url], { env });
  expect(models.code).toBe(0);
  expect(JSON.stringify(parseJson(models))).toContain('qwen2.5-coder:7b');

  const add = await runProgram(installed, ['add', 'qwen2.5-coder:7b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--dry-run'], { env });
  expect(add.code).toBe(0);
  expect(add.stdout).toContain('model = "qwen2.5-coder:7b"');
  expect(fs.readdirSync(sb.codexHome)).toEqual([]);
});
