/**
 * Issue 16: the standalone executable (scripts/build-sea.mjs, Node's single executable
 * applications) for people who installed Codex without Node. Built once here (a few seconds:
 * the host's own Node is the base, nothing is downloaded), then run with NO node on PATH: PATH
 * holds only a temporary bin folder with the real (native) codex 0.169 in it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { baseConfig, fileProfile, makeHome, OLLAMA_MODEL, responsesCalls, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';
import { parseJson, REPO_ROOT, runProgram } from '../helpers/cli.js';
import { makeTempDir, removeDir } from '../helpers/tmp.js';

/** The native codex binary the npm package's codex.js launches (one per platform, in vendor/). */
function nativeCodex(version: string): string {
  const vendor = path.join(REPO_ROOT, 'test-codex', 'node_modules', `codex-${version}`, 'node_modules', '@openai', `codex-${process.platform}-${process.arch}`, 'vendor');
  const [triple] = fs.readdirSync(vendor);
  return path.join(vendor, triple!, 'bin', 'codex');
}

let work: string;
let exe: string;
let f: Fakes;
let home: Home;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = makeTempDir('cp-sea-test-');
  exe = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-sea.mjs'), '--out', path.join(work, 'out')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(nativeCodex('0.169'), path.join(bin, 'codex'));
  f = await startFakes();
  home = makeHome(f);
  home.write('config.toml', baseConfig(f.decoy));
  home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
  env = { ...home.env, PATH: bin };
}, 120_000);
afterAll(async () => {
  await f?.close();
  home?.sb.cleanup();
  removeDir(work);
});

const run = (args: string[]) => runProgram(exe, args, { env, timeoutMs: 120_000 });

test('no node on PATH: the only programs there are codex', () => {
  expect(fs.readdirSync(env.PATH!)).toEqual(['codex']);
  expect(path.basename(exe)).toBe(`codex-profiles-${process.platform}-${process.arch}`);
});

test('--version', async () => {
  const r = await run(['--version']);
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test('models --json against the fake Ollama', async () => {
  const r = await run(['models', '--json', '--provider', 'ollama', '--ollama-url', f.ollama.url]);
  expect(r.code).toBe(0);
  expect(JSON.stringify(parseJson(r))).toContain(OLLAMA_MODEL);
});

test('add --dry-run: the planned profile from the bundled template, nothing written', async () => {
  const before = fs.readdirSync(home.sb.codexHome).sort();
  const r = await run(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', f.ollama.url, '--dry-run']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('model = "gpt-oss:20b"');
  expect(r.stdout).toContain('(written by codex-profiles)');
  expect(fs.readdirSync(home.sb.codexHome).sort()).toEqual(before);
});

test('test oll: the codex on PATH runs the profile against the fake Ollama and passes', async () => {
  f.reset();
  const r = await run(['test', 'oll', '--json', '--timeout', '60']);
  expect(r.code).toBe(0);
  const doc = parseJson(r);
  expect(doc).toMatchObject({ ok: true, codex: { version: '0.169.0', layout: 'file' } });
  expect(responsesCalls(f.ollama)).toHaveLength(1);
  expect(f.decoy.requests).toEqual([]);
});

test("installed beside the user's codex (one bin folder, as with Homebrew or ~/.local/bin): that codex is used, not ignored as our own", async () => {
  const shared = path.join(work, 'shared-bin');
  fs.mkdirSync(shared);
  fs.copyFileSync(exe, path.join(shared, 'codex-profiles'));
  fs.chmodSync(path.join(shared, 'codex-profiles'), 0o755);
  fs.symlinkSync(nativeCodex('0.169'), path.join(shared, 'codex'));
  const r = await runProgram(path.join(shared, 'codex-profiles'), ['test', 'oll', '--json', '--dry-run'], { env: { ...env, PATH: shared }, timeoutMs: 120_000 });
  expect(r.code).toBe(0);
  expect(r.stderr).not.toContain('own folder');
  expect(parseJson(r)).toMatchObject({ codex: { bin: path.join(shared, 'codex'), version: '0.169.0' } });
});
