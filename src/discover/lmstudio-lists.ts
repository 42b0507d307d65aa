/**
 * LM Studio's model lists, one parser per shape (native v1, v0, the OpenAI-compatible list and
 * `lms ls --json`), all into ModelRecords with where each fact came from. Pure: no requests.
 */
import { oneLine } from './http.js';
import type { ModelCapabilities, ModelRecord } from './types.js';
import { fact, isRecord, num, positiveInt, str } from './util.js';

function newRecord(id: string): ModelRecord {
  return { provider: 'lmstudio', id, displayName: id, capabilities: {}, sources: {}, hints: [] };
}

function quantName(q: unknown): string | undefined {
  if (isRecord(q)) return str(q.name);
  return str(q);
}

export type LmStudioShape = 'v1' | 'v0' | 'openai';

export type ParsedList = { models: ModelRecord[]; skipped: number };

/**
 * One record per entry of a model list: entries without an id are counted as skipped, and
 * `fill` adds what else the entry says (with `fact`, which records where each fact came from).
 */
function collect(list: unknown[], src: string, idOf: (m: Record<string, unknown>) => [string | undefined, string], fill: (m: Record<string, unknown>, rec: ModelRecord) => void): ParsedList {
  const models: ModelRecord[] = [];
  let skipped = 0;
  for (const m of list) {
    const [id, idField] = isRecord(m) ? idOf(m) : [undefined, ''];
    if (!isRecord(m) || id === undefined) {
      skipped++;
      continue;
    }
    const rec = newRecord(id);
    rec.sources.id = `${src} ${idField}`;
    fill(m, rec);
    models.push(rec);
  }
  return { models, skipped };
}

/** `type` strings (`llm`, `vlm`, `embedding`, `embeddings`): an embedding model cannot answer prompts. */
function capsFromType(type: string | undefined, rec: ModelRecord, src: string): ModelCapabilities {
  const caps: ModelCapabilities = {};
  if (type) {
    caps.embedding = /^embedding/.test(type);
    caps.completion = !caps.embedding;
    rec.sources.type = `${src} type "${oneLine(type, 20)}"`;
  }
  return caps;
}

function positiveSize(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

/** GET /api/v1/models (LM Studio 0.4+). */
export function recordsFromV1(json: unknown): ParsedList | undefined {
  if (!isRecord(json) || !Array.isArray(json.models)) return undefined;
  const src = '/api/v1/models';
  return collect(json.models, src, (m) => [str(m.key), 'key'], (m, rec) => {
    fact(rec, 'displayName', str(m.display_name), `${src} display_name`);
    fact(rec, 'sizeBytes', positiveSize(num(m.size_bytes)), `${src} size_bytes`);
    fact(rec, 'parameters', str(m.params_string), `${src} params_string`);
    fact(rec, 'quantization', quantName(m.quantization), `${src} quantization.name`);
    fact(rec, 'contextLength', positiveInt(m.max_context_length), `${src} max_context_length`);
    const caps = capsFromType(str(m.type), rec, src);
    if (isRecord(m.capabilities)) {
      if (typeof m.capabilities.trained_for_tool_use === 'boolean') caps.tools = m.capabilities.trained_for_tool_use;
      if (typeof m.capabilities.vision === 'boolean') caps.vision = m.capabilities.vision;
      if (typeof m.capabilities.reasoning === 'boolean') caps.thinking = m.capabilities.reasoning;
      rec.sources.capabilities = `${src} capabilities`;
    }
    rec.capabilities = caps;
    if (Array.isArray(m.loaded_instances)) {
      const instances = m.loaded_instances.filter(isRecord);
      rec.loaded = instances.length > 0;
      rec.sources.loaded = `${src} loaded_instances`;
      const ctxs = instances
        .map((i) => (isRecord(i.config) ? positiveInt(i.config.context_length) : undefined))
        .filter((n): n is number => n !== undefined);
      if (ctxs.length > 0) {
        rec.runtimeContextLength = Math.min(...ctxs);
        rec.sources.runtimeContextLength =
          ctxs.length > 1
            ? `${src} loaded_instances[].config.context_length (smallest of ${ctxs.length} instances)`
            : `${src} loaded_instances[0].config.context_length (loaded now)`;
      }
    }
  });
}

/** GET /api/v0/models (LM Studio 0.3.6+; `capabilities: ["tool_use"]` since 0.3.16). */
export function recordsFromV0(json: unknown): ParsedList | undefined {
  if (!isRecord(json) || !Array.isArray(json.data)) return undefined;
  const src = '/api/v0/models';
  return collect(json.data, src, (m) => [str(m.id), 'id'], (m, rec) => {
    fact(rec, 'quantization', quantName(m.quantization), `${src} quantization`);
    fact(rec, 'contextLength', positiveInt(m.max_context_length), `${src} max_context_length`);
    const type = str(m.type);
    const caps = capsFromType(type, rec, src);
    if (type) caps.vision = type === 'vlm';
    if (Array.isArray(m.capabilities)) {
      caps.tools = m.capabilities.includes('tool_use');
      rec.sources.capabilities = `${src} capabilities`;
    }
    rec.capabilities = caps;
    const state = str(m.state);
    if (state) {
      rec.loaded = state === 'loaded';
      rec.sources.loaded = `${src} state`;
    }
  });
}

/** GET /v1/models (OpenAI-compatible; ids only). Embedding models are guessed from the id. */
export function recordsFromOpenAi(json: unknown): ParsedList | undefined {
  if (!isRecord(json) || !Array.isArray(json.data)) return undefined;
  return collect(json.data, '/v1/models', (m) => [str(m.id), 'id'], (_m, rec) => {
    if (/(^|[-_/.])embed(ding)?s?([-_/.]|$)|^text-embedding/i.test(rec.id)) {
      rec.capabilities = { embedding: true, completion: false };
      rec.sources.capabilities = 'guessed from the id (/v1/models has no type)';
    }
  });
}

/** lms may print a line before its JSON: the JSON from the first `opener` on, or undefined. */
function jsonFrom(stdout: string, opener: '[' | '{'): unknown {
  const start = stdout.indexOf(opener);
  if (start < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    return undefined;
  }
}

/** `lms ls --json`: an array of downloaded models (LM Studio SDK ModelInfo). */
export function recordsFromLmsLs(stdout: string): ParsedList | undefined {
  const json = jsonFrom(stdout, '[');
  if (!Array.isArray(json)) return undefined;
  const src = '`lms ls --json`';
  return collect(json, src, (m) => [str(m.modelKey) ?? str(m.path), 'modelKey'], (m, rec) => {
    fact(rec, 'displayName', str(m.displayName), `${src} displayName`);
    fact(rec, 'sizeBytes', positiveSize(num(m.sizeBytes)), `${src} sizeBytes`);
    fact(rec, 'parameters', str(m.paramsString), `${src} paramsString`);
    fact(rec, 'quantization', quantName(m.quantization), `${src} quantization`);
    fact(rec, 'contextLength', positiveInt(m.maxContextLength), `${src} maxContextLength`);
    const caps: ModelCapabilities = {};
    const type = str(m.type);
    if (type) {
      caps.embedding = /^embedding/.test(type);
      caps.completion = !caps.embedding;
    }
    if (typeof m.trainedForToolUse === 'boolean') caps.tools = m.trainedForToolUse;
    if (typeof m.vision === 'boolean') caps.vision = m.vision;
    if (typeof m.trainedForToolUse === 'boolean' || typeof m.vision === 'boolean') rec.sources.capabilities = `${src} trainedForToolUse/vision`;
    rec.capabilities = caps;
    // LM Link: null for a model on this device, else the id of the device that holds it.
    const device = str(m.deviceIdentifier);
    if (device !== undefined && device !== '') {
      rec.device = { identifier: device, local: false };
      rec.sources.device = `${src} deviceIdentifier`;
    }
  });
}

/** `lms link status --json` (LMLinkStatusResult in lmstudio-js): this device, and its peers by id. */
export interface LmLinkStatus {
  /** This device's id (null: LM Link never set up here). */
  deviceIdentifier: string | null;
  deviceName?: string;
  peers: Map<string, string>;
}

export function parseLmsLinkStatus(stdout: string): LmLinkStatus | undefined {
  const json = jsonFrom(stdout, '{');
  if (!isRecord(json)) return undefined;
  const peers = new Map<string, string>();
  for (const p of Array.isArray(json.peers) ? json.peers : []) {
    const id = isRecord(p) ? str(p.deviceIdentifier) : undefined;
    if (id !== undefined) peers.set(id, str((p as Record<string, unknown>).deviceName) ?? id);
  }
  const name = str(json.deviceName);
  return { deviceIdentifier: str(json.deviceIdentifier) ?? null, ...(name !== undefined ? { deviceName: name } : {}), peers };
}

/**
 * Give LM Link models their device's name, and call a model on this device's own id local (lms
 * does the same: `isLocal` in lms src/deviceNameLookup.ts). Without a status every device id is
 * another device: the model list says the model is not on this one.
 */
export function resolveDevices(models: ModelRecord[], status: LmLinkStatus | undefined): void {
  for (const m of models) {
    if (!m.device) continue;
    const local = status?.deviceIdentifier !== null && status?.deviceIdentifier === m.device.identifier;
    const name = local ? status?.deviceName : status?.peers.get(m.device.identifier);
    m.device = { identifier: m.device.identifier, ...(name !== undefined ? { name } : {}), local };
  }
}

export const PARSERS: Record<LmStudioShape, (json: unknown) => ParsedList | undefined> = {
  v1: recordsFromV1,
  v0: recordsFromV0,
  openai: recordsFromOpenAi,
};

