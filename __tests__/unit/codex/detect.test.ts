import fs from 'node:fs';
import path from 'node:path';
import {
  clearCodexCache,
  detectCodex,
  parseCodexVersion,
  parseExecHelp,
} from '../../../src/codex/detect.js';
import { compareVersions } from '../../../src/version-order.js';
import { launchCommand } from '../../../src/codex/process.js';
import { findOnPath } from '../../../src/system/which.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { writeCodexStub } from '../../helpers/codex-stub.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

const FIXTURES = path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex');
const help = (v: string) => fs.readFileSync(path.join(FIXTURES, `exec-help-${v}.txt`), 'utf8');

describe('parseExecHelp on the captured `codex exec --help` of each pinned version', () => {
  test('0.131: table layout, -p <CONFIG_PROFILE>, --profile-v2 listed', () => {
    expect(help('0.131')).toContain('-p, --profile <CONFIG_PROFILE>\n');
    expect(parseExecHelp(help('0.131'), '0.131.0')).toEqual({
      layout: 'table',
      profileFlag: '-p',
      profilePlaceholder: 'CONFIG_PROFILE',
      profileV2: true,
      ephemeral: true,
      warnings: [],
    });
  });

  test('0.133: same era as 0.131', () => {
    expect(parseExecHelp(help('0.133'), '0.133.0')).toEqual({
      layout: 'table',
      profileFlag: '-p',
      profilePlaceholder: 'CONFIG_PROFILE',
      profileV2: true,
      ephemeral: true,
      warnings: [],
    });
  });

  test('0.169: file layout, -p <CONFIG_PROFILE_V2>, no --profile-v2', () => {
    expect(help('0.169')).not.toContain('--profile-v2');
    expect(parseExecHelp(help('0.169'), '0.169.0')).toEqual({
      layout: 'file',
      profileFlag: '-p',
      profilePlaceholder: 'CONFIG_PROFILE_V2',
      profileV2: false,
      ephemeral: true,
      warnings: [],
    });
  });

  test('the help decides, not the version', () => {
    // A 0.169-style help with an old version number still means "file".
    expect(parseExecHelp(help('0.169'), '0.120.0').layout).toBe('file');
    expect(parseExecHelp(help('0.131'), '0.200.0').layout).toBe('table');
  });

  test('0.131 with --profile-v2 left out of the help (domain.md): accepted by version', () => {
    const unlisted = help('0.131').replace(/\n {6}--profile-v2 <CONFIG_PROFILE_V2>\n[^\n]*\n/, '\n');
    expect(unlisted).not.toContain('--profile-v2');
    const facts = parseExecHelp(unlisted, '0.131.0');
    expect(facts.layout).toBe('table');
    expect(facts.profileV2).toBe(true);
    // <= 0.130 (0.121 style help): the same text, no --profile-v2.
    expect(parseExecHelp(unlisted, '0.121.0').profileV2).toBe(false);
  });

  test('help missing: the version decides, with a warning', () => {
    const old = parseExecHelp(undefined, '0.133.0');
    expect(old.layout).toBe('table');
    expect(old.profileV2).toBe(true);
    expect(old.ephemeral).toBe(true);
    expect(old.warnings.join(' ')).toMatch(/could not read codex exec --help.*\[profiles\.NAME\] tables from version 0\.133\.0/);
    const recent = parseExecHelp(undefined, '0.134.0');
    expect(recent.layout).toBe('file');
    expect(recent.profileV2).toBe(false);
  });

  test('neither help nor version: newest layout, with a warning', () => {
    const facts = parseExecHelp(undefined, undefined);
    expect(facts.layout).toBe('file');
    expect(facts.ephemeral).toBe(false);
    expect(facts.warnings[0]).toMatch(/newest layout/);
  });

  test('a help without --profile, or with an unknown placeholder', () => {
    const noProfile = help('0.169').replace(/^ {2}-p, --profile.*\n.*\n/m, '');
    expect(noProfile).not.toMatch(/--profile /);
    expect(parseExecHelp(noProfile, '0.133.0')).toMatchObject({ layout: 'table', profileFlag: '-p' });
    expect(parseExecHelp(noProfile, '0.133.0').warnings[0]).toMatch(/does not list --profile/);
    const odd = help('0.169').replace('<CONFIG_PROFILE_V2>', '<PROFILE_V3>');
    const facts = parseExecHelp(odd, '0.200.0');
    expect(facts.layout).toBe('file');
    expect(facts.profilePlaceholder).toBe('PROFILE_V3');
    expect(facts.warnings[0]).toMatch(/unknown placeholder <PROFILE_V3>/);
  });

  test('a long-only --profile flag is reported as such', () => {
    const longOnly = help('0.169').replace('-p, --profile <CONFIG_PROFILE_V2>', '    --profile <CONFIG_PROFILE_V2>');
    expect(parseExecHelp(longOnly, '0.169.0').profileFlag).toBe('--profile');
  });

  test('a help without --ephemeral', () => {
    const noEph = help('0.133').replace(/--ephemeral/g, '--other');
    expect(parseExecHelp(noEph, '0.133.0').ephemeral).toBe(false);
  });
});

describe('versions', () => {
  test('parseCodexVersion', () => {
    expect(parseCodexVersion('codex-cli 0.169.0\n')).toBe('0.169.0');
    expect(parseCodexVersion('codex-cli 0.134.0-alpha.2')).toBe('0.134.0-alpha.2');
    expect(parseCodexVersion('nothing here')).toBeUndefined();
  });

  test('compareVersions is numeric', () => {
    expect(compareVersions('0.99.0', '0.134.0')).toBeLessThan(0);
    expect(compareVersions('0.134.0', '0.134.0')).toBe(0);
    expect(compareVersions('1.0.0', '0.999.9')).toBeGreaterThan(0);
    expect(compareVersions('0.134.0-alpha.1', '0.134.0')).toBe(0);
    expect(compareVersions('codex', '0.134.0')).toBeUndefined();
  });
});

describe('finding and launching codex', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('cp-detect-');
    clearCodexCache();
  });
  afterEach(() => removeDir(dir));

  test('findOnPath walks PATH in order and skips non-executables and folders', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    const c = path.join(dir, 'c');
    for (const d of [a, b, c]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(a, 'codex'), 'not executable', { mode: 0o644 });
    fs.mkdirSync(path.join(b, 'codex'));
    fs.writeFileSync(path.join(c, 'codex'), '#!/bin/sh\n', { mode: 0o755 });
    const env = { PATH: [a, '', b, c].join(path.delimiter) };
    expect(await findOnPath('codex', env)).toBe(path.join(c, 'codex'));
    expect(await findOnPath('codex', { PATH: a })).toBeUndefined();
    expect(await findOnPath('codex', {})).toBeUndefined();
  });

  test('launchCommand: .js runs with this Node; a npm .cmd shim runs its script; others run directly', async () => {
    expect(await launchCommand('/x/bin/codex.js')).toEqual({ file: process.execPath, prefixArgs: ['/x/bin/codex.js'] });
    expect(await launchCommand('/usr/local/bin/codex')).toEqual({ file: '/usr/local/bin/codex', prefixArgs: [] });
    const shim = path.join(dir, 'codex.cmd');
    fs.writeFileSync(
      shim,
      '@ECHO off\r\nGOTO start\r\n:start\r\nSETLOCAL\r\nCALL :find_dp0\r\n' +
        'endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%"  "%dp0%\\node_modules\\@openai\\codex\\bin\\codex.js" %*\r\n',
    );
    expect(await launchCommand(shim)).toEqual({
      file: process.execPath,
      prefixArgs: [path.join(dir, 'node_modules', '@openai', 'codex', 'bin', 'codex.js')],
    });
    const odd = path.join(dir, 'other.cmd');
    fs.writeFileSync(odd, '@echo off\r\ncodex.exe %*\r\n');
    const launch = await launchCommand(odd);
    expect(launch.file).toBe(odd);
    expect(launch.warning).toMatch(/cannot run without a shell/);
  });

  test('detectCodex finds a codex on PATH and reads its era', async () => {
    writeCodexStub(dir, { versionText: 'codex-cli 0.133.0', help: help('0.133') });
    const info = await detectCodex({ env: { PATH: dir } });
    expect(info).toEqual({
      found: true,
      bin: path.join(dir, 'codex'),
      version: '0.133.0',
      layout: 'table',
      profileFlag: '-p',
      profilePlaceholder: 'CONFIG_PROFILE',
      profileV2: true,
      ephemeral: true,
      warnings: [],
    });
  });

  test('--codex-bin pointing at a .js file is run with Node (like the npm package bin/codex.js)', async () => {
    const bin = writeCodexStub(dir, { versionText: 'codex-cli 0.169.0', help: help('0.169') }, 'codex.js');
    fs.chmodSync(bin, 0o644); // not executable: it must be started through process.execPath
    const info = await detectCodex({ codexBin: bin, env: { PATH: '' } });
    expect(info).toMatchObject({ found: true, bin, version: '0.169.0', layout: 'file', profileV2: false, warnings: [] });
  });

  test('absent codex: found false, layout file, a warning naming the fix', async () => {
    const info = await detectCodex({ env: { PATH: dir } });
    expect(info.found).toBe(false);
    expect(info.layout).toBe('file');
    expect(info.warnings).toHaveLength(1);
    expect(info.warnings[0]).toMatch(/codex was not found on PATH.*--codex-bin/);
    const missing = await detectCodex({ codexBin: path.join(dir, 'nope', 'codex'), env: { PATH: '' } });
    expect(missing.found).toBe(false);
    expect(missing.warnings[0]).toMatch(/no such file/);
  });

  test('a codex whose --version fails counts as not found, with the reason', async () => {
    const bin = path.join(dir, 'codex');
    fs.writeFileSync(bin, '#!/bin/sh\necho "broken install" >&2\nexit 3\n', { mode: 0o755 });
    const info = await detectCodex({ codexBin: bin, env: { PATH: '' } });
    expect(info.found).toBe(false);
    expect(info.bin).toBe(bin);
    expect(info.warnings[0]).toMatch(/exit code 3: broken install/);
  });

  test('a --codex-bin that cannot be executed (EACCES) counts as not found, with the reason', async () => {
    const bin = path.join(dir, 'codex');
    fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o644 });
    const info = await detectCodex({ codexBin: bin, env: { PATH: '' } });
    expect(info.found).toBe(false);
    expect(info.warnings[0]).toMatch(/could not run .*codex --version \(spawn .*codex EACCES\)/);
  });

  test('help that fails: the version decides, with a warning', async () => {
    writeCodexStub(dir, { versionText: 'codex-cli 0.121.0', help: 'boom', helpExitCode: 1 });
    const info = await detectCodex({ env: { PATH: dir } });
    expect(info).toMatchObject({ found: true, version: '0.121.0', layout: 'table', profileV2: false, ephemeral: true });
    expect(info.warnings[0]).toMatch(/could not read codex exec --help/);
  });

  test('results are cached per process, per binary and PATH', async () => {
    const log = path.join(dir, 'calls.log');
    writeCodexStub(dir, { versionText: 'codex-cli 0.169.0', help: help('0.169'), logFile: log });
    const first = await detectCodex({ env: { PATH: dir } });
    first.warnings.push('mutated by a caller');
    const second = await detectCodex({ env: { PATH: dir } });
    expect(second.warnings).toEqual([]);
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.sort()).toEqual(['["--version"]', '["exec","--help"]']);
    clearCodexCache();
    await detectCodex({ env: { PATH: dir } });
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(4);
  });
});
