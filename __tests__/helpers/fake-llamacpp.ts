import { startFakeHttp, type FakeHttpOptions, type FakeServer, type RecordedRequest, type RouteAnswer } from './fake-http.js';
import { responsesHandler } from './responses-sse.js';

/**
 * A fake llama.cpp `llama-server` on 127.0.0.1 as read in ggml-org/llama.cpp tools/server:
 * GET /health, /v1/models (with `meta.n_ctx_train`), /props (`default_generation_settings.n_ctx`,
 * `total_slots`, `modalities`, `build_info`); POST /v1/responses rejects a body without `input`
 * (400 "'input' is required"; 500 on older builds) and otherwise streams SSE (responses-sse.ts).
 * Unknown routes answer llama-server's own 404 body. `--api-key` guards all but /health and
 * /v1/models.
 */
export interface FakeLlamaCppOptions extends FakeHttpOptions {
  /** The model's id in /v1/models (the alias or file name). */
  modelId?: string;
  nCtxTrain?: number;
  /** `-c` divided by the slots: what /props reports per slot. */
  nCtx?: number;
  slots?: number;
  vision?: boolean;
  buildInfo?: string;
  /** `chat_template_caps.supports_tool_calls` in /props (absent when undefined). */
  toolCalls?: boolean;
  /** `yes` (400 on `{}`), `yes-500` (older builds: runtime_error -> 500), `absent` (404). */
  responsesApi?: 'yes' | 'yes-500' | 'absent';
  apiKey?: string;
  /** Still loading the model: every route answers 503. */
  loading?: boolean;
  /** Several models (router mode); /props then describes none of them. */
  extraModels?: string[];
  modelsBody?: unknown;
}

const NOT_FOUND = { error: { message: 'File Not Found', type: 'not_found_error', code: 404 } };

export async function startFakeLlamaCpp(options: FakeLlamaCppOptions = {}): Promise<FakeServer & { options: FakeLlamaCppOptions }> {
  const api = options.responsesApi ?? 'yes';
  const guard = (req: RecordedRequest): RouteAnswer | undefined => {
    if (options.loading) return { status: 503, json: { error: { message: 'Loading model', type: 'unavailable_error', code: 503 } } };
    const open = ['/health', '/v1/health', '/models', '/v1/models'].includes(req.path);
    if (options.apiKey && !open && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return { status: 401, json: { error: { message: 'Invalid API Key', type: 'authentication_error', code: 401 } } };
    }
    return undefined;
  };
  const router = (req: RecordedRequest): RouteAnswer | undefined => {
    const blocked = guard(req);
    if (blocked) return blocked;
    const key = `${req.method} ${req.path}`;
    const id = options.modelId ?? 'qwen2.5-coder-7b-instruct-q4_k_m.gguf';
    switch (key) {
      case 'GET /health':
        return { json: { status: 'ok' } };
      case 'GET /v1/models':
        if (options.modelsBody !== undefined) return { json: options.modelsBody };
        return {
          json: {
            object: 'list',
            data: [id, ...(options.extraModels ?? [])].map((m) => ({
              id: m,
              object: 'model',
              created: 1_760_000_000,
              owned_by: 'llamacpp',
              meta: { vocab_type: 2, n_vocab: 152064, n_ctx_train: options.nCtxTrain ?? 32768, n_embd: 3584, n_params: 7_615_616_512, size: 4_677_120_000 },
            })),
          },
        };
      case 'GET /props':
        return {
          json: {
            default_generation_settings: { n_ctx: options.nCtx ?? 4096, params: { temperature: 0.8 } },
            total_slots: options.slots ?? 1,
            model_path: `/models/${id}`,
            modalities: { vision: options.vision ?? false, audio: false },
            build_info: options.buildInfo ?? 'b7100-abcdef0',
            ...(options.toolCalls === undefined ? {} : { chat_template_caps: { supports_tools: options.toolCalls, supports_tool_calls: options.toolCalls } }),
          },
        };
    }
    return { status: 404, json: NOT_FOUND };
  };
  const sse = options.responses ?? responsesHandler();
  const server = await startFakeHttp(router, {
    ...options,
    responses: (req, res, body) => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(json));
      };
      const rec = { method: 'POST', path: '/v1/responses', url: '/v1/responses', headers: req.headers, body } as RecordedRequest;
      const blocked = guard(rec);
      if (blocked) return send(blocked.status ?? 500, blocked.json);
      if (api === 'absent') return send(404, NOT_FOUND);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return send(500, { error: { code: 500, message: 'parse error', type: 'server_error' } });
      }
      if (!parsed || typeof parsed !== 'object' || !('input' in parsed)) {
        return api === 'yes-500'
          ? send(500, { error: { code: 500, message: "'input' is required", type: 'server_error' } })
          : send(400, { error: { code: 400, message: "'input' is required", type: 'invalid_request_error' } });
      }
      sse(req, res, body);
    },
  });
  return Object.assign(server, { options });
}
