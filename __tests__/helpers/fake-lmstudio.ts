import type { FakeCliSpec } from './fake-cli.js';
import { startFakeHttp, type FakeHttpOptions, type FakeServer, type RecordedRequest, type RouteAnswer } from './fake-http.js';

/**
 * A fake LM Studio server on 127.0.0.1 in three generations:
 * - `v1`: GET /api/v1/models (0.4+), plus /api/v0/models and /v1/models;
 * - `v0`: GET /api/v0/models (0.3.6+) and /v1/models;
 * - `openai`: only the OpenAI-compatible GET /v1/models.
 * POST /v1/responses goes to the `responses` hook. Load / download endpoints are recorded.
 */

export interface FakeLmModel {
  key: string;
  /** `llm` (default), `vlm` (v0 only; `llm` + vision in v1), `embedding`. */
  type?: 'llm' | 'vlm' | 'embedding';
  displayName?: string;
  publisher?: string;
  sizeBytes?: number;
  params?: string | null;
  quantization?: string;
  maxContextLength?: number;
  /** Loaded instances' context lengths; empty or absent: not loaded. */
  loaded?: number[];
  /** capabilities.trained_for_tool_use (default true for llm). */
  toolUse?: boolean;
  vision?: boolean;
  /**
   * LM Link: the device that holds the model (another machine on the link). The REST lists do not
   * say (as in LM Studio); `lmsSpec` puts it in `lms ls --json` as `deviceIdentifier`.
   */
  device?: { identifier: string; name: string };
}

export type LmStudioApi = 'v1' | 'v0' | 'openai';

export interface FakeLmStudioOptions extends FakeHttpOptions {
  api?: LmStudioApi;
  models?: FakeLmModel[];
  /** v0 `capabilities: ["tool_use"]` arrays (LM Studio 0.3.16+; default true). */
  v0Capabilities?: boolean;
  /** Answer 401 unless `Authorization: Bearer <token>`. */
  requireToken?: string;
  /** Replace a model-list body (hostile and malformed cases). */
  bodies?: Partial<Record<'/api/v1/models' | '/api/v0/models' | '/v1/models', unknown>>;
}

export type FakeLmStudio = FakeServer & { options: FakeLmStudioOptions };

/**
 * The `lms` that goes with this LM Studio (for makeFakeCliDir().add('lms', ...)): `ls --json` with
 * each model's `deviceIdentifier` (null on this device, as lmstudio-js ModelInfoBase), and
 * `link status --json` naming this device and the peers that hold models.
 */
export function lmsSpec(models: FakeLmModel[], self = { identifier: 'dev-this-machine', name: 'This Laptop' }): FakeCliSpec {
  const ls = models.map((m) => ({
    type: m.type === 'embedding' ? 'embedding' : 'llm',
    modelKey: m.key,
    displayName: m.displayName ?? m.key,
    path: `${m.key}.gguf`,
    sizeBytes: m.sizeBytes ?? 4_000_000_000,
    maxContextLength: m.maxContextLength ?? 32768,
    trainedForToolUse: m.toolUse ?? true,
    deviceIdentifier: m.device?.identifier ?? null,
  }));
  const peers = [...new Map(models.filter((m) => m.device).map((m) => [m.device!.identifier, { deviceIdentifier: m.device!.identifier, deviceName: m.device!.name, status: 'connected' }])).values()];
  const status = { status: 'online', issues: [], peers, deviceIdentifier: self.identifier, deviceName: self.name };
  return { commands: { 'ls --json': { stdout: JSON.stringify(ls) + '\n' }, 'link status --json': { stdout: JSON.stringify(status) + '\n' } } };
}

const levels: Record<LmStudioApi, number> = { openai: 0, v0: 1, v1: 2 };

export async function startFakeLmStudio(options: FakeLmStudioOptions = {}): Promise<FakeLmStudio> {
  const api = options.api ?? 'v1';
  const models = () => options.models ?? [];
  const isEmbedding = (m: FakeLmModel) => m.type === 'embedding';

  const router = (req: RecordedRequest): RouteAnswer | undefined => {
    if (options.requireToken && req.headers.authorization !== `Bearer ${options.requireToken}`) {
      return { status: 401, json: { error: { message: 'Invalid or missing API token', type: 'invalid_request_error' } } };
    }
    const key = `${req.method} ${req.path}`;
    const override = options.bodies?.[req.path as keyof NonNullable<FakeLmStudioOptions['bodies']>];
    switch (key) {
      case 'GET /lmstudio-greeting':
        return { json: { lmstudio: true } };
      case 'GET /api/v1/models':
        if (levels[api] < 2) break;
        if (override !== undefined) return { json: override };
        return {
          json: {
            models: models().map((m) => {
              const e: Record<string, unknown> = {
                type: isEmbedding(m) ? 'embedding' : 'llm',
                publisher: m.publisher ?? 'lmstudio-community',
                key: m.key,
                display_name: m.displayName ?? m.key,
                quantization: { name: m.quantization ?? 'Q4_K_M', bits_per_weight: 4 },
                size_bytes: m.sizeBytes ?? 4_000_000_000,
                params_string: m.params === undefined ? '7B' : m.params,
                loaded_instances: (m.loaded ?? []).map((ctx, i) => ({ id: i === 0 ? m.key : `${m.key}:${i + 1}`, config: { context_length: ctx } })),
                max_context_length: m.maxContextLength ?? 32768,
                format: 'gguf',
              };
              if (!isEmbedding(m)) {
                e.architecture = 'qwen3';
                e.capabilities = { vision: m.vision ?? m.type === 'vlm', trained_for_tool_use: m.toolUse ?? true };
                e.description = null;
              }
              return e;
            }),
          },
        };
      case 'GET /api/v0/models':
        if (levels[api] < 1) break;
        if (override !== undefined) return { json: override };
        return {
          json: {
            object: 'list',
            data: models().map((m) => {
              const e: Record<string, unknown> = {
                id: m.key,
                object: 'model',
                type: isEmbedding(m) ? 'embeddings' : m.type === 'vlm' || m.vision ? 'vlm' : 'llm',
                publisher: m.publisher ?? 'lmstudio-community',
                arch: 'qwen3',
                compatibility_type: 'gguf',
                quantization: m.quantization ?? 'Q4_K_M',
                state: (m.loaded ?? []).length > 0 ? 'loaded' : 'not-loaded',
                max_context_length: m.maxContextLength ?? 32768,
              };
              if (options.v0Capabilities !== false && !isEmbedding(m)) e.capabilities = m.toolUse === false ? [] : ['tool_use'];
              return e;
            }),
          },
        };
      case 'GET /v1/models':
        if (override !== undefined) return { json: override };
        return { json: { object: 'list', data: models().map((m) => ({ id: m.key, object: 'model', owned_by: 'organization_owner' })) } };
      // Side effects: recorded, asserted absent by the tests.
      case 'POST /api/v1/models/load':
      case 'POST /api/v1/models/download':
      case 'POST /api/v1/models/unload':
      case 'POST /api/v1/chat':
      case 'POST /v1/chat/completions':
        return { json: {} };
    }
    return undefined;
  };

  const server = await startFakeHttp(router, options);
  return { ...server, options };
}
