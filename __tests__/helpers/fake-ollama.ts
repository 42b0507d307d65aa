import { startFakeHttp, type FakeHttpOptions, type FakeServer, type RecordedRequest, type RouteAnswer } from './fake-http.js';

/**
 * A fake Ollama on 127.0.0.1 speaking the documented API (docs/api.md, api/types.go):
 * GET /api/version, /api/tags, /api/ps, /v1/models; POST /api/show; and POST /v1/responses
 * through the `responses` hook. Endpoints that would download or run a model answer harmlessly
 * but are recorded, so tests can assert they were never called.
 */

export interface FakeOllamaModel {
  name: string;
  /** Bytes (default 1 GB). */
  size?: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
  /** Ollama capability names (default `completion`, `tools`). */
  capabilities?: string[];
  /** The model's context length (`<arch>.context_length` in model_info). */
  contextLength?: number;
  /** model_info general.architecture (default: the family, else `llama`). */
  arch?: string;
  /** `num_ctx N` in the Modelfile parameters. */
  numCtx?: number;
  loaded?: boolean;
  /** /api/ps context_length for a loaded model (Ollama 0.10+). */
  loadedContextLength?: number;
  /** Cloud models: `https://ollama.com:443`. */
  remoteHost?: string;
}

/**
 * - `new`: /api/tags carries capabilities and details.context_length (recent servers);
 * - `old`: /api/tags has neither; /api/show has both (0.6.4 .. 0.29);
 * - `ancient`: /api/show has no capabilities either, and there is no /api/ps.
 */
export type OllamaShape = 'new' | 'old' | 'ancient';

export interface FakeOllamaOptions extends FakeHttpOptions {
  /** GET /api/version answer (default `0.13.5`); null: 404. */
  version?: string | null;
  models?: FakeOllamaModel[];
  shape?: OllamaShape;
  /** Replace the whole /api/tags body (hostile and malformed cases). */
  tagsBody?: unknown;
}

export interface FakeOllama extends FakeServer {
  options: FakeOllamaOptions;
  /** Bodies of every POST /api/show, in order. */
  showCalls(): unknown[];
}

function details(m: FakeOllamaModel, withContext: boolean) {
  const d: Record<string, unknown> = {
    parent_model: '',
    format: 'gguf',
    family: m.family ?? 'llama',
    families: [m.family ?? 'llama'],
    parameter_size: m.parameterSize ?? '8.0B',
    quantization_level: m.quantization ?? 'Q4_K_M',
  };
  if (withContext && m.contextLength !== undefined) d.context_length = m.contextLength;
  return d;
}

const caps = (m: FakeOllamaModel) => m.capabilities ?? ['completion', 'tools'];

/**
 * One local model and the two shapes of an Ollama cloud model (issue 13): `-cloud` with the
 * `remote_host` newer servers add, and `:cloud` from an older server where the tag alone says so.
 */
export const CLOUD_MIX: readonly FakeOllamaModel[] = [
  { name: 'gpt-oss:20b', contextLength: 131072 },
  { name: 'gpt-oss:120b-cloud', remoteHost: 'https://ollama.com:443' },
  { name: 'kimi-k2.6:cloud' },
];

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const shape = options.shape ?? 'new';
  const models = () => options.models ?? [];
  const find = (name: unknown) => models().find((m) => m.name === name || `${m.name}:latest` === name);

  const router = (req: RecordedRequest): RouteAnswer | undefined => {
    const key = `${req.method} ${req.path}`;
    switch (key) {
      case 'GET /':
      case 'HEAD /':
        return { text: 'Ollama is running', contentType: 'text/plain' };
      case 'GET /api/version':
        return options.version === null ? { status: 404, text: '404 page not found', contentType: 'text/plain' } : { json: { version: options.version ?? '0.13.5' } };
      case 'GET /api/tags':
        if (options.tagsBody !== undefined) return { json: options.tagsBody };
        return {
          json: {
            models: models().map((m) => {
              const entry: Record<string, unknown> = {
                name: m.name,
                model: m.name,
                modified_at: '2025-11-01T10:00:00.000000000Z',
                size: m.size ?? 1_000_000_000,
                digest: 'a'.repeat(64),
                details: details(m, shape === 'new'),
              };
              if (m.remoteHost) {
                entry.remote_model = m.name.replace(/-cloud$/, '');
                entry.remote_host = m.remoteHost;
              }
              if (shape === 'new') entry.capabilities = caps(m);
              return entry;
            }),
          },
        };
      case 'GET /api/ps':
        if (shape === 'ancient') return { status: 404, text: '404 page not found', contentType: 'text/plain' };
        return {
          json: {
            models: models()
              .filter((m) => m.loaded)
              .map((m) => {
                const entry: Record<string, unknown> = {
                  name: m.name,
                  model: m.name,
                  size: m.size ?? 1_000_000_000,
                  digest: 'a'.repeat(64),
                  details: details(m, false),
                  expires_at: '2099-01-01T00:00:00Z',
                  size_vram: m.size ?? 1_000_000_000,
                };
                if (m.loadedContextLength !== undefined) entry.context_length = m.loadedContextLength;
                return entry;
              }),
          },
        };
      case 'POST /api/show': {
        const body = req.json as { model?: unknown; name?: unknown } | undefined;
        const m = find(body?.model ?? body?.name);
        if (!m) return { status: 404, json: { error: `model '${String(body?.model)}' not found` } };
        const arch = m.arch ?? m.family ?? 'llama';
        const modelInfo: Record<string, unknown> = { 'general.architecture': arch, 'general.parameter_count': 8_000_000_000 };
        if (m.contextLength !== undefined) modelInfo[`${arch}.context_length`] = m.contextLength;
        const show: Record<string, unknown> = {
          license: 'MIT',
          modelfile: `FROM ${m.name}`,
          parameters: m.numCtx !== undefined ? `stop "<|end|>"\nnum_ctx ${m.numCtx}` : 'stop "<|end|>"',
          template: '{{ .Prompt }}',
          details: details(m, false),
          model_info: modelInfo,
          modified_at: '2025-11-01T10:00:00Z',
        };
        if (shape !== 'ancient') show.capabilities = caps(m);
        if (m.remoteHost) show.remote_host = m.remoteHost;
        return { json: show };
      }
      case 'GET /v1/models':
        return { json: { object: 'list', data: models().map((m) => ({ id: m.name, object: 'model', created: 0, owned_by: 'library' })) } };
      // Side effects: answered harmlessly, recorded, asserted absent by the tests.
      case 'POST /api/pull':
        return { json: { status: 'success' } };
      case 'POST /api/generate':
      case 'POST /api/chat':
      case 'POST /api/create':
      case 'POST /api/copy':
      case 'POST /api/embed':
      case 'DELETE /api/delete':
        return { json: {} };
      default:
        return undefined;
    }
  };

  const server = await startFakeHttp(router, options);
  return {
    ...server,
    options,
    showCalls: () => server.requests.filter((r) => r.method === 'POST' && r.path === '/api/show').map((r) => r.json),
  };
}
