/**
 * The three server kinds added through the registry (vLLM, llama.cpp's llama-server, any
 * OpenAI-compatible server at a URL), end to end: the built CLI writes the profile (`add`),
 * then `test` runs the REAL codex against the fake server. Every config.toml has a `decoy` base
 * provider (a local fake answering DECOY), so a run that ignored the profile would land there,
 * never on a hosted model. Fakes listen on 127.0.0.1, port 0.
 */
import fs from 'node:fs';
import { baseConfig, cli, makeHome, parseJson, type Home } from '../helpers/checks-home.js';
import { startFakeHttp, type FakeServer, type RecordedRequest } from '../helpers/fake-http.js';
import { startFakeLlamaCpp } from '../helpers/fake-llamacpp.js';
import { startFakeVllm } from '../helpers/fake-vllm.js';
import { responsesHandler, startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';

/** add + a real codex run on a loaded 2-core machine. */
const SLOW = 180_000;

const VLLM_MODEL = 'Qwen/Qwen3-Coder-30B-A3B-Instruct';
const LLAMA_MODEL = 'qwen3-coder-30b-q4_k_m.gguf';
const COMPAT_MODEL = 'coder-large';

/** A generic OpenAI-compatible server: /v1/models with `context_length`, /v1/responses SSE. */
async function startCompat(): Promise<FakeServer> {
  const sse = responsesHandler({ text: 'OK' });
  return startFakeHttp(
    (req: RecordedRequest) =>
      req.method === 'GET' && req.path === '/v1/models'
        ? { json: { object: 'list', data: [{ id: COMPAT_MODEL, object: 'model', owned_by: 'someone', context_length: 65536 }] } }
        : { status: 404, json: { error: { message: 'not found' } } },
    {
      responses: (req, res, body) => {
        // Discovery's probe is an empty POST (no model, no input): a server with the route rejects it.
        if (!/"model"/.test(body)) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'model is required', type: 'invalid_request_error' } }));
          return;
        }
        sse(req, res, body);
      },
    },
  );
}

/** The prompts a fake received: POST /v1/responses that name a model (not discovery's empty probe). */
function prompts(s: FakeServer): Array<Record<string, unknown>> {
  return s.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/responses')
    .map((r) => (r.json ?? {}) as Record<string, unknown>)
    .filter((j) => typeof j.model === 'string');
}

let decoy: ResponsesServer;
const servers: FakeServer[] = [];
const homes: Home[] = [];
beforeAll(async () => {
  decoy = await startResponsesServer({ text: 'DECOY' });
});
afterAll(async () => {
  await Promise.all([decoy.close(), ...servers.map((s) => s.close())]);
  for (const h of homes) h.sb.cleanup();
});

function home(): Home {
  const h = makeHome(undefined);
  h.write('config.toml', baseConfig(decoy));
  homes.push(h);
  return h;
}

interface Case {
  kind: 'vllm' | 'llamacpp' | 'openai-compatible';
  v: '0.131' | '0.133' | '0.169' | '0.171';
}

const CASES: Case[] = [
  { kind: 'vllm', v: '0.131' },
  { kind: 'vllm', v: '0.169' },
  { kind: 'vllm', v: '0.171' },
  { kind: 'llamacpp', v: '0.133' },
  { kind: 'llamacpp', v: '0.171' },
  { kind: 'openai-compatible', v: '0.131' },
  { kind: 'openai-compatible', v: '0.169' },
];

describe.each(CASES)('$kind with codex $v: add, then test passes against the fake', ({ kind, v }) => {
  test('one prompt reaches the server with the right model; nothing reaches the decoy', async () => {
    const h = home();
    let server: FakeServer;
    let model: string;
    let urlArgs: string[];
    if (kind === 'vllm') {
      server = await startFakeVllm({ models: [{ id: VLLM_MODEL, maxModelLen: 65536 }] });
      model = VLLM_MODEL;
      urlArgs = ['--vllm-url', server.url];
    } else if (kind === 'llamacpp') {
      server = await startFakeLlamaCpp({ modelId: LLAMA_MODEL, nCtx: 65536, toolCalls: true });
      model = LLAMA_MODEL;
      urlArgs = ['--llamacpp-url', server.url];
    } else {
      server = await startCompat();
      model = COMPAT_MODEL;
      urlArgs = ['--url', server.url, '--api-key-env', 'COMPAT_TOKEN'];
    }
    servers.push(server);
    const add = await cli(v, h, ['add', model, '--provider', kind, ...urlArgs, '--name', 'local', '--yes', '--json']);
    // Nothing to warn about; the one note says where model_context_window came from (issue 12).
    // (an OpenAI-compatible server that reports no context gets no note).
    const notes = add.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(notes.filter((l) => !/^model_context_window = 65536: from /.test(l))).toEqual([]);
    expect(add.code).toBe(0);
    const added = parseJson<{ profile: { provider: string; layout: string } }>(add).profile;
    expect(added.layout).toBe(v === '0.131' || v === '0.133' ? 'table' : 'file');
    // The provider table: never a built-in id, wire_api = "responses", in the file Codex reads.
    const tableFile = added.layout === 'file' ? h.path('local.config.toml') : h.path('config.toml');
    const text = fs.readFileSync(tableFile, 'utf8');
    expect(text).toContain(`[model_providers.${added.provider}]`);
    expect(text).toContain(`base_url = "${server.url}/v1"`);
    expect(text).toContain('wire_api = "responses"');
    if (kind === 'openai-compatible') expect(text).toContain('env_key = "COMPAT_TOKEN"');
    expect(['ollama', 'lmstudio', 'openai', 'oss']).not.toContain(added.provider);

    const env = { ...h.env, COMPAT_TOKEN: 'not-a-real-token' };
    const t = await cli(v, h, ['test', 'local', '--json'], env);
    const results = parseJson<{ results: Array<{ status: string; answer?: string }> }>(t).results;
    expect(results).toEqual([expect.objectContaining({ status: 'pass', answer: 'OK' })]);
    expect(t.code).toBe(0);
    const sent = prompts(server);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ model, stream: true });
    expect(decoy.requests).toEqual([]);
  }, SLOW);
});

describe('a server without /v1/responses', () => {
  test('vLLM before 0.10: add refuses with the Responses-API proxy fix and writes nothing; --allow-missing writes it', async () => {
    const h = home();
    const before = fs.readFileSync(h.path('config.toml'), 'utf8');
    const server = await startFakeVllm({ version: '0.9.2', responsesApi: 'absent', models: [{ id: VLLM_MODEL }] });
    servers.push(server);
    const args = ['add', VLLM_MODEL, '--provider', 'vllm', '--vllm-url', server.url, '--name', 'old', '--yes'];
    const r = await cli('0.171', h, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no /v1/responses');
    expect(r.stderr).toContain('Responses-API proxy');
    expect(fs.readFileSync(h.path('config.toml'), 'utf8')).toBe(before);
    expect(fs.existsSync(h.path('old.config.toml'))).toBe(false);
    expect((await cli('0.171', h, [...args, '--allow-missing'])).code).toBe(0);
    expect(fs.existsSync(h.path('old.config.toml'))).toBe(true);
    expect(prompts(server)).toEqual([]);
  }, SLOW);
});

describe('models --json', () => {
  test('lists the vLLM, llama-server and OpenAI-compatible models with their context and kind', async () => {
    const h = home();
    const [vllm, llama, compat] = await Promise.all([
      startFakeVllm({ models: [{ id: VLLM_MODEL, maxModelLen: 65536 }] }),
      startFakeLlamaCpp({ modelId: LLAMA_MODEL, nCtx: 65536, toolCalls: true }),
      startCompat(),
    ]);
    servers.push(vllm, llama, compat);
    const r = await cli('0.171', h, ['models', '--json', '--vllm-url', vllm.url, '--llamacpp-url', llama.url, '--url', compat.url]);
    expect(r.code).toBe(0);
    const doc = parseJson<{ providers: Array<{ provider: string; kind: string; status: string; responses?: { state: string }; models: Array<{ id: string; kind: string }> }> }>(r);
    const by = Object.fromEntries(doc.providers.map((p) => [p.provider, p]));
    expect(by.vllm).toMatchObject({ kind: 'vllm', status: 'up', responses: { state: 'yes' }, models: [expect.objectContaining({ id: VLLM_MODEL, kind: 'vllm' })] });
    expect(by.llamacpp).toMatchObject({ kind: 'llamacpp', status: 'up', models: [expect.objectContaining({ id: LLAMA_MODEL })] });
    expect(by['openai-compatible']).toMatchObject({ status: 'up', responses: { state: 'yes' }, models: [expect.objectContaining({ id: COMPAT_MODEL })] });
    // Discovery sends no prompt.
    expect([...prompts(vllm), ...prompts(llama), ...prompts(compat)]).toEqual([]);
  }, SLOW);
});
