/**
 * Any OpenAI-compatible server at a URL the user gives (`--provider openai-compatible --url U`):
 * never probed on a default port. `GET /v1/models` for the list; context from the first of the
 * fields such servers use (`max_model_len` vLLM, `context_length` / `max_context_length` /
 * `context_window` others); `POST /v1/responses` with `{}` for Responses support (no input, no
 * model: a server with the route rejects it, one without answers 404/405).
 */
import { shellWord } from '../../system/shell-word.js';
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
  firstInt,
  judgeEmptyPost,
  judgeServerModel,
  newReport,
  normalizeServerUrl,
  noteSkipped,
  statusFor,
} from '../openai-compat.js';
import type { KindDiscoverOptions, ServerKind, ServerTarget } from '../server-kind.js';
import { str } from '../util.js';

export const CONTEXT_FIELDS = ['max_model_len', 'context_length', 'max_context_length', 'context_window'] as const;

/** `owned_by` values that name a server we have a better kind for. */
const KNOWN_OWNERS: Record<string, string> = { vllm: 'vllm', llamacpp: 'llamacpp' };

export const openaiCompatible: ServerKind = {
  id: 'openai-compatible',
  displayName: 'OpenAI-compatible server',
  urlFlag: '--url',
  env: [],
  probeByDefault: false,
  reportWhenDown: false,
  minContext: 32768,
  fixes: {
    install: 'any server with /v1/models and /v1/responses works; name it with --url',
    start: 'start the server, then pass its address with --url',
    noResponses: 'Codex only speaks the Responses API: put a Responses-API proxy in front (e.g. LiteLLM\'s /v1/responses bridge to /v1/chat/completions) and point --url at the proxy',
    moreContext: 'raise the context in the server\'s own settings',
    tools: 'check that the server returns tool calls for this model; Codex cannot work without them',
  },
  resolveTarget(flagUrl): ServerTarget {
    if (flagUrl === undefined || flagUrl.trim() === '') {
      throw new UsageError('--provider openai-compatible needs --url', 'Pass the server address, e.g. --url http://127.0.0.1:4000');
    }
    return { kind: 'openai-compatible', url: normalizeServerUrl(flagUrl, '--url'), source: '--url', notes: [] };
  },
  async discover(opts: KindDiscoverOptions) {
    const target = openaiCompatible.resolveTarget(opts.flagUrl, opts.env);
    const base = target.url;
    const report = newReport('openai-compatible', base, target.source);
    const headers = bearerFrom(opts.env, opts.apiKeyEnv);
    const req = { timeoutMs: opts.timeoutMs, signal: opts.signal, headers };
    const [models, probe] = await Promise.all([
      requestJson(`${base}/v1/models`, req),
      requestText(`${base}/v1/responses`, { ...req, method: 'POST', body: PROBE_BODY }),
    ]);
    if (!models.ok) {
      report.status = statusFor(models);
      report.reason =
        models.kind === 'http' && (models.status === 401 || models.status === 403)
          ? `${models.reason} (the server wants an API key: name the variable that holds it)`
          : models.reason;
      commonNotes(report, openaiCompatible);
      return report;
    }
    const parsed = acceptModelList(report, models.json, openaiCompatible);
    if (!parsed) return report;
    report.responses = judgeEmptyPost(probe);
    const owners = new Set<string>();
    for (const { model, raw } of parsed.entries) {
      const ctx = firstInt(raw, CONTEXT_FIELDS);
      if (ctx) {
        model.contextLength = ctx.value;
        model.sources.contextLength = `/v1/models ${ctx.key}`;
      }
      const owner = str(raw.owned_by);
      if (owner && KNOWN_OWNERS[owner]) owners.add(KNOWN_OWNERS[owner]!);
      model.hints = judgeServerModel(model, openaiCompatible);
      report.models.push(model);
    }
    for (const kind of owners) {
      report.notes.push({ level: 'info', code: 'KNOWN_SERVER', message: `the models are owned by "${kind}": \`--provider ${kind}\` reads more about them` });
    }
    noteSkipped(report, parsed.skipped);
    commonNotes(report, openaiCompatible);
    return report;
  },
  findModel: findIn,
  resolveModelId: exactModelId,
  getModel: (model) => `load ${shellWord(model)} on the server (it must appear in GET /v1/models)`,
  codexRoute(serverUrl) {
    return customRoute(openaiCompatible, serverUrl);
  },
};
