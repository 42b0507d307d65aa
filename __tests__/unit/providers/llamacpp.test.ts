import { llamacpp, resolveLlamaCppTarget } from '../../../src/discover/kinds/llamacpp.js';
import { refusedPort, SIDE_EFFECT_PATHS, type FakeServer } from '../../helpers/fake-http.js';
import { startFakeLlamaCpp, type FakeLlamaCppOptions } from '../../helpers/fake-llamacpp.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fake(opts: FakeLlamaCppOptions = {}) {
  const s = await startFakeLlamaCpp(opts);
  servers.push(s);
  return s;
}

const run = (url: string | undefined, env: NodeJS.ProcessEnv = {}, timeoutMs = 5000) =>
  llamacpp.discover({ flagUrl: url, env, timeoutMs, cliTimeoutMs: 3000, useCli: false });
const codes = (hints: { code: string }[]) => hints.map((h) => h.code);

/** Never a prompt: GETs, plus at most POST /v1/responses with the empty body `{}`. */
function expectNoPrompt(s: FakeServer) {
  for (const r of s.requests) {
    if (r.method === 'POST') {
      expect(r.path).toBe('/v1/responses');
      expect(r.json).toEqual({});
    } else {
      expect(r.method).toBe('GET');
      expect(SIDE_EFFECT_PATHS).not.toContain(r.path);
    }
  }
}

describe('llama-server discovery', () => {
  it('reads /v1/models, /props (n_ctx per slot, build) and Responses support without a prompt', async () => {
    const s = await fake({ nCtxTrain: 131072, nCtx: 65536, vision: true, toolCalls: true, buildInfo: 'b7200-1234abc' });
    const r = await run(s.url);
    expect(r).toMatchObject({ kind: 'llamacpp', status: 'up', via: 'http', version: 'b7200-1234abc', exposed: false });
    expect(r.responses).toMatchObject({ state: 'yes' });
    const m = r.models[0]!;
    expect(m).toMatchObject({ id: 'qwen2.5-coder-7b-instruct-q4_k_m.gguf', contextLength: 131072, runtimeContextLength: 65536, loaded: true, sizeBytes: 4_677_120_000 });
    expect(m.capabilities).toMatchObject({ completion: true, vision: true, tools: true });
    expect(m.hints).toEqual([]);
    expect(s.calls().sort()).toEqual(['GET /health', 'GET /props', 'GET /v1/models', 'POST /v1/responses']);
    expectNoPrompt(s);
  });

  it('the default 4096 context (and per-slot division) is a CONTEXT_SMALL hint with the -c fix', async () => {
    const s = await fake({ nCtx: 8192, slots: 4 });
    const m = (await run(s.url)).models[0]!;
    expect(m.sources.runtimeContextLength).toMatch(/per slot, 4 slots/);
    const h = m.hints.find((x) => x.code === 'CONTEXT_SMALL')!;
    expect(h.fix).toMatch(/-c 65536/);
    expect(codes(m.hints)).toContain('TOOLS_UNKNOWN');
  });

  it('a build without /v1/responses is reported with the proxy fix; older 500 builds still count as present', async () => {
    const absent = await fake({ responsesApi: 'absent' });
    const r = await run(absent.url);
    expect(r.responses.state).toBe('no');
    expect(r.notes.find((n) => n.code === 'NO_RESPONSES_API')!.fix).toMatch(/proxy/);
    expectNoPrompt(absent);
    const old = await fake({ responsesApi: 'yes-500' });
    expect((await run(old.url)).responses.state).toBe('yes');
  });

  it('loading (503) and API keys', async () => {
    const loading = await fake({ loading: true });
    expect(await run(loading.url)).toMatchObject({ status: 'error', reason: expect.stringMatching(/loading/) });
    const keyed = await fake({ apiKey: 'k', nCtx: 65536 });
    const without = await run(keyed.url);
    expect(without.status).toBe('up'); // /v1/models is public
    expect(without.responses.state).toBe('unknown');
    expect(codes(without.notes)).toContain('PROPS_UNAVAILABLE');
    const withKey = await run(keyed.url, { LLAMA_API_KEY: 'k' });
    expect(withKey.responses.state).toBe('yes');
    expect(withKey.models[0]!.runtimeContextLength).toBe(65536);
  });

  it('router mode (several models): /props is not attributed to any of them', async () => {
    const s = await fake({ extraModels: ['other.gguf'], nCtx: 65536 });
    const r = await run(s.url);
    expect(r.models.map((m) => m.runtimeContextLength)).toEqual([undefined, undefined]);
  });

  it('down, hang, 500, HTML, garbage', async () => {
    const port = await refusedPort();
    expect((await run(`http://127.0.0.1:${port}`)).status).toBe('down');
    const hang = await fake({ hang: true });
    expect((await run(hang.url, {}, 300)).status).toBe('not-responding');
    for (const failure of ['http500', 'html', 'garbage', 'truncated'] as const) {
      const s = await fake({ failures: { '/v1/models': failure } });
      const r = await run(s.url);
      expect([failure, r.status]).toEqual([failure, 'error']);
      expect(r.reason).not.toMatch(/\n/);
    }
  });

  it('LLAMA_ARG_HOST / LLAMA_ARG_PORT locate the server; a bind-all host is exposed and reached via loopback', () => {
    expect(resolveLlamaCppTarget(undefined, {})).toMatchObject({ url: 'http://127.0.0.1:8080', source: 'default' });
    expect(resolveLlamaCppTarget(undefined, { LLAMA_ARG_PORT: '9090' })).toMatchObject({ url: 'http://127.0.0.1:9090', source: 'LLAMA_ARG_PORT' });
    const all = resolveLlamaCppTarget(undefined, { LLAMA_ARG_HOST: '0.0.0.0', LLAMA_ARG_PORT: '8081' });
    expect(all).toMatchObject({ url: 'http://127.0.0.1:8081', exposedByConfig: true });
    expect(codes(all.notes)).toEqual(['EXPOSED_BIND']);
    expect(codes(resolveLlamaCppTarget(undefined, { LLAMA_ARG_PORT: 'abc' }).notes)).toEqual(['LLAMA_ARG_PORT_INVALID']);
    expect(resolveLlamaCppTarget(undefined, { LLAMA_ARG_HOST: 'a b/c' }).invalid).toMatch(/not a host name/);
    expect(resolveLlamaCppTarget('box:8081/v1', { LLAMA_ARG_PORT: '1' }).url).toBe('http://box:8081');
  });

  it('Codex route: a table of its own', () => {
    expect(llamacpp.codexRoute('http://127.0.0.1:8080', {})).toMatchObject({ kind: 'custom', table: { id: 'llamacpp', baseUrl: 'http://127.0.0.1:8080/v1', wireApi: 'responses' } });
  });
});
