/**
 * One small JSON-over-HTTP helper for discovery. Every failure becomes a one-line reason with a
 * kind the caller can act on (refused = nothing there; timeout = something there that does not
 * answer; http / not-json / truncated = something there that answers wrongly).
 */

/** Responses bigger than this are not model lists; stop reading rather than fill memory. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type FailureKind = 'refused' | 'timeout' | 'http' | 'not-json' | 'truncated' | 'too-large' | 'network';

export type JsonResult =
  | { ok: true; status: number; json: unknown; elapsedMs: number }
  | { ok: false; kind: FailureKind; status?: number; reason: string; elapsedMs: number };

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  timeoutMs: number;
  /** An outer signal (e.g. a phase deadline); the request also has its own timeout. */
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Body size limit (default MAX_BODY_BYTES). */
  maxBytes?: number;
}

/** Keep reasons to one short line: no newlines or control characters, bounded length. */
export function oneLine(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

const CONNECT_REFUSED = new Set(['ECONNREFUSED']);
const NAME_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN']);
const CUT_OFF = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (e as { errors?: unknown[] }).errors; // AggregateError from happy eyeballs
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = errorCode(errors[0]);
      if (inner) return inner;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Classify a fetch/connect failure (before any response arrived). */
export function classifyConnectError(err: unknown, timeoutMs: number): { kind: FailureKind; reason: string } {
  if (isAbort(err)) return { kind: 'timeout', reason: `not responding (no answer within ${timeoutMs} ms)` };
  const code = errorCode(err);
  if (code && CONNECT_REFUSED.has(code)) return { kind: 'refused', reason: 'connection refused (nothing is listening there)' };
  if (code && NAME_NOT_FOUND.has(code)) return { kind: 'refused', reason: `host name not found (${code})` };
  if (code && UNREACHABLE.has(code)) return { kind: 'refused', reason: `host unreachable (${code})` };
  if (code && CUT_OFF.has(code)) return { kind: 'truncated', reason: 'the connection was closed before an answer arrived' };
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout', reason: `not responding (connect timed out)` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'network', reason: oneLine(`request failed: ${code ?? message}`) };
}

async function readCapped(res: Response, limit: number): Promise<{ text: string } | { tooLarge: true }> {
  if (!res.body) return { text: '' };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

function describeHttpError(status: number, statusText: string, text: string): string {
  let detail = '';
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    const e = parsed?.error;
    if (typeof e === 'string') detail = e;
    else if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
      detail = (e as { message: string }).message;
    }
  } catch {
    // not JSON: say nothing more than the status
  }
  const head = `HTTP ${status}${statusText ? ' ' + statusText : ''}`;
  return oneLine(detail ? `${head}: ${detail}` : head);
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}

function looksLikeHtml(contentType: string, text: string): boolean {
  return /html/i.test(contentType) || /^\s*</.test(text);
}

/** GET or POST a URL and parse a JSON answer, never throwing. */
export async function requestJson(url: string, opts: RequestOptions): Promise<JsonResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const own = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([own, opts.signal]) : own;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, { method: opts.method ?? 'GET', headers, body, signal, redirect: 'manual' });
  } catch (err) {
    return { ok: false, ...classifyConnectError(err, opts.timeoutMs), elapsedMs: elapsed() };
  }
  let read: { text: string } | { tooLarge: true };
  try {
    read = await readCapped(res, opts.maxBytes ?? MAX_BODY_BYTES);
  } catch (err) {
    if (isAbort(err)) {
      return {
        ok: false,
        kind: 'timeout',
        status: res.status,
        reason: `not responding (the answer stalled after the headers; gave up after ${opts.timeoutMs} ms)`,
        elapsedMs: elapsed(),
      };
    }
    return {
      ok: false,
      kind: 'truncated',
      status: res.status,
      reason: 'the answer was cut off (connection closed mid-body)',
      elapsedMs: elapsed(),
    };
  }
  if ('tooLarge' in read) {
    return {
      ok: false,
      kind: 'too-large',
      status: res.status,
      reason: `the answer is larger than ${formatLimit(opts.maxBytes ?? MAX_BODY_BYTES)}; not a model list`,
      elapsedMs: elapsed(),
    };
  }
  const text = read.text;
  if (res.status < 200 || res.status >= 300) {
    return { ok: false, kind: 'http', status: res.status, reason: describeHttpError(res.status, res.statusText, text), elapsedMs: elapsed() };
  }
  const contentType = res.headers.get('content-type') ?? '';
  if (text.trim() === '') {
    return { ok: false, kind: 'not-json', status: res.status, reason: 'answered with an empty body, not JSON', elapsedMs: elapsed() };
  }
  try {
    return { ok: true, status: res.status, json: JSON.parse(text) as unknown, elapsedMs: elapsed() };
  } catch (err) {
    if (looksLikeHtml(contentType, text)) {
      return {
        ok: false,
        kind: 'not-json',
        status: res.status,
        reason: 'answered with HTML, not JSON (is another program using this port?)',
        elapsedMs: elapsed(),
      };
    }
    const what = err instanceof Error ? err.message : String(err);
    const partial = /end of (json )?input|unterminated|unexpected end/i.test(what);
    return {
      ok: false,
      kind: partial ? 'truncated' : 'not-json',
      status: res.status,
      reason: partial ? 'sent a half-written JSON body (it ends too early)' : oneLine(`sent a body that is not valid JSON (${what})`),
      elapsedMs: elapsed(),
    };
  }
}
