/**
 * vLLM (`vllm serve MODEL`): OpenAI-compatible server, default port 8000.
 *
 * Read in vllm-project/vllm (entrypoints/openai): `GET /v1/models` entries are `ModelCard`s with
 * `id`, `root` (model path), `parent` (set for LoRA adapters) and `max_model_len` (the context
 * the engine runs with); `GET /version` -> `{"version": ...}`; `/v1/responses` since 0.10. The
 * Responses router always registers `GET /v1/responses/{response_id}`; with a model that cannot
 * serve it the handler answers "The model does not support Responses API", otherwise an unknown
 * id is a vLLM `NotFoundError` (404, `{"error":{...}}` or `{"object":"error",...}`). Without the
 * route FastAPI answers 404 `{"detail":"Not Found"}`. So one GET tells the three apart, with no
 * body and no generation. `--api-key` / `VLLM_API_KEY` protects `/v1/*` (not `/version`).
 * The server binds `(args.host or "", port)`: every interface unless `--host` is given.
 */
import { shellWord } from '../../system/shell-word.js';
import { requestJson, requestText } from '../http.js';
import {
  PROBE_RESPONSE_ID,
  bearerFrom,
  commonNotes,
  customRoute,
  acceptModelList,
  errorMessageOf,
  exactModelId,
  findIn,
  isHandlerError,
  jsonOf,
  judgeServerModel,
  newReport,
  normalizeServerUrl,
  noteSkipped,
  statusFor,
} from '../openai-compat.js';
import type { ResponsesSupport, ServerKind, ServerTarget } from '../server-kind.js';
import type { TextResult } from '../http.js';
import { isRecord, positiveInt, str } from '../util.js';
import { compareVersions } from '../../version-order.js';
import { isLoopbackHost, hostOf } from '../address.js';

export const VLLM_DEFAULT_PORT = 8000;
export const VLLM_DEFAULT_URL = `http://127.0.0.1:${VLLM_DEFAULT_PORT}`;
export const VLLM_MIN_RESPONSES_VERSION = '0.10.0';
export const VLLM_API_KEY_ENV = 'VLLM_API_KEY';

/** Reading of `GET /v1/responses/resp_codexprofilesprobe` (see the file comment). */
export function judgeVllmProbe(r: TextResult): ResponsesSupport {
  const how = `GET /v1/responses/${PROBE_RESPONSE_ID}`;
  if (!r.ok) return { state: 'unknown', evidence: `${how}: ${r.reason}` };
  const json = jsonOf(r);
  const msg = errorMessageOf(json);
  if (msg && /does not support (the )?responses api/i.test(msg)) return { state: 'no', evidence: `${how} -> ${r.status}: the served model does not support it` };
  if (r.status === 404 && isRecord(json) && json.detail === 'Not Found') return { state: 'no', evidence: `${how} -> 404 (no such route: vLLM before ${VLLM_MIN_RESPONSES_VERSION})` };
  if ((r.status === 404 || r.status === 400) && isHandlerError(json)) return { state: 'yes', evidence: `${how} -> ${r.status} from the Responses handler` };
  if (r.status === 401 || r.status === 403) return { state: 'unknown', evidence: `${how} -> ${r.status}: the server wants an API key (${VLLM_API_KEY_ENV})` };
  if (r.status === 200) return { state: 'yes', evidence: `${how} -> 200` };
  return { state: 'unknown', evidence: `${how} -> ${r.status}` };
}

export const vllm: ServerKind = {
  id: 'vllm',
  displayName: 'vLLM',
  defaultPort: VLLM_DEFAULT_PORT,
  defaultUrl: VLLM_DEFAULT_URL,
  urlFlag: '--vllm-url',
  env: [{ name: VLLM_API_KEY_ENV, use: 'auth', description: 'the key `vllm serve --api-key` expects; sent as a bearer token when set' }],
  probeByDefault: true,
  reportWhenDown: false,
  minContext: 32768,
  fixes: {
    install: 'install vLLM (`pip install vllm`, see https://docs.vllm.ai)',
    start: 'start it: `vllm serve MODEL --host 127.0.0.1 --port 8000`',
    noResponses: `upgrade vLLM to ${VLLM_MIN_RESPONSES_VERSION} or newer, serve a model that supports the Responses API, or put a Responses-API proxy in front (e.g. LiteLLM's /v1/responses bridge to /v1/chat/completions)`,
    moreContext: 'restart with a larger `--max-model-len` (e.g. `vllm serve MODEL --max-model-len 65536`), memory permitting',
    tools: 'vLLM only returns tool calls when started with `--enable-auto-tool-choice --tool-call-parser NAME` (the parser for the model family)',
  },
  resolveTarget(flagUrl): ServerTarget {
    if (flagUrl !== undefined) return { kind: 'vllm', url: normalizeServerUrl(flagUrl, '--vllm-url', VLLM_DEFAULT_PORT), source: '--vllm-url', notes: [] };
    return { kind: 'vllm', url: VLLM_DEFAULT_URL, source: 'default', notes: [] };
  },
  async discover(opts) {
    const target = vllm.resolveTarget(opts.flagUrl, opts.env);
    const base = target.url;
    const report = newReport('vllm', base, target.source);
    const headers = bearerFrom(opts.env, VLLM_API_KEY_ENV);
    const req = { timeoutMs: opts.timeoutMs, signal: opts.signal, headers };
    const [version, models, probe] = await Promise.all([
      requestJson(`${base}/version`, req),
      requestJson(`${base}/v1/models`, req),
      requestText(`${base}/v1/responses/${PROBE_RESPONSE_ID}`, req),
    ]);
    if (version.ok && isRecord(version.json)) report.version = str(version.json.version);

    if (!models.ok) {
      report.status = statusFor(models);
      report.reason =
        models.kind === 'http' && (models.status === 401 || models.status === 403)
          ? `${models.reason} (set ${VLLM_API_KEY_ENV} to the server's --api-key)`
          : models.kind === 'http' && models.status === 404
            ? 'HTTP 404 on /v1/models: vllm does not look like vLLM'
            : models.reason;
      if (report.status === 'down') {
        report.notes.push({ level: 'info', code: 'START_SERVER', message: `no vLLM server answers at ${base}`, fix: vllm.fixes.start });
      }
      commonNotes(report, vllm);
      return report;
    }
    const parsed = acceptModelList(report, models.json, vllm);
    if (!parsed) return report;
    report.responses = judgeVllmProbe(probe);
    if (report.responses.state === 'unknown' && report.version) {
      const cmp = compareVersions(report.version, VLLM_MIN_RESPONSES_VERSION);
      if (cmp !== undefined) report.responses = { state: cmp >= 0 ? 'yes' : 'no', evidence: `GET /version ${report.version} (${cmp >= 0 ? '>=' : '<'} ${VLLM_MIN_RESPONSES_VERSION})` };
    }
    for (const { model, raw } of parsed.entries) {
      const len = positiveInt(raw.max_model_len);
      if (len !== undefined) {
        // max_model_len is what the engine was started with (--max-model-len, else the model's
        // own maximum): the running context, not necessarily the model's maximum.
        model.runtimeContextLength = len;
        model.sources.runtimeContextLength = '/v1/models max_model_len (--max-model-len)';
      }
      const parent = str(raw.parent);
      if (parent) {
        model.displayName = `${model.id} (LoRA on ${parent})`;
        model.sources.displayName = '/v1/models parent';
      }
      model.loaded = true;
      model.sources.loaded = 'vLLM serves only loaded models';
      model.capabilities = { completion: true };
      model.hints = judgeServerModel(model, vllm);
      report.models.push(model);
    }
    noteSkipped(report, parsed.skipped);
    const host = hostOf(base);
    if (target.source === 'default' && host !== undefined && isLoopbackHost(host)) {
      report.notes.push({
        level: 'info',
        code: 'VLLM_BINDS_ALL',
        message: 'vLLM listens on every network interface unless started with --host; other hosts may be able to send it prompts',
        fix: 'start it with `--host 127.0.0.1` (and `--api-key`) unless it is meant to be shared',
      });
    }
    commonNotes(report, vllm);
    return report;
  },
  findModel: findIn,
  resolveModelId: exactModelId,
  // vLLM serves the model it was started with: another model means another server.
  getModel: (model) => `vllm serve ${shellWord(model)}`,
  codexRoute(serverUrl) {
    return customRoute(vllm, serverUrl);
  },
};
