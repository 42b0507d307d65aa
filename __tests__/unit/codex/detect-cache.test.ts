/**
 * Detection kept on disk (src/codex/detect-cache.ts): a second detection of the same binary
 * starts nothing; any change to the binary (or to the package a .js launcher belongs to) detects
 * again; what the cache cannot vouch for (shell wrappers, failed detections) is never stored.
 * Spawns are counted with the codex stub's invocation log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { clearCodexCache, detectCodex } from '../../../src/codex/detect.js';
import { CACHE_FILE_NAME, userCacheDir } from '../../../src/codex/detect-cache.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { writeCodexStub, type CodexStubConfig } from '../../helpers/codex-stub.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

const FIXTURES = path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex');
const help = (v: string) => fs.readFileSync(path.join(FIXTURES, `exec-help-${v}.txt`), 'utf8');

let dir: string;
let binDir: string;
let cacheDir: string;
let log: string;

beforeEach(() => {
  dir = makeTempDir('cp-detect-cache-');
  binDir = path.join(dir, 'pkg', 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  cacheDir = path.join(dir, 'cache', 'codex-profiles');
  log = path.join(dir, 'calls.log');
  clearCodexCache();
});
afterEach(() => removeDir(dir));

/** Invocations of the stub so far. */
const calls = (): string[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

function stub(config: Partial<CodexStubConfig> = {}, fileName = 'codex'): string {
  return writeCodexStub(binDir, { versionText: 'codex-cli 0.169.0', help: help('0.169'), logFile: log, ...config }, fileName);
}

/** A fresh process as far as detection goes: only the disk cache remains. */
async function detect(codexBin: string, extra: { refreshCache?: boolean } = {}) {
  clearCodexCache();
  return detectCodex({ codexBin, env: { PATH: '' }, cacheDir, ...extra });
}

/** Sets a file's mtime back to what it was (as a package manager restoring archive times does). */
function keepMtime(file: string, write: () => void): void {
  const { atime, mtime } = fs.statSync(file);
  write();
  fs.utimesSync(file, atime, mtime);
}

describe('detection cached on disk', () => {
  test('the second detection of the same binary starts nothing and gives the same facts', async () => {
    const bin = stub();
    const first = await detect(bin);
    expect(calls()).toHaveLength(2);
    expect(fs.existsSync(path.join(cacheDir, CACHE_FILE_NAME))).toBe(true);
    const second = await detect(bin);
    expect(calls()).toHaveLength(2);
    expect(second).toEqual(first);
    expect(second).toMatchObject({ found: true, bin, version: '0.169.0', layout: 'file', profileFlag: '-p', profileV2: false, ephemeral: true });
  });

  test('a replaced binary (new size and mtime) is detected again', async () => {
    const bin = stub();
    await detect(bin);
    stub({ versionText: 'codex-cli 0.133.0', help: help('0.133') });
    const info = await detect(bin);
    expect(calls()).toHaveLength(4);
    expect(info).toMatchObject({ version: '0.133.0', layout: 'table', profileV2: true });
    // ... and that result is the one cached now.
    expect(await detect(bin)).toMatchObject({ version: '0.133.0', layout: 'table' });
    expect(calls()).toHaveLength(4);
  });

  test('the same size with the old mtime restored is still a change (ctime), and so is a new mtime alone', async () => {
    const bin = stub({ versionText: 'codex-cli 0.169.0' });
    await detect(bin);
    await new Promise((r) => setTimeout(r, 20)); // let the clock move for ctime
    keepMtime(bin, () => stub({ versionText: 'codex-cli 0.170.0' })); // same length, other text
    expect(await detect(bin)).toMatchObject({ version: '0.170.0' });
    expect(calls()).toHaveLength(4);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(bin, later, later);
    await detect(bin);
    expect(calls()).toHaveLength(6);
  });

  test('a .js launcher: a new package.json beside it (another codex version) is detected again', async () => {
    const bin = stub({}, 'codex.js');
    const pkg = path.join(dir, 'pkg', 'package.json');
    fs.writeFileSync(pkg, '{"name":"@openai/codex","version":"0.169.0"}\n');
    await detect(bin);
    await detect(bin);
    expect(calls()).toHaveLength(2);
    fs.writeFileSync(pkg, '{"name":"@openai/codex","version":"0.170.0"}\n');
    await detect(bin);
    expect(calls()).toHaveLength(4);
  });

  test('one entry per real path: a symlink to a cached binary uses its entry', async () => {
    const bin = stub();
    await detect(bin);
    const link = path.join(dir, 'codex-link');
    fs.symlinkSync(bin, link);
    expect(await detect(link)).toMatchObject({ found: true, bin: link, version: '0.169.0' });
    expect(calls()).toHaveLength(2);
  });

  test('a binary that is gone is not found, whatever the cache says; its entry is dropped on the next write', async () => {
    const bin = stub();
    await detect(bin);
    fs.rmSync(bin);
    const info = await detect(bin);
    expect(info.found).toBe(false);
    expect(info.warnings[0]).toMatch(/no such file/);
    const other = writeCodexStub(dir, { versionText: 'codex-cli 0.133.0', help: help('0.133'), logFile: log }, 'codex');
    await detect(other);
    const stored = JSON.parse(fs.readFileSync(path.join(cacheDir, CACHE_FILE_NAME), 'utf8')) as { entries: Record<string, { real: string }> };
    expect(Object.values(stored.entries).map((e) => e.real)).toEqual([fs.realpathSync(other)]);
  });

  test('a shell script in front of codex is never cached (it may run another codex next time)', async () => {
    const real = stub({}, 'codex-real');
    const wrapper = path.join(dir, 'codex');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${real}" "$@"\n`, { mode: 0o755 });
    await detect(wrapper);
    await detect(wrapper);
    expect(calls()).toHaveLength(4);
    expect(fs.existsSync(path.join(cacheDir, CACHE_FILE_NAME))).toBe(false);
  });

  test('a detection whose help failed is not cached', async () => {
    const bin = stub({ versionText: 'codex-cli 0.121.0', help: 'boom', helpExitCode: 1 });
    const info = await detect(bin);
    expect(info.warnings[0]).toMatch(/could not read codex exec --help/);
    await detect(bin);
    expect(calls()).toHaveLength(4);
  });

  test('refreshCache (doctor) detects again and stores the result', async () => {
    const bin = stub();
    await detect(bin);
    await detect(bin, { refreshCache: true });
    expect(calls()).toHaveLength(4);
    await detect(bin);
    expect(calls()).toHaveLength(4);
  });

  test('a damaged or foreign cache file is ignored and replaced', async () => {
    const bin = stub();
    fs.mkdirSync(cacheDir, { recursive: true });
    const file = path.join(cacheDir, CACHE_FILE_NAME);
    fs.writeFileSync(file, '{ not json');
    expect(await detect(bin)).toMatchObject({ found: true, version: '0.169.0' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ v: 1 });
    // An entry with facts of the wrong shape is not used.
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, { facts: Record<string, unknown> }> };
    for (const e of Object.values(stored.entries)) e.facts.layout = 'somewhere';
    fs.writeFileSync(file, JSON.stringify(stored));
    expect(await detect(bin)).toMatchObject({ layout: 'file' });
    expect(calls()).toHaveLength(4);
  });

  test('without cacheDir nothing is written and every process detects', async () => {
    const bin = stub();
    clearCodexCache();
    await detectCodex({ codexBin: bin, env: { PATH: '' } });
    clearCodexCache();
    await detectCodex({ codexBin: bin, env: { PATH: '' } });
    expect(calls()).toHaveLength(4);
    expect(fs.existsSync(cacheDir)).toBe(false);
  });
});

describe('userCacheDir: per user, from the environment', () => {
  test('Linux and others: XDG_CACHE_HOME, else ~/.cache', () => {
    expect(userCacheDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/codex-profiles');
    expect(userCacheDir({ HOME: '/home/u', XDG_CACHE_HOME: '/var/cache/u' }, 'linux')).toBe('/var/cache/u/codex-profiles');
    // A relative XDG_CACHE_HOME is invalid by the spec: ignored.
    expect(userCacheDir({ HOME: '/home/u', XDG_CACHE_HOME: 'rel' }, 'linux')).toBe('/home/u/.cache/codex-profiles');
  });

  test('macOS: ~/Library/Caches', () => {
    expect(userCacheDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Caches/codex-profiles');
  });

  test('Windows: %LOCALAPPDATA%, else %USERPROFILE%\\AppData\\Local', () => {
    expect(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toBe('C:\\Users\\u\\AppData\\Local\\codex-profiles\\Cache');
    expect(userCacheDir({ UserProfile: 'C:\\Users\\u' }, 'win32')).toBe('C:\\Users\\u\\AppData\\Local\\codex-profiles\\Cache');
  });

  test('no home in the environment: no cache (rather than a guessed folder)', () => {
    expect(userCacheDir({ PATH: '/usr/bin' }, 'linux')).toBeUndefined();
    expect(userCacheDir({}, 'darwin')).toBeUndefined();
    expect(userCacheDir({}, 'win32')).toBeUndefined();
  });
});
