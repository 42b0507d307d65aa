/**
 * One small JSON-over-HTTP helper for discovery. Every failure becomes a one-line reason with a
 * kind the caller can act on (refused = nothing there; timeout = something there that does not
 * answer; http / not-json / truncated = something there that answers wrongly).
 *
 * `node:http`, not `fetch`: a process's first fetch loads and compiles undici (about 25-40 ms on
 * the 2-CPU bench machine, on the way to every smoke test's first run); http.request costs a few.
 * One connection per request (no keep-alive pool: a pooled socket the server has just closed
 * would read as a cut-off answer); redirects are never followed.
 */
import type http from 'node:http';

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
const CUT_OFF = new Set(['ECONNRESET', 'EPIPE']);

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

/** Classify a connect failure (before any response arrived). */
export function classifyConnectError(err: unknown, timeoutMs: number): { kind: FailureKind; reason: string } {
  if (isAbort(err)) return { kind: 'timeout', reason: `no answer within ${timeoutMs} ms` };
  const code = errorCode(err);
  if (code && CONNECT_REFUSED.has(code)) return { kind: 'refused', reason: 'connection refused: nothing is listening there' };
  if (code && NAME_NOT_FOUND.has(code)) return { kind: 'refused', reason: `host name not found (${code})` };
  if (code && UNREACHABLE.has(code)) return { kind: 'refused', reason: `host unreachable (${code})` };
  if (code && CUT_OFF.has(code)) return { kind: 'truncated', reason: 'the connection was closed before an answer arrived' };
  if (code === 'ETIMEDOUT') {
    return { kind: 'timeout', reason: `connect timed out` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'network', reason: oneLine(`request failed: ${code ?? message}`) };
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

type Read = { status: number; statusText: string; contentType: string; text: string } | { failed: JsonResult };

/** Sends the request; resolves with the whole body, or the failure (never rejects). */
async function send(url: string, opts: RequestOptions, elapsed: () => number): Promise<Read> {
  const timeoutMs = opts.timeoutMs;
  const fail = (r: Omit<Extract<JsonResult, { ok: false }>, 'ok' | 'elapsedMs'>): Read => ({ failed: { ok: false, ...r, elapsedMs: elapsed() } });
  let target: URL;
  try {
    target = new URL(url);
  } catch (err) {
    return fail(classifyConnectError(err, timeoutMs));
  }
  if (target.username !== '' || target.password !== '') {
    // As fetch did: credentials in a URL are refused, never sent.
    return fail({ kind: 'network', reason: 'request failed: a URL with credentials (user:password@) is not used' });
  }
  // Loaded here, not at the top: commands that only read profiles (list, test's pre-checks) load
  // this module through the registry and never send a request (~1.5 ms of their start, issue 16).
  const mod: typeof http = target.protocol === 'https:' ? ((await import('node:https')) as unknown as typeof http) : await import('node:http');
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const own = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([own, opts.signal]) : own;
  const limit = opts.maxBytes ?? MAX_BODY_BYTES;

  return new Promise<Read>((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    let res: http.IncomingMessage | undefined;
    const done = (r: Read) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const stop = () => {
      res?.destroy();
      req?.destroy();
    };
    const stalled = (status: number) =>
      fail({ kind: 'timeout', status, reason: `the answer stalled after the headers; gave up after ${timeoutMs} ms` });
    const cutOff = (status: number) => fail({ kind: 'truncated', status, reason: 'the answer was cut off (connection closed mid-body)' });
    function onAbort() {
      done(res ? stalled(res.statusCode ?? 0) : fail({ kind: 'timeout', reason: `no answer within ${timeoutMs} ms` }));
      stop();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();
    try {
      req = mod.request(target, { method: opts.method ?? 'GET', headers, agent: false });
    } catch (err) {
      return done(fail(classifyConnectError(err, timeoutMs)));
    }
    req.on('error', (err) => done(res ? cutOff(res.statusCode ?? 0) : fail(classifyConnectError(err, timeoutMs))));
    req.on('response', (incoming) => {
      res = incoming;
      const status = incoming.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let total = 0;
      incoming.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) {
          done(fail({ kind: 'too-large', status, reason: `the answer is larger than ${formatLimit(limit)}; not a model list` }));
          stop();
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () =>
        done({
          status,
          statusText: incoming.statusMessage ?? '',
          contentType: String(incoming.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      incoming.on('error', () => done(signal.aborted ? stalled(status) : cutOff(status)));
      incoming.on('close', () => {
        if (!incoming.complete) done(signal.aborted ? stalled(status) : cutOff(status));
      });
    });
    req.end(body);
  });
}

/**
 * Whole milliseconds since it was made. process.hrtime, not the global `performance`: in Node 20
 * the first use of `performance` loads node:perf_hooks (~0.5 ms), which held back every
 * command's first request (issue 16).
 */
function stopwatch(): () => number {
  const started = process.hrtime.bigint();
  return () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
}

/** GET or POST a URL and parse a JSON answer, never throwing. */
export async function requestJson(url: string, opts: RequestOptions): Promise<JsonResult> {
  const elapsed = stopwatch();
  const read = await send(url, opts, elapsed);
  if ('failed' in read) return read.failed;
  const { status, statusText, contentType } = read;
  const text = read.text;
  if (status < 200 || status >= 300) {
    return { ok: false, kind: 'http', status, reason: describeHttpError(status, statusText, text), elapsedMs: elapsed() };
  }
  if (text.trim() === '') {
    return { ok: false, kind: 'not-json', status, reason: 'answered with an empty body, not JSON', elapsedMs: elapsed() };
  }
  try {
    return { ok: true, status, json: JSON.parse(text) as unknown, elapsedMs: elapsed() };
  } catch (err) {
    if (looksLikeHtml(contentType, text)) {
      return {
        ok: false,
        kind: 'not-json',
        status,
        reason: 'answered with HTML, not JSON (is another program using this port?)',
        elapsedMs: elapsed(),
      };
    }
    const what = err instanceof Error ? err.message : String(err);
    const partial = /end of (json )?input|unterminated|unexpected end/i.test(what);
    return {
      ok: false,
      kind: partial ? 'truncated' : 'not-json',
      status,
      reason: partial ? 'sent a half-written JSON body (it ends too early)' : oneLine(`sent a body that is not valid JSON (${what})`),
      elapsedMs: elapsed(),
    };
  }
}

export type TextResult =
  | { ok: true; status: number; contentType: string; text: string; elapsedMs: number }
  | Extract<JsonResult, { ok: false }>;

/**
 * Like requestJson, but every HTTP status is an answer: status, content type and body text.
 * For probes that learn from an error body (which route exists), not for model lists.
 */
export async function requestText(url: string, opts: RequestOptions): Promise<TextResult> {
  const elapsed = stopwatch();
  const read = await send(url, opts, elapsed);
  if ('failed' in read) return read.failed as Extract<JsonResult, { ok: false }>;
  return { ok: true, status: read.status, contentType: read.contentType, text: read.text, elapsedMs: elapsed() };
}
