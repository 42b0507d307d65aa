import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { responsesHandler } from './responses-sse.js';
import { withToolCalls } from './tool-models.js';

/**
 * The machinery shared by the fake Ollama and LM Studio servers: an http.Server on 127.0.0.1
 * (port 0), every request recorded, and per-path misbehaviour (latency, hang, 500, HTML,
 * half-written bodies) so tests can reproduce what real servers do when they are unwell.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/**
 * - `hang`: accept, read the request, never answer.
 * - `hang-body`: send headers and half a body, then stall.
 * - `reset`: close the connection without an answer.
 * - `truncated`: promise a Content-Length, send part of it, close.
 * - `half-json`: a complete HTTP answer whose JSON body stops half way.
 * - `http500`: 500 with an Ollama-style `{"error": ...}` body.
 * - `html`: 200 with an HTML page (another program on the port).
 * - `garbage`: 200, `application/json`, body that is not JSON.
 * - `empty`: 200 with an empty body.
 * - `not-found`: 404.
 */
export type Failure = 'hang' | 'hang-body' | 'reset' | 'truncated' | 'half-json' | 'http500' | 'html' | 'garbage' | 'empty' | 'not-found';

export interface RouteAnswer {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

/** Handles POST /v1/responses (Server-Sent Events); see __tests__/helpers/responses-sse.ts. */
export type ResponsesHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface FakeHttpOptions {
  /** Delay before each answer (ms), or per request. */
  latencyMs?: number | ((req: RecordedRequest) => number);
  /** Hold the answer to a request until the returned promise settles (undefined: no wait). */
  gate?: (req: RecordedRequest) => Promise<unknown> | undefined;
  /** Every request hangs (the server accepts and never answers). */
  hang?: boolean;
  /** Misbehaviour per route: keys are `/path`, `METHOD /path`, or `*` for every route. */
  failures?: Record<string, Failure>;
  /**
   * POST /v1/responses (Server-Sent Events, what Codex calls). Default: `responsesHandler()` from
   * __tests__/helpers/responses-sse.ts, answering "OK"; pass `responsesHandler({...})` for other
   * answers, errors or hangs.
   */
  responses?: ResponsesHandler;
}

export interface FakeServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** `METHOD /path` of every request so far. */
  calls(): string[];
  /** The most requests to `path` that were waiting for an answer at the same time. */
  maxInFlight(path: string): number;
  /** Requests to `path` waiting for an answer right now. */
  inFlight(path: string): number;
  close(): Promise<void>;
}

export type Router = (req: RecordedRequest) => RouteAnswer | undefined;

function failureFor(failures: FakeHttpOptions['failures'], req: RecordedRequest): Failure | undefined {
  if (!failures) return undefined;
  return failures[`${req.method} ${req.path}`] ?? failures[req.path] ?? failures['*'];
}

function sendFailure(failure: Failure, res: ServerResponse, socket: Socket, answer: RouteAnswer | undefined): void {
  const full = answer?.json !== undefined ? JSON.stringify(answer.json) : '{"models":[{"name":"a"},{"name":"b"}]}';
  switch (failure) {
    case 'hang':
      return; // never answer; close() destroys the socket
    case 'hang-body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(full.length) });
      res.write(full.slice(0, Math.max(1, Math.floor(full.length / 2))));
      return; // and stall
    case 'reset':
      socket.destroy();
      return;
    case 'truncated':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(full.length + 100) });
      res.write(full.slice(0, Math.max(1, Math.floor(full.length / 2))), () => socket.destroy());
      return;
    case 'half-json': {
      const half = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(half)) });
      res.end(half);
      return;
    }
    case 'http500':
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'something broke\nin the server' }));
      return;
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>');
      return;
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('this is {not json at all]');
      return;
    case 'empty':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
      res.end();
      return;
    case 'not-found':
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
      return;
  }
}

export async function startFakeHttp(router: Router, opts: FakeHttpOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const responses = opts.responses ?? withToolCalls(responsesHandler());
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      const rec: RecordedRequest = { method: req.method ?? 'GET', path, url: req.url ?? '/', headers: req.headers, body };
      try {
        if (body !== '') rec.json = JSON.parse(body);
      } catch {
        // not JSON
      }
      requests.push(rec);
      const now = (inFlight.get(path) ?? 0) + 1;
      inFlight.set(path, now);
      maxInFlight.set(path, Math.max(now, maxInFlight.get(path) ?? 0));
      res.once('close', () => inFlight.set(path, (inFlight.get(path) ?? 1) - 1));
      if (opts.hang) return;

      const answer = () => {
        const routed = router(rec);
        const failure = failureFor(opts.failures, rec);
        if (failure) return sendFailure(failure, res, req.socket, routed);
        if (rec.method === 'POST' && rec.path === '/v1/responses') {
          responses(req, res, body);
          return;
        }
        const a = routed ?? { status: 404, json: { error: `fake server: no route for ${rec.method} ${rec.path}` } };
        const text = a.text ?? JSON.stringify(a.json ?? {});
        res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/json; charset=utf-8' });
        res.end(text);
      };
      const delay = typeof opts.latencyMs === 'function' ? opts.latencyMs(rec) : (opts.latencyMs ?? 0);
      const gate = opts.gate?.(rec);
      if (gate) {
        void gate.then(answer, answer);
      } else if (delay > 0) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, delay);
        timers.add(t);
      } else {
        answer();
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    calls: () => requests.map((r) => `${r.method} ${r.path}`),
    maxInFlight: (path: string) => maxInFlight.get(path) ?? 0,
    inFlight: (path: string) => inFlight.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Paths that would download or load a model: tests assert none of them is ever requested. */
export const SIDE_EFFECT_PATHS = [
  '/api/pull',
  '/api/create',
  '/api/copy',
  '/api/delete',
  '/api/generate',
  '/api/chat',
  '/api/embed',
  '/api/embeddings',
  '/api/push',
  '/api/v1/models/load',
  '/api/v1/models/unload',
  '/api/v1/models/download',
  '/api/v1/chat',
  '/api/v0/chat/completions',
  '/api/v0/completions',
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/responses',
  '/v1/embeddings',
];
