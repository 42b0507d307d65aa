/**
 * A fake OpenAI Responses endpoint, enough for the real Codex CLI (0.131, 0.133, 0.169 checked).
 *
 * Codex calls `POST {base_url}/responses` with `"stream": true` and reads Server-Sent Events.
 * What the real binaries need (seen, see docs/codex-eras.md):
 * - `response.output_item.done` with an assistant `message` item carries the final text: Codex
 *   writes that text to `-o FILE`. The `response.output_text.delta` events are only shown live.
 *   Without an `output_item.done`, codex exits 0 and writes an empty last message.
 * - `response.completed` ends the turn. Without it Codex reports "stream closed before
 *   response.completed" and retries (5 times by default, about 7 s) before failing.
 * - `response.created` and `response.output_item.added` are optional but sent by real servers.
 * - The `event:` line is optional (Codex reads `type` from the JSON); we send both.
 *
 * `handleResponses` answers one request and can be mounted by other fakes (fake Ollama and
 * LM Studio servers); `startResponsesServer` is a standalone server on 127.0.0.1, port 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ResponsesEventType =
  | 'response.created'
  | 'response.output_item.added'
  | 'response.output_text.delta'
  | 'response.output_item.done'
  | 'response.completed';

export interface ResponsesOptions {
  /** The final assistant text (what `codex exec -o FILE` writes). Default "OK". */
  text?: string;
  /** Send the text as these deltas instead of one (their join should equal `text`). */
  deltas?: string[];
  /** Wait this long before answering (before the status line). */
  delayMs?: number;
  /**
   * Never finish. `true` or 'before-headers': accept the request and send nothing;
   * 'after-created': send the 200 headers and `response.created`, then nothing.
   * The response stays open until the client goes away or the server closes.
   */
  hang?: boolean | 'before-headers' | 'after-created';
  /** Answer with this HTTP status and body instead of a stream (an object is sent as JSON). */
  httpError?: { status: number; body?: unknown; contentType?: string };
  /** Leave these events out, to imitate a broken server. */
  omit?: ResponsesEventType[];
  /** End with `response.failed` carrying this error instead of `response.completed`. */
  fail?: { code: string; message: string };
}

export interface RecordedRequest {
  method: string;
  /** The request path with its query, e.g. `/v1/responses`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body; the raw text if it is not JSON; undefined when empty. */
  body: unknown;
  rawBody: string;
}

/** Options, or a function choosing them per request (for "first call fails, second works"). */
export type ResponsesOptionsInput = ResponsesOptions | ((req: RecordedRequest, index: number) => ResponsesOptions);

export interface SseEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Reads a request body as UTF-8 text. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body !== 'string') return body;
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function modelOf(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { model?: unknown }).model === 'string') {
    return (body as { model: string }).model;
  }
  return 'fake-model';
}

let counter = 0;

/** The events of one successful (or failed, with `fail`) streamed answer, in order. */
export function responsesEvents(opts: ResponsesOptions = {}, model = 'fake-model'): SseEvent[] {
  const text = opts.text ?? 'OK';
  const n = ++counter;
  const responseId = `resp_fake_${n}`;
  const itemId = `msg_fake_${n}`;
  const omit = new Set(opts.omit ?? []);
  const created = Math.floor(Date.now() / 1000);
  const base = { id: responseId, object: 'response', created_at: created, model };
  const message = (status: string, content: unknown[]) => ({
    id: itemId,
    type: 'message',
    role: 'assistant',
    status,
    content,
  });
  const events: SseEvent[] = [];
  const push = (type: ResponsesEventType | 'response.failed', data: Record<string, unknown>) => {
    if (!omit.has(type as ResponsesEventType)) events.push({ type, data: { type, ...data } });
  };
  push('response.created', { response: { ...base, status: 'in_progress', output: [] } });
  push('response.output_item.added', { output_index: 0, item: message('in_progress', []) });
  for (const delta of opts.deltas ?? [text]) {
    push('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta });
  }
  const done = message('completed', [{ type: 'output_text', text, annotations: [] }]);
  push('response.output_item.done', { output_index: 0, item: done });
  if (opts.fail) {
    push('response.failed', { response: { ...base, status: 'failed', output: [], error: opts.fail } });
  } else {
    const usage = { input_tokens: 10, output_tokens: 1, total_tokens: 11 };
    push('response.completed', { response: { ...base, status: 'completed', output: [done], usage } });
  }
  return events;
}

/** Serialises events as an SSE body (`event:` and `data:` lines, a blank line after each). */
export function encodeSse(events: SseEvent[]): string {
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`).join('');
}

/**
 * Answers one `POST .../responses` request. `body` is the request body, read already (parsed
 * JSON, or its text/Buffer). Resolves when the answer is finished, or, for `hang`, when the
 * client disconnects. A `stream: false` request gets the final response object as JSON.
 */
export async function handleResponses(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: unknown,
  opts: ResponsesOptions = {},
): Promise<void> {
  const parsed = parseBody(body);
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));

  if (opts.delayMs && opts.delayMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), opts.delayMs);
    });
    const stillThere = await Promise.race([waited, closed.then(() => false)]);
    clearTimeout(timer);
    if (!stillThere) return;
  }

  if (opts.hang === true || opts.hang === 'before-headers') {
    await closed;
    return;
  }

  if (opts.httpError) {
    const { status, body: errBody, contentType } = opts.httpError;
    const text =
      errBody === undefined
        ? JSON.stringify({ error: { message: `fake error ${status}`, type: 'api_error', param: null, code: null } })
        : typeof errBody === 'string'
          ? errBody
          : JSON.stringify(errBody);
    res.writeHead(status, { 'content-type': contentType ?? (typeof errBody === 'string' ? 'text/plain' : 'application/json') });
    res.end(text);
    return;
  }

  const model = modelOf(parsed);
  const events = responsesEvents(opts, model);
  const wantsStream = !(parsed && typeof parsed === 'object' && (parsed as { stream?: unknown }).stream === false);

  if (!wantsStream) {
    const last = events[events.length - 1];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(last ? (last.data as { response?: unknown }).response : {}));
    return;
  }

  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  if (opts.hang === 'after-created') {
    const first = events.find((e) => e.type === 'response.created');
    if (first) res.write(encodeSse([first]));
    await closed;
    return;
  }
  res.end(encodeSse(events));
}

/**
 * A `(req, res, body) => void` hook for servers that read the body themselves (the `responses`
 * option of __tests__/helpers/fake-http.ts): `responses: responsesHandler({ text: 'OK' })`.
 */
export function responsesHandler(
  opts: ResponsesOptionsInput = {},
): (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void {
  let index = 0;
  return (req, res, body) => {
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: parseBody(body),
      rawBody: body,
    };
    const o = typeof opts === 'function' ? opts(recorded, index++) : opts;
    void handleResponses(req, res, recorded.body, o).catch(() => res.destroy());
  };
}

export interface ResponsesServer {
  port: number;
  /** `http://127.0.0.1:PORT/v1`: the `base_url` to give Codex. */
  baseUrl: string;
  /** Every request received, in order (any path). */
  requests: RecordedRequest[];
  /** Change the behaviour for the next requests. */
  options: ResponsesOptionsInput;
  /** Closes the server and every open connection (hanging answers included). */
  close(): Promise<void>;
}

/**
 * A standalone fake on 127.0.0.1 (port 0). `POST .../responses` is answered by
 * `handleResponses`; any other path gets a JSON 404. Every request is recorded.
 */
export async function startResponsesServer(opts: ResponsesOptionsInput = {}): Promise<ResponsesServer> {
  const requests: RecordedRequest[] = [];
  const state: { options: ResponsesOptionsInput } = { options: opts };
  const server = http.createServer((req, res) => {
    void (async () => {
      const rawBody = await readBody(req);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: parseBody(rawBody),
        rawBody,
      };
      const index = requests.length;
      requests.push(recorded);
      const pathname = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'POST' && pathname.endsWith('/responses')) {
        const o = typeof state.options === 'function' ? state.options(recorded, index) : state.options;
        await handleResponses(req, res, recorded.body, o);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route for ${req.method} ${pathname}` }));
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get options() {
      return state.options;
    },
    set options(value: ResponsesOptionsInput) {
      state.options = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
