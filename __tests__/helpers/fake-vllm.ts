import { startFakeHttp, type FakeHttpOptions, type FakeServer, type RecordedRequest, type RouteAnswer } from './fake-http.js';
import { responsesHandler } from './responses-sse.js';

/**
 * A fake vLLM (`vllm serve`) on 127.0.0.1 as read in vllm-project/vllm entrypoints/openai:
 * GET /version, /health, /v1/models (ModelCards with max_model_len, root, parent);
 * GET /v1/responses/{id} answering the way each version does; POST /v1/responses streams SSE
 * (responses-sse.ts) so the real Codex can run against it. `--api-key` guards /v1/* only.
 */
export interface FakeVllmModel {
  id: string;
  maxModelLen?: number | null;
  root?: string;
  /** Set for LoRA adapters: the base model's id. */
  parent?: string | null;
}

export interface FakeVllmOptions extends FakeHttpOptions {
  version?: string;
  models?: FakeVllmModel[];
  /**
   * - `yes` (0.10+, a model that serves it): unknown ids are a NotFoundError (404, `{"error":{...}}`);
   * - `yes-old-error`: same, in the pre-2025 error shape `{"object":"error",...}`;
   * - `model-unsupported`: the route exists, the handler is missing ("does not support Responses API");
   * - `absent` (before 0.10): FastAPI's 404 `{"detail":"Not Found"}`.
   */
  responsesApi?: 'yes' | 'yes-old-error' | 'model-unsupported' | 'absent';
  /** `--api-key`: /v1/* answer 401 without `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Replace the /v1/models body (hostile and malformed cases). */
  modelsBody?: unknown;
}

export async function startFakeVllm(options: FakeVllmOptions = {}): Promise<FakeServer & { options: FakeVllmOptions }> {
  const api = options.responsesApi ?? 'yes';
  const notFound: RouteAnswer = { status: 404, json: { detail: 'Not Found' } };
  const router = (req: RecordedRequest): RouteAnswer | undefined => {
    if (options.apiKey && req.path.startsWith('/v1') && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return { status: 401, json: { error: 'Unauthorized' } };
    }
    if (req.method === 'GET' && req.path === '/version') return { json: { version: options.version ?? '0.11.0' } };
    if (req.method === 'GET' && req.path === '/health') return { text: '', contentType: 'application/json' };
    if (req.method === 'GET' && req.path === '/v1/models') {
      if (options.modelsBody !== undefined) return { json: options.modelsBody };
      return {
        json: {
          object: 'list',
          data: (options.models ?? []).map((m) => ({
            id: m.id,
            object: 'model',
            created: 1_760_000_000,
            owned_by: 'vllm',
            root: m.root ?? m.id,
            parent: m.parent ?? null,
            max_model_len: m.maxModelLen === undefined ? 32768 : m.maxModelLen,
            permission: [],
          })),
        },
      };
    }
    const m = /^\/v1\/responses\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      if (api === 'absent') return notFound;
      if (api === 'model-unsupported') {
        return { status: 400, json: { error: { message: 'The model does not support Responses API', type: 'BadRequestError', param: null, code: 400 } } };
      }
      const message = `Response with id '${m[1]}' not found.`;
      return api === 'yes-old-error'
        ? { status: 404, json: { object: 'error', message, type: 'NotFoundError', param: null, code: 404 } }
        : { status: 404, json: { error: { message, type: 'NotFoundError', param: null, code: 404 } } };
    }
    if (req.method === 'GET' && req.path === '/v1/responses') return { status: 405, json: { detail: 'Method Not Allowed' } };
    return notFound;
  };
  const sse = options.responses ?? responsesHandler();
  const server = await startFakeHttp(router, {
    ...options,
    responses: (req, res, body) => {
      if (api === 'absent') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: 'Not Found' }));
        return;
      }
      sse(req, res, body);
    },
  });
  return Object.assign(server, { options });
}
