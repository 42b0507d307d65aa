import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { clearCodexCache, detectCodex, parseExecHelp, type CodexInfo } from '../../../src/codex/detect.js';
import { buildExecArgs, refusesConnections, runCodexExec } from '../../../src/codex/exec.js';
import { profileFilePath } from '../../../src/config/profiles.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { writeCodexStub, type CodexStubConfig } from '../../helpers/codex-stub.js';
import { refusedPort } from '../../helpers/fake-http.js';
import { groupMembers, isAlive, waitFor } from '../../helpers/process-tree.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

const FIXTURES = path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex');
const help = (v: string) => fs.readFileSync(path.join(FIXTURES, `exec-help-${v}.txt`), 'utf8');
const captured = (name: string) => fs.readFileSync(path.join(FIXTURES, 'stderr', `${name}.stderr.txt`), 'utf8');

function infoFor(v: '0.131' | '0.133' | '0.169', bin = '/opt/codex'): CodexInfo {
  return { found: true, bin, version: `${v}.0`, ...parseExecHelp(help(v), `${v}.0`) };
}

describe('buildExecArgs per era', () => {
  const out = '/tmp/x/last-message.txt';

  test.each(['0.131', '0.133'] as const)('%s (table era): -p NAME reads [profiles.NAME]', (v) => {
    const info = infoFor(v);
    expect(info.layout).toBe('table');
    expect(buildExecArgs(info, { profile: 'mine', outputFile: out, prompt: 'Reply with exactly OK' })).toEqual([
      'exec',
      '--skip-git-repo-check',
      '--ephemeral',
      '-p',
      'mine',
      '-o',
      out,
      '--',
      'Reply with exactly OK',
    ]);
  });

  test('a pin puts the approved provider and model on the command line, as TOML strings', () => {
    const args = buildExecArgs(infoFor('0.169'), { profile: 'mine', outputFile: out, prompt: 'p', pin: { provider: 'ollama', model: 'qwen/q "3":8b' } });
    expect(args.slice(3, 9)).toEqual(['-p', 'mine', '-c', 'model_provider="ollama"', '-c', 'model="qwen/q \\"3\\":8b"']);
    expect(buildExecArgs(infoFor('0.169'), { profile: 'mine', outputFile: out, prompt: 'p', pin: { provider: 'x' } })).not.toContain('model=');
  });

  test('0.169 (file era): -p NAME reads NAME.config.toml; never --profile-v2', () => {
    const info = infoFor('0.169');
    expect(info.layout).toBe('file');
    const args = buildExecArgs(info, { profile: 'mine', outputFile: out, prompt: 'hi' });
    expect(args).toEqual(['exec', '--skip-git-repo-check', '--ephemeral', '-p', 'mine', '-o', out, '--', 'hi']);
    expect(args).not.toContain('--profile-v2');
  });

  test('no profile, no --ephemeral, extra args before the prompt, a prompt that starts with "-"', () => {
    const info: CodexInfo = { ...infoFor('0.131'), ephemeral: false, profileFlag: '--profile' };
    expect(
      buildExecArgs(info, { outputFile: out, prompt: '-p evil', extraArgs: ['-c', 'model_providers.x.stream_max_retries=0'] }),
    ).toEqual(['exec', '--skip-git-repo-check', '-o', out, '-c', 'model_providers.x.stream_max_retries=0', '--', '-p evil']);
    expect(buildExecArgs(info, { profile: 'p', outputFile: out, prompt: 'x' })).toContain('--profile');
  });
});

describe('runCodexExec guards (codex is not started)', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = makeTempDir('cp-exec-guard-');
    log = path.join(dir, 'calls.log');
    writeCodexStub(dir, { versionText: 'codex-cli 0.169.0', help: help('0.169'), logFile: log });
  });
  afterEach(() => removeDir(dir));
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

  test('codex not installed', async () => {
    const r = await runCodexExec({
      codex: { found: false, layout: 'file', profileFlag: '-p', profileV2: false, ephemeral: false, warnings: [] },
      codexHome: dir,
      prompt: 'x',
      timeoutMs: 1000,
    });
    expect(r).toMatchObject({ ok: false, skipped: true, exitCode: null, failure: { code: 'spawn_failed' } });
    expect(r.failure?.message).toBe('codex is not installed (not found on PATH).');
    const broken = await runCodexExec({
      codex: { found: false, bin: '/x/codex', layout: 'file', profileFlag: '-p', profileV2: false, ephemeral: false, warnings: ['exit code 3'] },
      codexHome: dir,
      prompt: 'x',
      timeoutMs: 1000,
    });
    expect(broken.failure?.message).toBe('codex at /x/codex could not be run: exit code 3');
  });

  test('file era, profile file missing: refuses instead of running the base config', async () => {
    const codex = infoFor('0.169', path.join(dir, 'codex'));
    const r = await runCodexExec({ codex, codexHome: dir, profile: 'mine', prompt: 'x', timeoutMs: 5000 });
    expect(r.ok).toBe(false);
    expect(r.skipped).toBe(true);
    expect(r.failure?.code).toBe('profile_not_found');
    expect(r.failure?.message).toBe(
      `${profileFilePath(dir, 'mine')} does not exist. codex 0.169.0 would silently run the base config instead (possibly a hosted model), so it was not started.`,
    );
    expect(calls()).toEqual([]);
  });

  test('file era, a name codex would reject', async () => {
    const codex = infoFor('0.169', path.join(dir, 'codex'));
    const r = await runCodexExec({ codex, codexHome: dir, profile: 'gpt-oss:20b', prompt: 'x', timeoutMs: 5000 });
    expect(r.failure?.code).toBe('invalid_profile_name');
    expect(calls()).toEqual([]);
  });

  test('allowMissingProfileFile runs codex anyway; the table era has no file to check', async () => {
    const r1 = await runCodexExec({
      codex: infoFor('0.169', path.join(dir, 'codex')),
      codexHome: dir,
      profile: 'mine',
      prompt: 'x',
      timeoutMs: 10000,
      allowMissingProfileFile: true,
    });
    expect(r1.ok).toBe(true);
    const r2 = await runCodexExec({ codex: infoFor('0.133', path.join(dir, 'codex')), codexHome: dir, profile: 'mine', prompt: 'x', timeoutMs: 10000 });
    expect(r2.ok).toBe(true);
    expect(calls()).toHaveLength(2);
  });
});

describe('runCodexExec process handling (codex stub)', () => {
  let dir: string;
  let home: string;
  beforeEach(() => {
    dir = makeTempDir('cp-exec-');
    home = path.join(dir, 'codex-home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, 'mine.config.toml'), 'model = "m"\n');
    clearCodexCache();
  });
  afterEach(() => removeDir(dir));

  async function stub(config: Partial<CodexStubConfig>, fileName?: string): Promise<CodexInfo> {
    const bin = writeCodexStub(dir, { versionText: 'codex-cli 0.169.0', help: help('0.169'), ...config }, fileName);
    const info = await detectCodex({ codexBin: bin, env: { PATH: '' } });
    expect(info.found).toBe(true);
    return info;
  }

  test('stdin is closed, cwd is a fresh empty temp folder, CODEX_HOME is set, -o is read, no shell', async () => {
    const codex = await stub({ mode: 'report' }, 'codex.js');
    const r = await runCodexExec({
      codex,
      codexHome: home,
      profile: 'mine',
      prompt: 'Reply with exactly OK; $(touch pwned) `id` *',
      timeoutMs: 10000,
      env: { PATH: '', CODEX_HOME: '/somewhere/else' },
    });
    expect(r.ok).toBe(true);
    const report = JSON.parse(r.finalMessage ?? '{}') as {
      args: string[];
      cwd: string;
      cwdEntries: string[];
      codexHome: string;
      stdinBytes: number;
    };
    expect(report.stdinBytes).toBe(0);
    expect(report.codexHome).toBe(home);
    expect(report.cwdEntries).toEqual([]);
    expect(report.cwd.startsWith(fs.realpathSync(os.tmpdir()))).toBe(true);
    expect(report.cwd).not.toBe(process.cwd());
    expect(report.args).toEqual(r.args);
    expect(report.args[report.args.length - 1]).toBe('Reply with exactly OK; $(touch pwned) `id` *');
    // The run's temporary folder (cwd and -o file) is removed afterwards.
    expect(fs.existsSync(report.cwd)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'pwned'))).toBe(false);
  });

  test('codex that cannot be started: spawn_failed with the reason', async () => {
    const bin = path.join(dir, 'codex');
    fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o644 });
    const codex: CodexInfo = { ...infoFor('0.169', bin) };
    const r = await runCodexExec({ codex, codexHome: home, profile: 'mine', prompt: 'x', timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: false, exitCode: null, timedOut: false, failure: { code: 'spawn_failed' } });
    expect(r.failure?.message).toMatch(/EACCES/);
  });

  test('an answer: finalMessage, provider and model from the header, ok', async () => {
    const codex = await stub({ mode: 'answer', answer: 'NOPE', model: 'qwen3-coder:30b', provider: 'ollama-gpu' });
    const r = await runCodexExec({ codex, codexHome: home, profile: 'mine', prompt: 'Reply with exactly OK', timeoutMs: 10000 });
    expect(r).toMatchObject({
      ok: true,
      exitCode: 0,
      timedOut: false,
      finalMessage: 'NOPE',
      reportedProvider: 'ollama-gpu',
      reportedModel: 'qwen3-coder:30b',
      stdout: 'NOPE\n',
    });
    expect(r.failure).toBeUndefined();
    expect(r.durationMs).toBeGreaterThan(0);
  });

  test('an empty answer with exit 0 is not ok', async () => {
    const codex = await stub({ mode: 'answer', answer: '' });
    const r = await runCodexExec({ codex, codexHome: home, profile: 'mine', prompt: 'x', timeoutMs: 10000 });
    expect(r.ok).toBe(false);
    expect(r.finalMessage).toBe('');
    expect(r.failure?.code).toBe('empty_answer');
  });

  test('a failure is classified from stderr', async () => {
    const codex = await stub({ mode: 'stderr', stderr: captured('legacy-table-0.169'), exitCode: 1 });
    const r = await runCodexExec({ codex, codexHome: home, profile: 'mine', prompt: 'x', timeoutMs: 10000 });
    expect(r).toMatchObject({ ok: false, exitCode: 1, timedOut: false, failure: { code: 'legacy_profile' } });
    expect(r.finalMessage).toBeUndefined();
  });

  test('timeout: the whole tree is stopped (grandchild included), timedOut is set', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const codex = await stub({ mode: 'hang', childPidFile: pidFile });
    let pgid = 0;
    let membersWhileRunning = 0;
    const r = await runCodexExec({
      codex,
      codexHome: home,
      profile: 'mine',
      prompt: 'x',
      timeoutMs: 1500,
      onSpawn: ({ pid }) => {
        pgid = pid;
        void waitFor(() => fs.existsSync(pidFile), 1400).then(() => {
          membersWhileRunning = groupMembers(pgid).length;
        });
      },
    });
    expect(r.timedOut).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBeNull();
    expect(r.failure?.code).toBe('timeout');
    expect(membersWhileRunning).toBe(2); // the stub and its grandchild shared the group
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isAlive(child), 2000)).toBe(true);
    expect(groupMembers(pgid)).toEqual([]);
    expect(r.durationMs).toBeGreaterThanOrEqual(1400);
    expect(r.durationMs).toBeLessThan(15000);
  });

  test('timeout with processes that ignore SIGTERM: SIGKILL follows', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const codex = await stub({ mode: 'hang-stubborn', childPidFile: pidFile });
    let pgid = 0;
    const r = await runCodexExec({
      codex,
      codexHome: home,
      profile: 'mine',
      prompt: 'x',
      timeoutMs: 1000,
      onSpawn: ({ pid }) => (pgid = pid),
    });
    expect(r.timedOut).toBe(true);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isAlive(child), 2000)).toBe(true);
    expect(groupMembers(pgid)).toEqual([]);
    expect(r.durationMs).toBeLessThan(15000);
  });

  test('an AbortSignal stops the run', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const codex = await stub({ mode: 'hang', childPidFile: pidFile });
    const controller = new AbortController();
    const running = runCodexExec({
      codex,
      codexHome: home,
      profile: 'mine',
      prompt: 'x',
      timeoutMs: 60000,
      signal: controller.signal,
      onSpawn: () => void waitFor(() => fs.existsSync(pidFile), 5000).then(() => controller.abort()),
    });
    const r = await running;
    expect(r.aborted).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.failure?.code).toBe('aborted');
    expect(await waitFor(() => !isAlive(Number(fs.readFileSync(pidFile, 'utf8'))), 2000)).toBe(true);
  });
  test('codex times out having printed nothing (a loaded machine): a refused provider URL still means provider_down', async () => {
    // 'hang' prints nothing and never exits, like 0.169+ before its first "Reconnecting..." line.
    const codex = await stub({ mode: 'hang', childPidFile: path.join(dir, 'child.pid') });
    const down = `http://127.0.0.1:${await refusedPort()}/v1`;
    const r = await runCodexExec({ codex, codexHome: home, profile: 'mine', prompt: 'x', timeoutMs: 300, providerUrl: down });
    expect(r).toMatchObject({ ok: false, timedOut: true, failure: { code: 'provider_down' } });
    expect(r.failure?.message).toContain(`at ${down} (connection refused)`);

    // Something listens there: codex was just slow, the verdict stays a timeout.
    const up = http.createServer();
    await new Promise<void>((resolve) => up.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(up.address() as AddressInfo).port}/v1`;
      const slow = await runCodexExec({ codex, codexHome: home, profile: 'mine', prompt: 'x', timeoutMs: 300, providerUrl: url });
      expect(slow).toMatchObject({ timedOut: true, failure: { code: 'timeout' } });
    } finally {
      await new Promise((resolve) => up.close(resolve));
    }
    expect(await refusesConnections('not a url')).toBe(false);
  });
});
