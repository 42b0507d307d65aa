/**
 * `codex-profiles models` as a user runs it: the built CLI (dist/, built by `npm test`) against
 * fake Ollama / LM Studio servers on 127.0.0.1 and fake `ollama` / `lms` on a temporary PATH,
 * with HOME pointed at a temporary folder.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runCli, parseJson } from '../helpers/cli.js';
import { sandboxEnv } from '../helpers/tmp.js';
import { runCodexBin } from '../helpers/codex-bins.js';
import { refusedPort, SIDE_EFFECT_PATHS } from '../helpers/fake-http.js';
import { startFakeOllama } from '../helpers/fake-ollama.js';
import { lmsSpec, startFakeLmStudio, type FakeLmModel } from '../helpers/fake-lmstudio.js';
import { startFakeVllm } from '../helpers/fake-vllm.js';
import { startFakeLlamaCpp } from '../helpers/fake-llamacpp.js';
import { responsesHandler } from '../helpers/responses-sse.js';
import { useDiscoveryBox, ollamaListText } from '../helpers/fake-cli.js';
import type { DiscoveryResult } from '../../src/discover/types.js';

const box = useDiscoveryBox();

/** Fakes answer at once; the generous timeout only keeps a loaded CI machine from flaking. */
const PATIENT = ['--timeout', '10000'];

const env = (extra: NodeJS.ProcessEnv = {}) => sandboxEnv(box.sb, { PATH: box.cli.PATH, OLLAMA_HOST: undefined, CODEX_OSS_BASE_URL: undefined, CODEX_OSS_PORT: undefined, ...extra });

async function fakes() {
  const o = await startFakeOllama({
    models: [
      { name: 'gpt-oss:20b', size: 13_780_000_000, parameterSize: '20.9B', quantization: 'MXFP4', capabilities: ['completion', 'tools', 'thinking'], contextLength: 131072, loaded: true, loadedContextLength: 65536 },
      { name: 'gemma3:4b', capabilities: ['completion', 'vision'], contextLength: 131072 },
      { name: 'nomic-embed-text:latest', capabilities: ['embedding'], contextLength: 2048 },
    ],
  });
  const l = await startFakeLmStudio({ models: [{ key: 'qwen/qwen3-coder-30b', maxContextLength: 262144, loaded: [32768] }, { key: 'text-embedding-nomic', type: 'embedding' }] });
  box.servers.push(o, l);
  return { o, l };
}

describe('codex-profiles models', () => {
  it('--json: one JSON document with both providers, exit 0', async () => {
    const { o, l } = await fakes();
    const r = await runCli(['models', '--json', '--ollama-url', o.url, '--lmstudio-url', l.url, ...PATIENT], { env: env() });
    expect(r.code).toBe(0);
    const result = parseJson<DiscoveryResult>(r);
    expect(result.providers.map((p) => [p.provider, p.status, p.via])).toEqual([
      ['ollama', 'up', 'http'],
      ['lmstudio', 'up', 'http'],
    ]);
    const gpt = result.providers[0]!.models.find((m) => m.id === 'gpt-oss:20b')!;
    expect(gpt).toMatchObject({ contextLength: 131072, runtimeContextLength: 65536, loaded: true, capabilities: { tools: true } });
    expect(gpt.hints).toEqual([]);
    expect(result.providers[1]!.models[0]).toMatchObject({ id: 'qwen/qwen3-coder-30b', runtimeContextLength: 32768 });
    expect(result.codexOss.effective).toEqual({ ollama: 'http://localhost:11434/v1', lmstudio: 'http://localhost:1234/v1' });
    for (const s of [o, l]) for (const req of s.requests) expect(SIDE_EFFECT_PATHS).not.toContain(req.path);
  });

  it('a table per provider, with tool support and status', async () => {
    const { o, l } = await fakes();
    const r = await runCli(['models', '--ollama-url', o.url, '--lmstudio-url', l.url, ...PATIENT], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Ollama up at ${o.url.replace(/\./g, '\\.')} \\(version 0\\.13\\.5\\)`));
    expect(r.stdout).toMatch(/NAME +SIZE +PARAMS +QUANT +CONTEXT +TOOLS +STATUS/);
    expect(r.stdout).toMatch(/gpt-oss:20b +13\.8 GB +20\.9B +MXFP4 +64k\/128k +yes +loaded/);
    expect(r.stdout).toMatch(/gemma3:4b .* no$/m);
    expect(r.stdout).toMatch(/nomic-embed-text:latest .*embedding, not for profiles/);
    expect(r.stdout).toMatch(/LM Studio up at/);
    expect(r.stdout).not.toContain('\u001b'); // NO_COLOR
  });

  it('--provider ollama asks only Ollama', async () => {
    const { o, l } = await fakes();
    const r = await runCli(['models', '--provider', 'ollama', '--json', '--ollama-url', o.url, '--lmstudio-url', l.url, ...PATIENT], { env: env() });
    expect(parseJson<DiscoveryResult>(r).providers.map((p) => p.provider)).toEqual(['ollama']);
    expect(l.requests).toEqual([]);
  });

  it('one refusing and one hanging: both reported, exit 0, no hang', async () => {
    const port = await refusedPort();
    const hang = await startFakeOllama({ hang: true });
    box.servers.push(hang);
    const r = await runCli(['models', '--json', '--timeout', '300', '--ollama-url', hang.url, '--lmstudio-url', `127.0.0.1:${port}`], { env: env(), timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    const result = parseJson<DiscoveryResult>(r);
    expect(result.providers.map((p) => [p.provider, p.status])).toEqual([
      ['ollama', 'not-responding'],
      ['lmstudio', 'down'],
    ]);
    expect(result.providers[0]!.reason).toMatch(/no answer within 300 ms/);
    const text = await runCli(['models', '--timeout', '300', '--ollama-url', hang.url, '--lmstudio-url', `127.0.0.1:${port}`], { env: env(), timeoutMs: 20_000 });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Ollama not responding at ${hang.url}: no answer within 300 ms`);
    expect(text.stdout).not.toMatch(/not responding \(not responding/);
    expect(text.stdout).toContain(`LM Studio down at http://127.0.0.1:${port}: connection refused`);
    expect(text.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('a 500 and an HTML page: one-line reasons, no stack trace', async () => {
    const o = await startFakeOllama({ failures: { '*': 'http500' } });
    const l = await startFakeLmStudio({ failures: { '*': 'html' } });
    box.servers.push(o, l);
    const r = await runCli(['models', '--ollama-url', o.url, '--lmstudio-url', l.url, ...PATIENT], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Ollama error at');
    expect(r.stdout).toContain('HTTP 500 Internal Server Error: something broke in the server');
    expect(r.stdout).toMatch(/LM Studio error at .*answered with HTML, not JSON/);
    expect(r.stderr).toBe('');
  });

  it('servers down, CLIs installed: models from `ollama list` and `lms ls --json`, nothing pulled or loaded', async () => {
    box.cli.add('ollama', { commands: { list: { stdout: ollamaListText([{ name: 'gpt-oss:20b', size: '13 GB' }]) } } });
    box.cli.add('lms', {
      commands: {
        'ls --json': { stdout: JSON.stringify([{ type: 'llm', modelKey: 'qwen/qwen3-coder-30b', sizeBytes: 18e9, maxContextLength: 262144, trainedForToolUse: true }]) },
      },
    });
    const oPort = await refusedPort();
    const lPort = await refusedPort();
    const r = await runCli(['models', '--json', '--ollama-url', `http://127.0.0.1:${oPort}`, '--lmstudio-url', `http://127.0.0.1:${lPort}`, ...PATIENT], { env: env() });
    expect(r.code).toBe(0);
    const result = parseJson<DiscoveryResult>(r);
    expect(result.providers.map((p) => [p.status, p.via, p.models.map((m) => m.id)])).toEqual([
      ['down', 'cli', ['gpt-oss:20b']],
      ['down', 'cli', ['qwen/qwen3-coder-30b']],
    ]);
    const ran = box.cli.calls().map((c) => `${c.name} ${c.args.join(' ')}`).sort();
    expect(ran).toEqual(['lms ls --json', 'ollama list']);
    expect(box.cli.calls().every((c) => c.env.HOME === box.sb.home)).toBe(true);
  });

  it('lms reports the LM Studio port when no flag is given', async () => {
    const l = await startFakeLmStudio({ models: [{ key: 'a/b' }] });
    box.servers.push(l);
    box.cli.add('lms', { commands: { 'server status --json': { stdout: `{"running":true,"port":${l.port}}\n` } } });
    const r = await runCli(['models', '--json', '--provider', 'lmstudio', ...PATIENT], { env: env() });
    const p = parseJson<DiscoveryResult>(r).providers[0]!;
    expect(p).toMatchObject({ url: `http://127.0.0.1:${l.port}`, status: 'up' });
  });

  it('OLLAMA_HOST=0.0.0.0:PORT is found and reported as exposed; CODEX_OSS_PORT mismatch noted', async () => {
    const { o } = await fakes();
    const r = await runCli(['models', '--json', '--provider', 'ollama', ...PATIENT], { env: env({ OLLAMA_HOST: `0.0.0.0:${o.port}`, CODEX_OSS_PORT: '11434' }) });
    const result = parseJson<DiscoveryResult>(r);
    expect(result.providers[0]).toMatchObject({ status: 'up', exposed: true, url: `http://127.0.0.1:${o.port}` });
    expect(result.codexOss.port).toBe('11434');
    expect(result.codexOss.notes.map((n) => n.code)).toContain('CODEX_OSS_MISMATCH');
    const text = await runCli(['models', '--provider', 'ollama', ...PATIENT], { env: env({ OLLAMA_HOST: `0.0.0.0:${o.port}` }) });
    expect(text.stdout).toMatch(/\[exposed\]/);
    expect(text.stdout).toMatch(/listen on every network interface/);
  });

  it('locality (issue 13): every entry of every server kind carries one; an LM Link model on another device is `network`', async () => {
    const remote: FakeLmModel = { key: 'openai/gpt-oss-120b', maxContextLength: 131072, device: { identifier: 'dev-gpu-box', name: 'GPU Box' } };
    const local: FakeLmModel = { key: 'qwen/qwen3-coder-30b', maxContextLength: 262144 };
    const l = await startFakeLmStudio({ models: [local, remote] });
    const v = await startFakeVllm({ models: [{ id: 'Qwen/Qwen3-8B', maxModelLen: 32768 }] });
    const c = await startFakeLlamaCpp({ modelId: 'gemma-3-4b', nCtx: 8192 });
    const compat = await startFakeVllm({ models: [{ id: 'proxy-model' }] });
    box.servers.push(l, v, c, compat);
    box.cli.add('lms', lmsSpec([local, remote]));
    const refused = `http://127.0.0.1:${await refusedPort()}`;
    const r = await runCli(['models', '--json', '--ollama-url', refused, '--lmstudio-url', l.url, '--vllm-url', v.url, '--llamacpp-url', c.url, '--url', compat.url, ...PATIENT], { env: env() });
    const result = parseJson<DiscoveryResult>(r);
    const seen = result.providers.flatMap((p) => p.models.map((m) => [p.provider, m.id, m.locality?.locality]));
    expect(seen).toEqual(
      expect.arrayContaining([
        ['lmstudio', 'qwen/qwen3-coder-30b', 'this-machine'],
        ['lmstudio', 'openai/gpt-oss-120b', 'network'],
        ['vllm', 'Qwen/Qwen3-8B', 'this-machine'],
        ['llamacpp', 'gemma-3-4b', 'this-machine'],
        ['openai-compatible', 'proxy-model', 'this-machine'],
      ]),
    );
    for (const p of result.providers) for (const m of p.models) expect(m.locality?.reason).toEqual(expect.any(String));
    expect(result.providers.find((p) => p.provider === 'lmstudio')!.models.find((m) => m.id === remote.key)!.locality).toMatchObject({ place: 'GPU Box', reason: expect.stringContaining('LM Link') });
    const text = await runCli(['models', '--provider', 'lmstudio', '--lmstudio-url', l.url, ...PATIENT], { env: env() });
    expect(text.stdout).toMatch(/Not on this machine[^]*openai\/gpt-oss-120b: another host \(LM Link: the model runs on the device GPU Box/);
  });

  it('hostile model names reach JSON exactly and the terminal harmlessly', async () => {
    const evil = 'x\u001b[2J\u001b]0;pwned\u0007\ny:latest';
    const o = await startFakeOllama({ models: [{ name: evil, contextLength: 131072 }] });
    box.servers.push(o);
    const json = await runCli(['models', '--json', '--provider', 'ollama', '--ollama-url', o.url, ...PATIENT], { env: env() });
    expect(parseJson<DiscoveryResult>(json).providers[0]!.models[0]!.id).toBe(evil);
    const text = await runCli(['models', '--provider', 'ollama', '--ollama-url', o.url, ...PATIENT], { env: env() });
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout).not.toContain('\u0007');
    expect(text.stdout).toContain('x\\x1b[2J');
  });

  it('an empty list is fine', async () => {
    const o = await startFakeOllama({ models: [] });
    box.servers.push(o);
    const r = await runCli(['models', '--provider', 'ollama', '--ollama-url', o.url, ...PATIENT], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Ollama up at .*\n.*Ollama is running but has no models/);
  });

  describe('bad flags: exit 2', () => {
    it.each([
      [['models', '--provider', 'openai'], /Invalid values|Choices/],
      [['models', '--timeout', 'abc'], /--timeout takes a duration .*500ms, 30s, 2m; a bare number is seconds/],
      [['models', '--timeout', '0'], /--timeout takes a duration/],
      [['models', '--timeout', '2m'], /up to 60 s/],
      [['models', '--ollama-url', 'ftp://127.0.0.1'], /--ollama-url: scheme "ftp"/],
      [['models', '--lmstudio-url', 'http://exa mple'], /--lmstudio-url: .* is not a URL/],
      [['models', '--bogus'], /Unknown argument/],
    ])('%j', async (args, message) => {
      const r = await runCli(args as string[], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });

    it('with --json the error is JSON on stdout', async () => {
      const r = await runCli(['models', '--json', '--timeout', '-5'], { env: env() });
      expect(r.code).toBe(2);
      expect(parseJson(r)).toMatchObject({ ok: false, error: { exitCode: 2 } });
    });
  });

  it('--help shows the flags and examples without contacting anything', async () => {
    const r = await runCli(['models', '--help'], { env: env({ OLLAMA_HOST: '127.0.0.1:1' }) });
    expect(r.code).toBe(0);
    for (const s of ['--provider', '--ollama-url', '--lmstudio-url', '--timeout', 'Examples:', 'never downloads or loads a model']) expect(r.stdout).toContain(s);
  });
});

describe('the fake providers also drive the real Codex (smoke tests build on them)', () => {
  /** Runs `codex exec` (0.171, the current release) with a custom provider pointed at `baseUrl`; any proxy-able outbound traffic goes to a local recorder. */
  async function codexExec(baseUrl: string, model: string) {
    fs.mkdirSync(box.sb.codexHome, { recursive: true });
    const out = path.join(box.sb.root, 'last.txt');
    const proxyHits: string[] = [];
    const proxy = net.createServer((sock) => {
      sock.once('data', (d) => proxyHits.push(d.toString('latin1').split('\r\n')[0]!));
      sock.destroy();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const args = [
      'exec',
      '--skip-git-repo-check',
      '--ephemeral',
      '-c',
      'model_provider="fakeprov"',
      '-c',
      `model_providers.fakeprov={ name = "Fake", base_url = "${baseUrl}/v1", wire_api = "responses" }`,
      '-m',
      model,
      '-o',
      out,
      'Reply with exactly OK',
    ];
    const childEnv = sandboxEnv(box.sb, { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, ALL_PROXY: proxyUrl, NO_PROXY: '127.0.0.1,localhost,::1' });
    const { status: code, stderr } = await runCodexBin('0.171', args, { env: childEnv, cwd: box.sb.root });
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    return { code, stderr, last: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined, proxyHits };
  }

  it.each([
    ['Ollama', () => startFakeOllama({ models: [{ name: 'gpt-oss:20b' }] })],
    ['LM Studio', () => startFakeLmStudio({ models: [{ key: 'openai/gpt-oss-20b' }], responses: responsesHandler({ text: 'OK' }) })],
  ] as const)('%s fake: codex exec finishes with the streamed answer', async (_name, start) => {
    const server = await start();
    box.servers.push(server);
    const r = await codexExec(server.url, 'gpt-oss:20b');
    expect([r.code, r.last?.trim()]).toEqual([0, 'OK']);
    expect(r.stderr).toMatch(/provider: fakeprov/);
    expect(server.calls()).toEqual(['POST /v1/responses']);
    expect(server.requests[0]!.json).toMatchObject({ model: 'gpt-oss:20b', stream: true });
    expect(r.proxyHits).toEqual([]); // nothing tried to leave this machine
  });
});
