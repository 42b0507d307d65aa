import { UsageError } from '../errors.js';
import { hostOf, isLoopbackHost, stripV1 } from './address.js';
import { judgeModel } from './hints.js';
import { newRecord, ollamaCliFallback } from './ollama-cli.js';
export { parseHumanBytes, parseOllamaList } from './ollama-cli.js';
import { oneLine, requestJson, type JsonResult } from './http.js';
import { parseOllamaHost, cleanEnvValue, type OllamaHost } from './ollama-host.js';
import type { Hint, ModelCapabilities, ModelRecord, ProbeOptions, ProviderReport, ProviderStatus } from './types.js';
import { fact, isRecord, mapLimit, num, positiveInt, str } from './util.js';
import { compareVersions } from '../version-order.js';

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
/** /api/show requests in flight at once (older servers only). */
export const OLLAMA_SHOW_CONCURRENCY = 4;
/** First Ollama with POST /v1/responses, the only wire API Codex speaks. */
export const OLLAMA_MIN_RESPONSES_VERSION = '0.13.3';

export type { ProbeOptions } from './types.js';

/** Where we will look for Ollama, and why there. */
export interface OllamaTarget {
  url: string;
  source: '--ollama-url' | 'OLLAMA_HOST' | 'default';
  /** The parsed OLLAMA_HOST / flag, when one was given. */
  host?: OllamaHost;
  /** The value cannot be used (a scheme Ollama does not speak, an unparsable host). */
  invalid?: string;
}

function targetFrom(value: string, source: OllamaTarget['source']): OllamaTarget {
  const host = parseOllamaHost(source === '--ollama-url' ? stripV1(value.trim()) : value);
  if (host.schemeUnsupported) {
    return { url: host.url, source, host, invalid: `scheme "${host.scheme}" is not http or https` };
  }
  try {
    const u = new URL(host.connectUrl);
    return { url: u.href.replace(/\/+$/, ''), source, host };
  } catch {
    return { url: host.url, source, host, invalid: `"${oneLine(host.url, 80)}" is not a usable URL` };
  }
}

/** `--ollama-url`, else OLLAMA_HOST (every form Ollama accepts), else 127.0.0.1:11434. */
export function resolveOllamaTarget(flag: string | undefined, env: NodeJS.ProcessEnv): OllamaTarget {
  if (flag !== undefined) {
    if (flag.trim() === '') throw new UsageError('--ollama-url is empty', 'Pass a URL such as http://127.0.0.1:11434');
    const t = targetFrom(flag, '--ollama-url');
    if (t.invalid) throw new UsageError(`--ollama-url: ${t.invalid}`, 'Pass a URL such as http://127.0.0.1:11434');
    return t;
  }
  const raw = env.OLLAMA_HOST;
  if (raw !== undefined && cleanEnvValue(raw) !== '') return targetFrom(raw, 'OLLAMA_HOST');
  return { url: DEFAULT_OLLAMA_URL, source: 'default' };
}

/** The base URL (no /v1) where Ollama is expected: for profile writers and smoke tests. */
export function resolveOllamaUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolveOllamaTarget(flag, env).url;
}

/** The listed id Ollama runs for `id`: an exact match, else a name without a tag means `:latest`. */
export function resolveOllamaModelId(listed: readonly string[], id: string): string | undefined {
  if (listed.includes(id)) return id;
  return !id.includes(':') && listed.includes(`${id}:latest`) ? `${id}:latest` : undefined;
}

function statusFor(r: Extract<JsonResult, { ok: false }>): ProviderStatus {
  if (r.kind === 'refused') return 'down';
  if (r.kind === 'timeout') return 'not-responding';
  return 'error';
}

function capabilitiesFrom(list: unknown[]): ModelCapabilities {
  const has = (c: string) => list.includes(c);
  return {
    completion: has('completion'),
    tools: has('tools'),
    vision: has('vision'),
    thinking: has('thinking'),
    embedding: has('embedding'),
  };
}

interface Draft {
  record: ModelRecord;
  capsKnown: boolean;
  family?: string;
}


function draftFromTag(entry: Record<string, unknown>): Draft | undefined {
  const id = str(entry.name) ?? str(entry.model);
  if (id === undefined) return undefined;
  const rec = newRecord(id);
  rec.sources.id = '/api/tags name';
  const size = num(entry.size);
  fact(rec, 'sizeBytes', size !== undefined && size > 0 ? size : undefined, '/api/tags size');
  const details = isRecord(entry.details) ? entry.details : {};
  fact(rec, 'parameters', str(details.parameter_size), '/api/tags details.parameter_size');
  fact(rec, 'quantization', str(details.quantization_level), '/api/tags details.quantization_level');
  fact(rec, 'contextLength', positiveInt(details.context_length), '/api/tags details.context_length');
  fact(rec, 'remoteHost', str(entry.remote_host), '/api/tags remote_host');
  let capsKnown = false;
  if (Array.isArray(entry.capabilities)) {
    rec.capabilities = capabilitiesFrom(entry.capabilities);
    rec.sources.capabilities = '/api/tags capabilities';
    capsKnown = true;
  }
  const families = Array.isArray(details.families) ? details.families.filter((f): f is string => typeof f === 'string') : [];
  const family = str(details.family) ?? families[0];
  return { record: rec, capsKnown, family };
}

function applyShow(d: Draft, show: Record<string, unknown>): void {
  const rec = d.record;
  if (!d.capsKnown && Array.isArray(show.capabilities)) {
    rec.capabilities = capabilitiesFrom(show.capabilities);
    rec.sources.capabilities = '/api/show capabilities';
    d.capsKnown = true;
  }
  const info = isRecord(show.model_info) ? show.model_info : undefined;
  if (rec.contextLength === undefined && info) {
    const arch = str(info['general.architecture']);
    let ctx = arch ? positiveInt(info[`${arch}.context_length`]) : undefined;
    if (ctx === undefined) {
      for (const [k, v] of Object.entries(info)) {
        if (k.endsWith('.context_length') && positiveInt(v)) {
          ctx = positiveInt(v);
          break;
        }
      }
    }
    if (ctx !== undefined) {
      rec.contextLength = ctx;
      rec.sources.contextLength = '/api/show model_info';
    }
  }
  if (rec.runtimeContextLength === undefined && typeof show.parameters === 'string') {
    const m = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show.parameters);
    const n = m ? positiveInt(Number(m[1])) : undefined;
    if (n !== undefined) {
      rec.runtimeContextLength = n;
      rec.sources.runtimeContextLength = '/api/show parameters num_ctx (Modelfile)';
    }
  }
  const details = isRecord(show.details) ? show.details : {};
  // /api/tags facts win; /api/show only fills what it left out.
  if (!rec.parameters) fact(rec, 'parameters', str(details.parameter_size), '/api/show details.parameter_size');
  if (!rec.quantization) fact(rec, 'quantization', str(details.quantization_level), '/api/show details.quantization_level');
  if (!d.family && str(details.family)) d.family = str(details.family);
  if (!rec.remoteHost) fact(rec, 'remoteHost', str(show.remote_host), '/api/show remote_host');
}

/** Servers before capabilities (0.6.4) still name BERT-family embedding models by family. */
function guessEmbedding(d: Draft): void {
  if (d.capsKnown || !d.family) return;
  if (/bert/i.test(d.family)) {
    d.record.capabilities = { ...d.record.capabilities, embedding: true, completion: false };
    d.record.sources.capabilities = `guessed from family "${oneLine(d.family, 40)}" (server reports no capabilities)`;
  }
}

function exposureNotes(target: OllamaTarget, reachable: boolean): { exposed: boolean; notes: Hint[] } {
  const notes: Hint[] = [];
  let exposed = false;
  if (target.host?.bindsAllInterfaces) {
    exposed = true;
    const what = target.source === 'OLLAMA_HOST' ? `OLLAMA_HOST=${oneLine(target.host.raw ?? '', 60)}` : `${target.source} ${target.host.url}`;
    notes.push({
      level: 'warn',
      code: 'EXPOSED_BIND',
      message: `${what} makes an Ollama server started with it listen on every network interface: other hosts can send it prompts (Ollama has no authentication)`,
      fix: 'unless you mean to share it, use OLLAMA_HOST=127.0.0.1:11434 (or unset it) for `ollama serve`',
    });
  }
  const host = hostOf(target.url);
  if (reachable && host !== undefined && !isLoopbackHost(host) && !target.host?.bindsAllInterfaces) {
    exposed = true;
    notes.push({
      level: 'warn',
      code: 'EXPOSED_ADDRESS',
      message: `reached at ${host}, which is not a loopback address: the server accepts prompts over the network, and what Codex sends (code, files) crosses it`,
      fix: 'keep the server on 127.0.0.1 unless it is meant to be shared, and only over a network you trust',
    });
  }
  return { exposed, notes };
}

/** Ollama over HTTP (version, tags, ps, then show where tags lacks facts); `ollama list` if down. */
export async function discoverOllama(target: OllamaTarget, opts: ProbeOptions): Promise<ProviderReport> {
  const base = target.url.replace(/\/+$/, '');
  const report: ProviderReport = { provider: 'ollama', url: base, status: 'down', reason: undefined, version: undefined, exposed: false, via: 'none', models: [], notes: [] };
  if (target.source !== 'default') {
    report.notes.push({ level: 'info', code: 'URL_SOURCE', message: `looked for Ollama at ${base} (from ${target.source})` });
  }
  if (target.host?.portInvalid) {
    report.notes.push({
      level: 'warn',
      code: 'OLLAMA_HOST_PORT',
      message: `the port in ${target.source} is not a number from 0 to 65535; Ollama falls back to its default port, and so did we`,
    });
  }
  if (target.invalid) {
    report.status = 'error';
    report.reason = oneLine(`${target.source} is not usable: ${target.invalid}`);
    Object.assign(report, exposureNotes(target, false));
    return report;
  }

  const get = (p: string) => requestJson(`${base}${p}`, { timeoutMs: opts.timeoutMs, signal: opts.signal });
  const [version, tags, ps] = await Promise.all([get('/api/version'), get('/api/tags'), get('/api/ps')]);

  if (!tags.ok) {
    report.status = statusFor(tags);
    report.reason = tags.kind === 'http' && tags.status === 404 ? 'HTTP 404 on /api/tags: this does not look like an Ollama server' : tags.reason;
    const exp = exposureNotes(target, report.status !== 'down');
    report.exposed = exp.exposed;
    report.notes.push(...exp.notes);
    if (report.status === 'down') await ollamaCliFallback(report, opts);
    return report;
  }

  if (version.ok && isRecord(version.json) && str(version.json.version)) {
    report.version = str(version.json.version);
    const cmp = compareVersions(report.version!, OLLAMA_MIN_RESPONSES_VERSION);
    if (cmp !== undefined && cmp < 0 && !/^0\.0\.0/.test(report.version!)) {
      report.notes.push({
        level: 'warn',
        code: 'OLLAMA_TOO_OLD',
        message: `Ollama ${oneLine(report.version!, 20)} has no /v1/responses (added in ${OLLAMA_MIN_RESPONSES_VERSION}); Codex only speaks the Responses API, and \`codex --oss\` refuses versions before 0.13.4`,
        fix: 'update Ollama (https://ollama.com/download)',
      });
    }
  }

  const exp = exposureNotes(target, true);
  report.exposed = exp.exposed;
  report.notes.push(...exp.notes);

  const list = isRecord(tags.json) ? tags.json.models : undefined;
  if (!Array.isArray(list)) {
    report.status = 'error';
    report.reason = '/api/tags answered JSON without a "models" list';
    return report;
  }
  report.status = 'up';
  report.via = 'http';

  const drafts: Draft[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const entry of list) {
    const d = isRecord(entry) ? draftFromTag(entry) : undefined;
    if (!d || seen.has(d.record.id)) {
      skipped++;
      continue;
    }
    seen.add(d.record.id);
    drafts.push(d);
  }
  if (skipped > 0) {
    report.notes.push({ level: 'warn', code: 'ENTRIES_SKIPPED', message: `${skipped} /api/tags entr${skipped === 1 ? 'y was' : 'ies were'} skipped (no usable name, or a duplicate)` });
  }

  // Loaded models and the context they run with (GET /api/ps; context_length since 0.10).
  if (ps.ok && isRecord(ps.json) && Array.isArray(ps.json.models)) {
    const loaded = new Map<string, Record<string, unknown>>();
    for (const m of ps.json.models) {
      if (!isRecord(m)) continue;
      for (const key of [str(m.name), str(m.model)]) if (key) loaded.set(key, m);
    }
    for (const d of drafts) {
      const m = loaded.get(d.record.id);
      d.record.loaded = m !== undefined;
      d.record.sources.loaded = '/api/ps';
      const ctx = m ? positiveInt(m.context_length) : undefined;
      if (ctx !== undefined) {
        d.record.runtimeContextLength = ctx;
        d.record.sources.runtimeContextLength = '/api/ps context_length (loaded now)';
      }
    }
  } else if (!ps.ok) {
    report.notes.push({ level: 'info', code: 'PS_UNAVAILABLE', message: `could not tell which models are loaded (/api/ps: ${ps.reason})` });
  }

  // Older servers: /api/tags lacks capabilities and context length; ask /api/show per model (or
  // only for the ones asked about). Cloud models are skipped: their details live on the remote host.
  const listed = drafts.map((d) => d.record.id);
  const wanted = opts.detailsFor && new Set(opts.detailsFor.map((id) => resolveOllamaModelId(listed, id)));
  const needShow = drafts.filter((d) => !d.record.remoteHost && (!d.capsKnown || d.record.contextLength === undefined) && (!wanted || wanted.has(d.record.id)));
  if (needShow.length > 0) {
    const deadline = AbortSignal.timeout(opts.timeoutMs * 2);
    const failures: string[] = [];
    await mapLimit(needShow, OLLAMA_SHOW_CONCURRENCY, async (d) => {
      if (deadline.aborted) {
        failures.push('gave up: the time for /api/show ran out');
        return;
      }
      const r = await requestJson(`${base}/api/show`, {
        method: 'POST',
        body: { model: d.record.id },
        timeoutMs: opts.timeoutMs,
        signal: opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline,
      });
      if (r.ok && isRecord(r.json)) applyShow(d, r.json);
      else failures.push(r.ok ? '/api/show answered something other than an object' : r.reason);
    });
    if (failures.length > 0) {
      report.notes.push({
        level: 'info',
        code: 'SHOW_INCOMPLETE',
        message: oneLine(
          `${failures.length} of ${needShow.length} /api/show requests failed (${failures[0]}); capabilities or context may be missing for those models`,
          220,
        ),
      });
    }
  }

  for (const d of drafts) {
    guessEmbedding(d);
    d.record.hints = judgeModel(d.record, opts.env);
    report.models.push(d.record);
  }
  if (report.models.length === 0) {
    report.notes.push({
      level: 'info',
      code: 'NO_MODELS',
      message: 'Ollama is running but has no models',
      fix: 'download one yourself, e.g. `ollama pull gpt-oss:20b` (this tool never downloads)',
    });
  }
  return report;
}
