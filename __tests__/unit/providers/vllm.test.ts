import { vllm, judgeVllmProbe } from '../../../src/discover/kinds/vllm.js';
import { refusedPort, SIDE_EFFECT_PATHS, type FakeServer } from '../../helpers/fake-http.js';
import { startFakeVllm, type FakeVllmOptions } from '../../helpers/fake-vllm.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fake(opts: FakeVllmOptions) {
  const s = await startFakeVllm(opts);
  servers.push(s);
  return s;
}

const run = (url: string | undefined, env: NodeJS.ProcessEnv = {}, timeoutMs = 5000) =>
  vllm.discover({ flagUrl: url, env, timeoutMs, cliTimeoutMs: 3000, useCli: false });

const codes = (hints: { code: string }[]) => hints.map((h) => h.code);

/** Never a prompt, never a generation: only GETs. */
function expectReadOnly(s: FakeServer) {
  for (const r of s.requests) {
    expect(r.method).toBe('GET');
    expect(SIDE_EFFECT_PATHS).not.toContain(r.path);
  }
}

describe('vLLM discovery', () => {
  it('reads /v1/models (max_model_len, LoRA parent), /version and Responses support, GETs only', async () => {
    const s = await fake({
      models: [
        { id: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', maxModelLen: 65536 },
        { id: 'my-lora', parent: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', maxModelLen: 65536 },
      ],
    });
    const r = await run(s.url);
    expect(r).toMatchObject({ kind: 'vllm', url: s.url, status: 'up', via: 'http', version: '0.11.0', exposed: false, source: '--vllm-url' });
    expect(r.responses.state).toBe('yes');
    const m = vllm.findModel(r, 'Qwen/Qwen3-Coder-30B-A3B-Instruct')!;
    expect(m).toMatchObject({ kind: 'vllm', runtimeContextLength: 65536, loaded: true });
    expect(m.contextLength).toBeUndefined();
    expect(m.sources.runtimeContextLength).toMatch(/max_model_len/);
    expect(codes(m.hints)).toEqual(['TOOLS_UNKNOWN']);
    expect(vllm.findModel(r, 'my-lora')!.displayName).toContain('LoRA on');
    expect(s.calls().sort()).toEqual(['GET /v1/models', 'GET /v1/responses/resp_codexprofilesprobe', 'GET /version']);
    expectReadOnly(s);
  });

  it('tells the Responses API apart: old error shape, model without support, route absent', async () => {
    for (const [api, state] of [
      ['yes-old-error', 'yes'],
      ['model-unsupported', 'no'],
      ['absent', 'no'],
    ] as const) {
      const s = await fake({ responsesApi: api, version: api === 'absent' ? '0.9.2' : '0.11.0', models: [{ id: 'm' }] });
      const r = await run(s.url);
      expect([api, r.responses.state]).toEqual([api, state]);
      if (state === 'no') {
        const note = r.notes.find((n) => n.code === 'NO_RESPONSES_API')!;
        expect(note.level).toBe('error');
        expect(note.fix).toMatch(/proxy/);
      }
      expectReadOnly(s);
    }
  });

  it('small max_model_len is a CONTEXT hint with the vLLM fix', async () => {
    const s = await fake({ models: [{ id: 'tiny', maxModelLen: 8192 }] });
    const m = (await run(s.url)).models[0]!;
    const h = m.hints.find((x) => x.code === 'CONTEXT_SMALL')!;
    expect(h.fix).toMatch(/--max-model-len/);
  });

  it('sends VLLM_API_KEY as a bearer token; without it says which variable to set', async () => {
    const s = await fake({ apiKey: 'sekret', models: [{ id: 'm' }] });
    const ok = await run(s.url, { VLLM_API_KEY: 'sekret' });
    expect(ok.status).toBe('up');
    expect(ok.responses.state).toBe('yes');
    const denied = await run(s.url, {});
    expect(denied.status).toBe('error');
    expect(denied.reason).toMatch(/401.*VLLM_API_KEY/);
  });

  it('down, hanging, 500, HTML, garbage, half JSON: one-line reasons, right status', async () => {
    const port = await refusedPort();
    const down = await run(`127.0.0.1:${port}`);
    expect(down).toMatchObject({ status: 'down', url: `http://127.0.0.1:${port}` });
    expect(codes(down.notes)).toContain('START_SERVER');

    const hang = await fake({ hang: true });
    const started = Date.now();
    const h = await run(hang.url, {}, 300);
    expect(h.status).toBe('not-responding');
    expect(Date.now() - started).toBeLessThan(2000);

    for (const failure of ['http500', 'html', 'garbage', 'half-json', 'empty'] as const) {
      const s = await fake({ models: [{ id: 'm' }], failures: { '/v1/models': failure } });
      const r = await run(s.url);
      expect([failure, r.status]).toEqual([failure, 'error']);
      expect(r.reason).not.toMatch(/\n/);
    }
  });

  it('skips hostile or malformed entries and a body without a list', async () => {
    const s = await fake({ modelsBody: { data: [{ id: 'ok' }, { id: 'bad\u001b[31mred' }, { id: '' }, { nope: 1 }, 'str', { id: 'ok' }, { id: 'x', max_model_len: -5 }] } });
    const r = await run(s.url);
    expect(r.models.map((m) => m.id)).toEqual(['ok', 'x']);
    expect(r.models[1]!.runtimeContextLength).toBeUndefined();
    expect(codes(r.notes)).toContain('ENTRIES_SKIPPED');
    const t = await fake({ modelsBody: { models: [] } });
    expect(await run(t.url)).toMatchObject({ status: 'error', reason: expect.stringMatching(/"data"/) });
  });

  it('a flag is normalised (host:port, trailing /v1) and a bad one fails before any request', () => {
    expect(vllm.resolveTarget('gpu-box:8001/v1', {}).url).toBe('http://gpu-box:8001');
    expect(vllm.resolveTarget('gpu-box', {}).url).toBe('http://gpu-box:8000');
    expect(vllm.resolveTarget(undefined, {}).url).toBe('http://127.0.0.1:8000');
    expect(() => vllm.resolveTarget('ftp://x', {})).toThrow(/not http or https/);
    expect(() => vllm.resolveTarget('http://u:p@h:1', {})).toThrow(/credentials/);
  });

  it('judgeVllmProbe: network failures and auth are unknown', () => {
    expect(judgeVllmProbe({ ok: false, kind: 'timeout', reason: 'x', elapsedMs: 1 }).state).toBe('unknown');
    expect(judgeVllmProbe({ ok: true, status: 401, contentType: 'application/json', text: '{"error":"Unauthorized"}', elapsedMs: 1 }).state).toBe('unknown');
  });

  it('Codex route: always a table of our own (no built-in id for vLLM)', () => {
    expect(vllm.codexRoute('http://127.0.0.1:8000', {})).toEqual({
      kind: 'custom',
      table: { id: 'vllm', name: 'vLLM on 127.0.0.1:8000', baseUrl: 'http://127.0.0.1:8000/v1', wireApi: 'responses' },
    });
    expect(vllm.codexRoute('http://127.0.0.1:8001', {})).toMatchObject({ table: { id: 'vllm-port-8001' } });
    expect(vllm.codexRoute('http://gpu-box:8000', {})).toMatchObject({ table: { id: 'vllm-gpu-box', baseUrl: 'http://gpu-box:8000/v1' } });
  });
});
