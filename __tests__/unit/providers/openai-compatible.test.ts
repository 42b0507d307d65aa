import { openaiCompatible } from '../../../src/discover/kinds/openai-compatible.js';
import { judgeEmptyPost } from '../../../src/discover/openai-compat.js';
import { UsageError } from '../../../src/errors.js';
import { startFakeHttp, type FakeServer, type RecordedRequest, type RouteAnswer } from '../../helpers/fake-http.js';
import { startFakeVllm } from '../../helpers/fake-vllm.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const run = (url: string | undefined, env: NodeJS.ProcessEnv = {}, apiKeyEnv?: string) =>
  openaiCompatible.discover({ flagUrl: url, env, timeoutMs: 5000, cliTimeoutMs: 3000, useCli: false, apiKeyEnv });

/** A chat-only server (no /v1/responses): what Codex cannot use without a proxy. */
async function chatOnly(models: unknown): Promise<FakeServer> {
  const router = (req: RecordedRequest): RouteAnswer | undefined =>
    req.method === 'GET' && req.path === '/v1/models' ? { json: models } : { status: 404, text: 'Not Found', contentType: 'text/plain' };
  const s = await startFakeHttp(router, {
    responses: (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
    },
  });
  servers.push(s);
  return s;
}

describe('openai-compatible discovery', () => {
  it('needs --url: never probed on a guessed port', () => {
    expect(openaiCompatible.probeByDefault).toBe(false);
    expect(() => openaiCompatible.resolveTarget(undefined, {})).toThrow(UsageError);
    expect(() => openaiCompatible.resolveTarget('  ', {})).toThrow(/--url/);
  });

  it('a chat-only server: models listed, NO_RESPONSES_API with the proxy fix, no prompt sent', async () => {
    const s = await chatOnly({ data: [{ id: 'local-model', context_length: 131072 }, { id: 'x', context_window: 1000 }] });
    const r = await run(s.url);
    expect(r).toMatchObject({ kind: 'openai-compatible', status: 'up', source: '--url' });
    expect(r.responses.state).toBe('no');
    const note = r.notes.find((n) => n.code === 'NO_RESPONSES_API')!;
    expect(note.fix).toMatch(/Responses-API proxy/);
    expect(r.models[0]!.contextLength).toBe(131072);
    expect(r.models[0]!.sources.contextLength).toBe('/v1/models context_length');
    expect(r.models[1]!.hints.map((h) => h.code)).toContain('MODEL_CONTEXT_SMALL');
    const posts = s.requests.filter((q) => q.method === 'POST');
    expect(posts.map((q) => [q.path, q.json])).toEqual([['/v1/responses', {}]]);
  });

  it('a vLLM behind --url is recognised from owned_by', async () => {
    const s = await startFakeVllm({ models: [{ id: 'm', maxModelLen: 65536 }] });
    servers.push(s);
    const r = await run(`${s.url}/v1`);
    expect(r.url).toBe(s.url);
    expect(r.models[0]!.contextLength).toBe(65536);
    expect(r.notes.map((n) => n.code)).toContain('KNOWN_SERVER');
  });

  it('sends a bearer token only from the variable the user names', async () => {
    const seen: string[] = [];
    const s = await startFakeHttp((req) => {
      seen.push(String(req.headers.authorization));
      return req.path === '/v1/models' ? { json: { data: [] } } : undefined;
    });
    servers.push(s);
    await run(s.url, { OPENAI_API_KEY: 'hosted-key', MY_KEY: 'local' });
    await run(s.url, { OPENAI_API_KEY: 'hosted-key', MY_KEY: 'local' }, 'MY_KEY');
    expect(seen.filter((h) => h.includes('hosted-key'))).toEqual([]);
    expect(seen).toContain('Bearer local');
  });

  it('judgeEmptyPost readings', () => {
    const ans = (status: number, text: string) => ({ ok: true as const, status, contentType: 'application/json', text, elapsedMs: 1 });
    expect(judgeEmptyPost(ans(400, '{"error":{"message":"model is required"}}')).state).toBe('yes');
    expect(judgeEmptyPost(ans(422, '{"detail":[{"loc":["body","input"]}]}')).state).toBe('yes');
    expect(judgeEmptyPost(ans(404, 'Not Found')).state).toBe('no');
    expect(judgeEmptyPost(ans(405, '')).state).toBe('no');
    expect(judgeEmptyPost(ans(400, '{"error":{"message":"The model does not support Responses API"}}')).state).toBe('no');
    expect(judgeEmptyPost(ans(401, '')).state).toBe('unknown');
    expect(judgeEmptyPost(ans(502, 'bad gateway')).state).toBe('unknown');
  });
});
