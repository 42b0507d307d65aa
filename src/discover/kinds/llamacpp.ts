/**
 * llama.cpp's `llama-server`: default 127.0.0.1:8080.
 *
 * Read in ggml-org/llama.cpp (tools/server, common/arg.cpp):
 * - `GET /health` (200 `{"status":"ok"}`; 503 while the model loads: every route answers
 *   503 `{"error":{"message":"Loading model","type":"unavailable_error"}}` until ready);
 * - `GET /v1/models` -> `{data:[{id, owned_by:"llamacpp", meta:{n_ctx_train, n_params, size, ...}}]}`;
 * - `GET /props` -> `default_generation_settings.n_ctx` (the context per slot the server runs),
 *   `total_slots`, `model_path`, `modalities.vision`, `build_info`;
 * - `POST /v1/responses` (since early 2026): the handler first converts the body to a chat request
 *   and throws "'input' is required" when there is none, answered 400 (invalid_argument) or 500
 *   (older builds); no task is queued. A build without the route answers 404
 *   `{"error":{"message":"File Not Found","type":"not_found_error"}}` (cpp-httplib error handler;
 *   a GET to a POST-only route is also 404, so a GET cannot tell). The probe sends `{}`.
 * - `--api-key` (env `LLAMA_API_KEY`) guards everything but /health, /v1/health, /models,
 *   /v1/models; `--host` / `--port` read `LLAMA_ARG_HOST` / `LLAMA_ARG_PORT`.
 */
import { shellWord } from '../../system/shell-word.js';
import { isUnspecifiedHost } from '../address.js';
import { UsageError } from '../../errors.js';
import { requestJson, requestText } from '../http.js';
import {
  PROBE_BODY,
  bearerFrom,
  commonNotes,
  customRoute,
  acceptModelList,
  exactModelId,
  findIn,
  judgeEmptyPost,
  judgeServerModel,
  newReport,
  normalizeServerUrl,
  noteSkipped,
  statusFor,
} from '../openai-compat.js';
import type { ServerKind, ServerTarget } from '../server-kind.js';
import { isRecord, positiveInt, str } from '../util.js';
import { oneLine } from '../http.js';

export const LLAMACPP_DEFAULT_PORT = 8080;
export const LLAMACPP_DEFAULT_URL = `http://127.0.0.1:${LLAMACPP_DEFAULT_PORT}`;
export const LLAMACPP_API_KEY_ENV = 'LLAMA_API_KEY';

function clean(v: string | undefined): string {
  return (v ?? '').trim().replace(/^["']+|["']+$/g, '').trim();
}

/** `--llamacpp-url`, else LLAMA_ARG_HOST / LLAMA_ARG_PORT (how the server reads them), else 127.0.0.1:8080. */
export function resolveLlamaCppTarget(flagUrl: string | undefined, env: NodeJS.ProcessEnv): ServerTarget {
  if (flagUrl !== undefined) {
    return { kind: 'llamacpp', url: normalizeServerUrl(flagUrl, '--llamacpp-url', LLAMACPP_DEFAULT_PORT), source: '--llamacpp-url', notes: [] };
  }
  const host = clean(env.LLAMA_ARG_HOST);
  const portText = clean(env.LLAMA_ARG_PORT);
  if (host === '' && portText === '') return { kind: 'llamacpp', url: LLAMACPP_DEFAULT_URL, source: 'default', notes: [] };
  const notes: ServerTarget['notes'] = [];
  let port = LLAMACPP_DEFAULT_PORT;
  if (portText !== '') {
    if (/^\d+$/.test(portText) && Number(portText) > 0 && Number(portText) <= 65535) port = Number(portText);
    else notes.push({ level: 'warn', code: 'LLAMA_ARG_PORT_INVALID', message: `LLAMA_ARG_PORT=${JSON.stringify(oneLine(portText, 20))} is not a port; looked at ${LLAMACPP_DEFAULT_PORT}` });
  }
  const source = host !== '' && portText !== '' ? 'LLAMA_ARG_HOST/LLAMA_ARG_PORT' : host !== '' ? 'LLAMA_ARG_HOST' : 'LLAMA_ARG_PORT';
  const bare = host.replace(/^\[|\]$/g, '');
  let exposedByConfig = false;
  let connectHost = bare === '' ? '127.0.0.1' : bare;
  if (host !== '' && isUnspecifiedHost(bare)) {
    exposedByConfig = true;
    connectHost = bare.includes(':') ? '::1' : '127.0.0.1';
    notes.push({
      level: 'warn',
      code: 'EXPOSED_BIND',
      message: `LLAMA_ARG_HOST=${oneLine(host, 40)} makes llama-server listen on every network interface: other hosts can send it prompts`,
      fix: 'use LLAMA_ARG_HOST=127.0.0.1 (and --api-key) unless it is meant to be shared',
    });
  }
  if (/[\s/?#@]/.test(connectHost)) {
    return { kind: 'llamacpp', url: LLAMACPP_DEFAULT_URL, source, notes, invalid: `LLAMA_ARG_HOST "${oneLine(host, 40)}" is not a host name`, exposedByConfig };
  }
  const hostPart = connectHost.includes(':') ? `[${connectHost}]` : connectHost;
  let url: string;
  try {
    url = new URL(`http://${hostPart}:${port}`).href.replace(/\/+$/, '');
  } catch {
    throw new UsageError(`LLAMA_ARG_HOST "${oneLine(host, 40)}" is not a host name`);
  }
  return { kind: 'llamacpp', url, source, notes, exposedByConfig };
}

export const llamacpp: ServerKind = {
  id: 'llamacpp',
  displayName: 'llama-server',
  defaultPort: LLAMACPP_DEFAULT_PORT,
  defaultUrl: LLAMACPP_DEFAULT_URL,
  urlFlag: '--llamacpp-url',
  env: [
    { name: 'LLAMA_ARG_HOST', use: 'locate', description: 'the address llama-server binds (read as the server reads it)' },
    { name: 'LLAMA_ARG_PORT', use: 'locate', description: 'the port llama-server listens on' },
    { name: LLAMACPP_API_KEY_ENV, use: 'auth', description: 'the key `llama-server --api-key` expects; sent as a bearer token when set' },
  ],
  probeByDefault: true,
  reportWhenDown: false,
  minContext: 32768,
  fixes: {
    install: 'install llama.cpp (https://github.com/ggml-org/llama.cpp: a release build, `brew install llama.cpp`, ...)',
    start: 'start it: `llama-server -m MODEL.gguf --host 127.0.0.1 --port 8080 -c 65536 --jinja`',
    noResponses: 'update llama.cpp to a build with /v1/responses (early 2026 or newer), or put a Responses-API proxy in front (e.g. LiteLLM\'s /v1/responses bridge to /v1/chat/completions)',
    moreContext: 'restart llama-server with a larger `-c` / `--ctx-size` (e.g. `-c 65536`); with `-np N` slots each slot gets 1/N of it',
    tools: 'llama-server parses tool calls only with `--jinja` and a chat template that supports tools',
  },
  resolveTarget: resolveLlamaCppTarget,
  async discover(opts) {
    const target = resolveLlamaCppTarget(opts.flagUrl, opts.env);
    const base = target.url;
    const report = newReport('llamacpp', base, target.source);
    report.notes.push(...target.notes);
    if (target.exposedByConfig) report.exposed = true;
    if (target.source !== 'default') report.notes.push({ level: 'info', code: 'URL_SOURCE', message: `looked for llama-server at ${base} (from ${target.source})` });
    if (target.invalid) {
      report.status = 'error';
      report.reason = target.invalid;
      return report;
    }
    const headers = bearerFrom(opts.env, LLAMACPP_API_KEY_ENV);
    const req = { timeoutMs: opts.timeoutMs, signal: opts.signal, headers };
    const [health, models, props, probe] = await Promise.all([
      requestJson(`${base}/health`, req),
      requestJson(`${base}/v1/models`, req),
      requestJson(`${base}/props`, req),
      requestText(`${base}/v1/responses`, { ...req, method: 'POST', body: PROBE_BODY }),
    ]);

    if (!models.ok) {
      report.status = statusFor(models);
      if (models.kind === 'http' && models.status === 503) report.reason = 'llama-server is still loading its model (HTTP 503); try again in a moment';
      else if (models.kind === 'http' && models.status === 404) report.reason = 'HTTP 404 on /v1/models: this does not look like llama-server';
      else report.reason = models.reason;
      if (report.status === 'down') {
        report.notes.push({ level: 'info', code: 'START_SERVER', message: `no llama-server answers at ${base}`, fix: llamacpp.fixes.start });
      }
      commonNotes(report, llamacpp);
      return report;
    }
    const parsed = acceptModelList(report, models.json, llamacpp);
    if (!parsed) return report;
    report.responses = judgeEmptyPost(probe);
    if (!health.ok && !(health.kind === 'http' && health.status === 503)) {
      // Not fatal: /v1/models answered. Older builds had no /health.
      report.notes.push({ level: 'info', code: 'HEALTH_UNAVAILABLE', message: `/health: ${health.reason}` });
    }

    const p = props.ok && isRecord(props.json) ? props.json : undefined;
    const settings = p && isRecord(p.default_generation_settings) ? p.default_generation_settings : undefined;
    const slotCtx = settings ? positiveInt(settings.n_ctx) : undefined;
    const slots = p ? positiveInt(p.total_slots) : undefined;
    const vision = p && isRecord(p.modalities) && typeof p.modalities.vision === 'boolean' ? p.modalities.vision : undefined;
    const caps = p && isRecord(p.chat_template_caps) ? p.chat_template_caps : undefined;
    const tools = caps && typeof caps.supports_tool_calls === 'boolean' ? caps.supports_tool_calls : undefined;
    if (p) report.version = str(p.build_info);
    else if (!props.ok) report.notes.push({ level: 'info', code: 'PROPS_UNAVAILABLE', message: `could not read the running context (/props: ${props.reason})` });

    // One model per llama-server (router mode lists several; /props then describes none of them).
    const single = parsed.entries.length === 1;
    for (const { model, raw } of parsed.entries) {
      const meta = isRecord(raw.meta) ? raw.meta : {};
      const train = positiveInt(meta.n_ctx_train);
      if (train !== undefined) {
        model.contextLength = train;
        model.sources.contextLength = '/v1/models meta.n_ctx_train';
      }
      const size = positiveInt(meta.size);
      if (size !== undefined) {
        model.sizeBytes = size;
        model.sources.sizeBytes = '/v1/models meta.size';
      }
      model.capabilities = { completion: true };
      if (single) {
        model.loaded = true;
        model.sources.loaded = 'llama-server serves the model it loaded';
        if (slotCtx !== undefined) {
          model.runtimeContextLength = slotCtx;
          model.sources.runtimeContextLength = `/props default_generation_settings.n_ctx${slots && slots > 1 ? ` (per slot, ${slots} slots)` : ''}`;
        }
        if (vision !== undefined) {
          model.capabilities.vision = vision;
          model.sources.capabilities = '/props modalities';
        }
        if (tools !== undefined) {
          model.capabilities.tools = tools;
          model.sources.capabilities = '/props chat_template_caps.supports_tool_calls';
        }
      }
      model.hints = judgeServerModel(model, llamacpp);
      report.models.push(model);
    }
    noteSkipped(report, parsed.skipped);
    commonNotes(report, llamacpp);
    return report;
  },
  findModel: findIn,
  resolveModelId: exactModelId,
  // llama-server serves the GGUF it was started with (`-hf` downloads from Hugging Face).
  getModel: (model) => `llama-server -hf ${shellWord(model)}`,
  codexRoute(serverUrl) {
    return customRoute(llamacpp, serverUrl);
  },
};
