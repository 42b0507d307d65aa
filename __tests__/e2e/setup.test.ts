/**
 * `setup` as people use it: the wizard in a real terminal (a pseudo-terminal, keys typed), and
 * unattended with flags; the written profile then runs under the REAL Codex.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { detectCodex } from '../../src/codex/detect.js';
import { runCodexExec } from '../../src/codex/exec.js';
import { CLI, runCli } from '../helpers/cli.js';
import { CODEX_BINS, decoyBaseConfig } from '../helpers/codex-bins.js';
import { startFakeLmStudio, type FakeLmStudio } from '../helpers/fake-lmstudio.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { KEY, PtySession } from '../helpers/pty.js';
import { startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let ollama: FakeOllama;
let lmstudio: FakeLmStudio;
let decoy: ResponsesServer;
let sb: Sandbox;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'gpt-oss:20b', contextLength: 131072 }, { name: 'qwen3-coder:30b', contextLength: 262144 }] });
  lmstudio = await startFakeLmStudio({ models: [{ key: 'qwen/qwen3-coder-30b', maxContextLength: 262144 }] });
  decoy = await startResponsesServer({ text: 'DECOY' });
});
afterAll(async () => Promise.all([ollama.close(), lmstudio.close(), decoy.close()]));
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), decoyBaseConfig(decoy.baseUrl));
});
afterEach(() => sb.cleanup());

const providerFlags = () => ['--ollama-url', ollama.url, '--lmstudio-url', lmstudio.url];

test('the wizard in a real terminal: pick, name, choose the backend, review the diff, write', async () => {
  // A person at a terminal: no CI variable, stdin and stdout are a TTY.
  const env = sandboxEnv(sb, { CI: undefined, NO_COLOR: undefined });
  const pty = new PtySession([process.execPath, CLI, 'setup', '--codex-bin', CODEX_BINS['0.169'], ...providerFlags()], env);
  try {
    await pty.expect('Which models should get a Codex profile?');
    await pty.expect('gpt-oss:20b');
    pty.send(KEY.space); // first model: gpt-oss:20b
    pty.send(KEY.enter);
    await pty.expect('Profile name for gpt-oss:20b');
    pty.send('\x7f'.repeat(20) + 'fast' + KEY.enter);
    await pty.expect('Which backend should `codex --oss` use');
    pty.send(KEY.enter); // Ollama, the first model's provider
    await pty.expect('Write these changes?');
    expect(pty.plain).toContain('+++ b/fast.config.toml');
    expect(pty.output).toMatch(/\x1b\[32m\+model = "gpt-oss:20b"/); // a coloured diff on a terminal
    pty.send(KEY.enter);
    await pty.expect('now with a real `codex exec`?');
    pty.send('n' + KEY.enter);
    // oss_provider was just set: the same offer for it (issue 18), declined here.
    await pty.expect('Confirm oss_provider now with a real `codex exec --oss`');
    pty.send('n' + KEY.enter);
    expect(await pty.exitCode).toBe(0);
  } finally {
    pty.kill();
  }
  expect(pty.plain).toContain('Confirm it any time: codex-profiles test --oss');
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'fast.config.toml'), 'utf8'))).toMatchObject({ model: 'gpt-oss:20b' });
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).oss_provider).toBe('ollama');
});

test('Ctrl-C in the wizard writes nothing', async () => {
  const before = fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8');
  const env = sandboxEnv(sb, { CI: undefined });
  const pty = new PtySession([process.execPath, CLI, 'setup', '--codex-bin', CODEX_BINS['0.169'], ...providerFlags()], env);
  try {
    await pty.expect('Which models should get a Codex profile?');
    pty.send(KEY.space + KEY.enter);
    await pty.expect('Profile name for');
    pty.send(KEY.ctrlC);
    expect(await pty.exitCode).toBe(130);
  } finally {
    pty.kill();
  }
  expect(pty.plain).toContain('nothing was written');
  expect(fs.readdirSync(sb.codexHome)).toEqual(['config.toml']);
  expect(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).toBe(before);
});

test('Ctrl-C at the test question, after the write: says what was written and the backup id (exit 130)', async () => {
  const env = sandboxEnv(sb, { CI: undefined });
  const pty = new PtySession([process.execPath, CLI, 'setup', '--codex-bin', CODEX_BINS['0.169'], ...providerFlags()], env);
  try {
    await pty.expect('Which models should get a Codex profile?');
    await pty.expect('gpt-oss:20b');
    pty.send(KEY.space + KEY.enter);
    await pty.expect('Profile name for gpt-oss:20b');
    pty.send(KEY.enter);
    await pty.expect('Which backend should `codex --oss` use');
    pty.send(KEY.enter);
    await pty.expect('Write these changes?');
    pty.send(KEY.enter);
    await pty.expect('now with a real `codex exec`?');
    pty.send(KEY.ctrlC);
    expect(await pty.exitCode).toBe(130);
  } finally {
    pty.kill();
  }
  const backups = fs.readdirSync(path.join(sb.codexHome, 'codex-profiles', 'backups'));
  expect(backups).toHaveLength(1);
  expect(pty.plain).not.toContain('nothing was written');
  expect(pty.plain).toMatch(new RegExp(`Cancelled\\. Already written: .*gpt-oss-20b\\.config\\.toml.*\\(backup ${backups[0]}; undo with \`codex-profiles restore ${backups[0]}\`\\)`, 's'));
  expect(fs.existsSync(path.join(sb.codexHome, 'gpt-oss-20b.config.toml'))).toBe(true);
});

test('setup --dry-run --test: says what the test would run, and runs nothing', async () => {
  const env = sandboxEnv(sb, { CODEX_OSS_BASE_URL: `${ollama.url}/v1` });
  const seen = ollama.requests.length;
  const r = await runCli(['setup', '--yes', '--dry-run', '--test', '--provider', 'ollama', '--models', 'gpt-oss:20b', '--codex-bin', CODEX_BINS['0.169'], ...providerFlags()], { env });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Dry run: --test would then run `codex-profiles test gpt-oss-20b --tools`');
  expect(ollama.requests.slice(seen).filter((q) => q.path === '/v1/responses')).toEqual([]);
  expect(fs.readdirSync(sb.codexHome)).toEqual(['config.toml']);
});

test('without a terminal, setup names the flags to pass (exit 2)', async () => {
  const r = await runCli(['setup', '--codex-bin', CODEX_BINS['0.169'], ...providerFlags()], { env: sandboxEnv(sb) });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--yes --provider ollama --models');
});

test('unattended setup on Codex 0.133 writes tables that the real codex runs', async () => {
  const env = sandboxEnv(sb, { CODEX_OSS_BASE_URL: `${ollama.url}/v1` });
  const r = await runCli(['setup', '--yes', '--provider', 'ollama', '--models', 'gpt-oss:20b,qwen3-coder:30b', '--codex-bin', CODEX_BINS['0.133'], '--json', ...providerFlags()], { env });
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.profiles.map((p: { name: string }) => p.name)).toEqual(['gpt-oss-20b', 'qwen3-coder-30b']);
  expect(out.outcome.applied).toBe(true);
  const data = parse(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')) as { profiles: Record<string, unknown>; oss_provider: string };
  expect(Object.keys(data.profiles)).toEqual(['gpt-oss-20b', 'qwen3-coder-30b']);
  expect(data.oss_provider).toBe('ollama');

  const codex = await detectCodex({ codexBin: CODEX_BINS['0.133'], env });
  const run = await runCodexExec({ codex, codexHome: sb.codexHome, profile: 'qwen3-coder-30b', prompt: 'Reply with exactly OK', timeoutMs: 30_000, env });
  expect(run.finalMessage?.trim()).toBe('OK');
  expect(run.reportedModel).toBe('qwen3-coder:30b');
  expect(decoy.requests).toHaveLength(0);

  // Again: nothing changes, nothing duplicated.
  const again = await runCli(['setup', '--yes', '--provider', 'ollama', '--models', 'gpt-oss:20b', '--codex-bin', CODEX_BINS['0.133'], ...providerFlags()], { env });
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('already has a profile');
});

test('setup --test proves the new profiles with the real codex right away', async () => {
  const env = sandboxEnv(sb, { CODEX_OSS_BASE_URL: `${ollama.url}/v1` });
  const seen = ollama.requests.length;
  const r = await runCli(['setup', '--yes', '--provider', 'ollama', '--models', 'gpt-oss:20b', '--test', '--codex-bin', CODEX_BINS['0.169'], ...providerFlags()], { env });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/gpt-oss-20b.*pass/i);
  const responses = ollama.requests.slice(seen).filter((q) => q.path === '/v1/responses');
  // The OK check, then the tool-call check (the call, then the answer with the output), then
  // the oss_provider this run set, confirmed through `--oss` (test --oss; issue 18).
  expect(responses).toHaveLength(4);
  expect(responses.slice(0, 3).map((q) => (q.json as { model: string }).model)).toEqual(['gpt-oss:20b', 'gpt-oss:20b', 'gpt-oss:20b']);
  expect(r.stdout).toContain('ran a command');
  expect(r.stdout).toMatch(/oss_provider ollama at .*: pass/);
  expect(ollama.calls()).not.toContain('POST /api/pull');
  expect(decoy.requests).toHaveLength(0);
});
