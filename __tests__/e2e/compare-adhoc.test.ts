/**
 * `compare --local KIND:MODEL --hosted MODEL` end to end (issue 18): the built CLI, the REAL Codex,
 * a temporary CODEX_HOME and HOME, and only fakes on 127.0.0.1:
 * - a fake Ollama (and a fake LM Studio) that Codex's built-in `ollama` / `lmstudio` providers
 *   reach through CODEX_OSS_BASE_URL; it records every request, so `/api/pull` would show;
 * - the "hosted" model: Codex's built-in `openai` provider, pointed at a fake Responses server by
 *   config.toml's `openai_base_url` (read in openai/codex model-provider-info and seen honoured by
 *   0.131, 0.133, 0.169 and 0.171; the OPENAI_BASE_URL variable is NOT: those builds went to
 *   api.openai.com). As a second fence every proxy variable points at a closed loopback port, so
 *   a request for any other host fails instead of leaving the machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLI, REPO_ROOT, parseJson, runCli, type CliResult } from '../helpers/cli.js';
import { codexBinPath, type CodexVersion } from '../helpers/codex-bins.js';
import { startFakeLmStudio, type FakeLmStudio } from '../helpers/fake-lmstudio.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { FAKE } from '../helpers/fake-secrets.js';
import { responsesHandler, startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const LOCAL_TEXT = 'Use a unified diff.\n- Run the tests';
const HOSTED_TEXT = 'Use a unified diff.\n- Run the tests\n- Back up config.toml first\nWarning: 2 files change.';
const PROMPT = 'Explain what a unified diff is';
const CLOSED = 'http://127.0.0.1:9';

function lastUserText(body: unknown): string | undefined {
  const input = ((body as { input?: Array<{ type?: string; role?: string; content?: Array<{ text?: string }> }> }).input ?? []).filter((i) => i.type === 'message' && i.role === 'user');
  return input[input.length - 1]?.content?.map((c) => c.text ?? '').join('');
}

beforeAll(() => {
  if (!fs.existsSync(CLI) || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'main.js'))) throw new Error('dist/ is not built: run node scripts/build.mjs');
});

let ollama: FakeOllama;
let lmstudio: FakeLmStudio;
let hosted: ResponsesServer;
let sb: Sandbox;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:latest' }], responses: responsesHandler({ text: LOCAL_TEXT }) });
  lmstudio = await startFakeLmStudio({ models: [{ key: 'qwen/qwen3-coder-30b', maxContextLength: 262144, loaded: [32768] }], responses: responsesHandler({ text: LOCAL_TEXT }) });
  hosted = await startResponsesServer({ text: HOSTED_TEXT });
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
  // No model_provider: `codex exec -m MODEL` uses Codex's own `openai`, here on loopback.
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), `openai_base_url = "${hosted.baseUrl}"\n`);
});

afterAll(async () => {
  await Promise.all([ollama?.close(), lmstudio?.close(), hosted?.close()]);
  sb?.cleanup();
});

beforeEach(() => {
  for (const s of [ollama, lmstudio, hosted]) s.requests.length = 0;
});

afterEach(() => {
  // Nothing may ever be downloaded.
  expect(ollama.requests.filter((r) => r.path.startsWith('/api/pull'))).toEqual([]);
  expect(lmstudio.requests.filter((r) => /download|load/.test(r.path))).toEqual([]);
});

function env(ossUrl: string): NodeJS.ProcessEnv {
  return sandboxEnv(sb, {
    CODEX_OSS_BASE_URL: `${ossUrl}/v1`,
    OPENAI_API_KEY: 'sk-fake-not-a-key',
    HTTPS_PROXY: CLOSED,
    HTTP_PROXY: CLOSED,
    ALL_PROXY: CLOSED,
    NO_PROXY: '127.0.0.1,localhost',
  });
}

const compare = (v: CodexVersion, args: string[], ossUrl = ollama.url): Promise<CliResult> =>
  runCli(['compare', '--codex-bin', codexBinPath(v), ...args], { env: env(ossUrl), cwd: sb.root, timeoutMs: 120_000 });

const posts = <T extends { method: string; path: string }>(s: { requests: T[] }): T[] => s.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/responses'));

describe.each(['0.169', '0.133'] as CodexVersion[])('codex %s', (v) => {
  test('--local ollama:MODEL vs --hosted MODEL: each fake got the prompt once, answers saved, preview, diff and summary; exit 0', async () => {
    const out = path.join(sb.root, `answers-${v}`);
    const r = await compare(v, [PROMPT, '--local', 'ollama:llama3.2', '--hosted', 'gpt-fake', '--include-hosted', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    // The --local run reached the fake Ollama, for the id the server lists; the hosted run the openai fake.
    expect(posts(ollama).map((q) => [q.path, (q.json as { model: string }).model, lastUserText(q.json)])).toEqual([['/v1/responses', 'llama3.2:latest', PROMPT]]);
    expect(posts(hosted).map((q) => [q.path, (q.body as { model: string }).model, lastUserText(q.body)])).toEqual([['/v1/responses', 'gpt-fake', PROMPT]]);

    expect(fs.readdirSync(out).sort()).toEqual(['compare.json', 'hosted-gpt-fake.md', 'ollama-llama3.2.md']);
    expect(fs.readFileSync(path.join(out, 'ollama-llama3.2.md'), 'utf8')).toBe(`${LOCAL_TEXT}\n`);
    expect(fs.readFileSync(path.join(out, 'hosted-gpt-fake.md'), 'utf8')).toBe(`${HOSTED_TEXT}\n`);
    expect(r.stdout).toMatch(/^ollama-llama3\.2\s+local\s+ollama\s+llama3\.2:latest\s+ok\s/m);
    expect(r.stdout).toMatch(/^hosted-gpt-fake\s+hosted\s+openai\s+gpt-fake\s+ok\s/m);
    expect(r.stdout).toContain('Diff ollama-llama3.2 -> hosted-gpt-fake:\n--- ollama-llama3.2.md\n+++ hosted-gpt-fake.md\n');
    expect(r.stdout).toContain(
      '  only in ollama-llama3.2: nothing\n  only in hosted-gpt-fake: 2 items (1 risk, 1 number, 1 action)\n' +
        '    - [action] Back up config.toml first\n    - [risk, number] Warning: 2 files change.\n',
    );
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`Saved in ${out}: ollama-llama3.2.md, hosted-gpt-fake.md, compare.json`);
    // Not a terminal, and NO_COLOR: the diff has no colour codes.
    expect(r.stdout).not.toContain('\x1b[');

    const saved = JSON.parse(fs.readFileSync(path.join(out, 'compare.json'), 'utf8'));
    expect(saved.runs.map((x: { target: unknown; reportedProvider: string; reportedModel: string; preview: string[] }) => [x.target, x.reportedProvider, x.reportedModel, x.preview])).toEqual([
      [{ type: 'local', spec: '--local ollama:llama3.2', localProvider: 'ollama' }, 'ollama', 'llama3.2:latest', ['Use a unified diff.', '- Run the tests']],
      [{ type: 'hosted', spec: '--hosted gpt-fake' }, 'openai', 'gpt-fake', ['Use a unified diff.', '- Run the tests']],
    ]);
    expect(saved.localChecks).toEqual([{ spec: '--local ollama:llama3.2', server: ollama.url, status: 'installed', resolved: 'llama3.2:latest' }]);
  });
});

describe('codex 0.169', () => {
  test('a model the server does not have: exit 2, Codex never started, nothing sent anywhere, no pull', async () => {
    const r = await compare('0.169', [PROMPT, '--local', 'ollama:gpt-oss:20b', '--hosted', 'gpt-fake', '--include-hosted', '--json']);
    expect(r.code).toBe(2);
    expect(parseJson(r)).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_FOUND', exitCode: 2, message: expect.stringContaining(`does not have \`gpt-oss:20b\` (it has: llama3.2:latest)`) } });
    expect(ollama.requests.filter((q) => q.method !== 'GET' && q.path !== '/api/show')).toEqual([]);
    expect(hosted.requests).toEqual([]);
  });

  test('the Ollama server down: PROVIDER_DOWN (exit 2), the hosted model is not sent the prompt either', async () => {
    const r = await compare('0.169', [PROMPT, '--local', 'ollama:llama3.2', '--hosted', 'gpt-fake', '--include-hosted'], CLOSED);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--local ollama:llama3.2: no ollama server answers at ${CLOSED}`);
    expect(r.stderr).toContain('would download a missing model');
    expect(hosted.requests).toEqual([]);
  });

  test('--local lmstudio:MODEL reaches the LM Studio server; mixed with nothing else but a hosted target', async () => {
    const r = await compare('0.169', [PROMPT, '--local', 'lmstudio:qwen/qwen3-coder-30b', '--hosted', 'gpt-fake', '--include-hosted', '--json'], lmstudio.url);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    fs.rmSync(doc.outDir, { recursive: true, force: true });
    expect(doc.runs.map((x: { profile: string; status: string; reportedProvider: string }) => [x.profile, x.status, x.reportedProvider])).toEqual([
      ['lmstudio-qwen-qwen3-coder-30b', 'ok', 'lmstudio'],
      ['hosted-gpt-fake', 'ok', 'openai'],
    ]);
    expect(posts(lmstudio).length).toBeGreaterThanOrEqual(1);
    expect(posts(lmstudio).every((q) => (q.json as { model: string }).model === 'qwen/qwen3-coder-30b')).toBe(true);
    expect(posts(hosted)).toHaveLength(1);
  });

  test('a prompt classify marks local is not sent to --hosted without the flag (exit 2); nothing reaches any fake', async () => {
    const prompt = `Why does this fail? aws_access_key_id = ${FAKE.awsAccessKeyId}`;
    const r = await compare('0.169', [prompt, '--local', 'ollama:llama3.2', '--hosted', 'gpt-fake']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the prompt is classified local');
    // The wording of the refusal is compare-policy's; the target is named and nothing left.
    expect(r.stderr).toMatch(/hosted-gpt-fake[^\n]*Nothing was sent\./);
    expect(posts(ollama)).toEqual([]);
    expect(hosted.requests).toEqual([]);
  });

  test('--dry-run --json: the exact codex commands, the guard result; no prompt sent', async () => {
    const r = await compare('0.169', [PROMPT, '--local', 'ollama:llama3.2', '--hosted', 'gpt-fake', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    expect(doc.localChecks).toEqual([{ spec: '--local ollama:llama3.2', server: ollama.url, status: 'installed', resolved: 'llama3.2:latest' }]);
    const tail = (cmd: string[]) => cmd.slice(cmd.indexOf('-o') + 2);
    expect(doc.runs.map((e: { target: string; status: string; command: string[] | null }) => [e.target, e.status, e.command && tail(e.command)])).toEqual([
      ['--local ollama:llama3.2', 'would-run', ['--oss', '--local-provider', 'ollama', '-m', 'llama3.2:latest', '--', PROMPT]],
      // Without --include-hosted (and no terminal to ask on), the hosted target would not run.
      ['--hosted gpt-fake', 'not-run', null],
    ]);
    // Where the hosted run would go is where Codex sends it: config.toml's openai_base_url.
    const port = new URL(hosted.baseUrl).port;
    expect(doc.runs[1].destination).toMatchObject({ kind: 'hosted', place: `127.0.0.1:${port}`, label: `gpt-fake via openai (hosted: 127.0.0.1:${port})` });
    expect(posts(ollama)).toEqual([]);
    expect(hosted.requests).toEqual([]);
  });

  test('--local spelled wrong: exit 2 naming the accepted forms, nothing asked', async () => {
    const r = await compare('0.169', [PROMPT, '--local', 'llama3.2', '--hosted', 'gpt-fake']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`--local llama3.2`: it has no `KIND:` in front of the model');
    expect(r.stderr).toContain('--local ollama:MODEL');
    expect(r.stderr).toContain('--local lmstudio:MODEL');
    expect(ollama.requests).toEqual([]);
  });
});
