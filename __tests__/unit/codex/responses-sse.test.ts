import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  encodeSse,
  handleResponses,
  readBody,
  responsesEvents,
  responsesHandler,
  startResponsesServer,
  type ResponsesServer,
} from '../../helpers/responses-sse.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function post(url: string, body: unknown, timeoutMs = 5000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

/** Parses an SSE body into [event name, data] pairs. */
function parseSse(text: string): Array<{ event?: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

const ORDER = [
  'response.created',
  'response.output_item.added',
  'response.output_text.delta',
  'response.output_item.done',
  'response.completed',
];

describe('responsesEvents / encodeSse', () => {
  test('the five events in order; the final text is in output_item.done', () => {
    const events = responsesEvents({ text: 'NOPE' }, 'qwen3');
    expect(events.map((e) => e.type)).toEqual(ORDER);
    for (const e of events) expect(e.data.type).toBe(e.type);
    const done = events[3]?.data as { item: { type: string; role: string; content: Array<{ type: string; text: string }> } };
    expect(done.item).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'NOPE' }] });
    expect((events[0]?.data as { response: { model: string } }).response.model).toBe('qwen3');
    const parsed = parseSse(encodeSse(events));
    expect(parsed.map((p) => p.event)).toEqual(ORDER);
    expect(parsed.map((p) => p.data)).toEqual(events.map((e) => e.data));
  });

  test('deltas, omitted events, response.failed', () => {
    expect(responsesEvents({ text: 'OK', deltas: ['O', 'K'] }).filter((e) => e.type === 'response.output_text.delta')).toHaveLength(2);
    expect(responsesEvents({ omit: ['response.output_item.done'] }).map((e) => e.type)).not.toContain('response.output_item.done');
    const failed = responsesEvents({ fail: { code: 'context_length_exceeded', message: 'too long' } });
    expect(failed.map((e) => e.type).slice(-1)).toEqual(['response.failed']);
    expect(failed.map((e) => e.type)).not.toContain('response.completed');
  });
});

describe('startResponsesServer', () => {
  let server: ResponsesServer;
  afterEach(async () => server.close());

  test('streams SSE for POST /v1/responses and records every request', async () => {
    server = await startResponsesServer({ text: 'OK' });
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}/v1`);
    const a = await post(`${server.baseUrl}/responses`, { model: 'm1', stream: true, input: [] });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('text/event-stream');
    const events = parseSse(a.text);
    expect(events.map((e) => e.event)).toEqual(ORDER);
    expect(events[3]?.data).toMatchObject({ item: { content: [{ text: 'OK' }] } });
    const other = await post(`${server.baseUrl}/models`, '');
    expect(other.status).toBe(404);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/responses', 'POST /v1/models']);
    expect(server.requests[0]?.body).toEqual({ model: 'm1', stream: true, input: [] });
    expect(server.requests[1]?.body).toBeUndefined();
  });

  test('stream: false gets the response object as JSON', async () => {
    server = await startResponsesServer({ text: 'plain' });
    const a = await post(`${server.baseUrl}/responses`, { model: 'm', stream: false });
    expect(a.headers['content-type']).toBe('application/json');
    expect(JSON.parse(a.text)).toMatchObject({ status: 'completed', output: [{ content: [{ text: 'plain' }] }] });
  });

  test('httpError: status and body (object as JSON, string as text)', async () => {
    server = await startResponsesServer({ httpError: { status: 404, body: { error: { message: 'model "x" not found' } } } });
    const a = await post(`${server.baseUrl}/responses`, { stream: true });
    expect(a.status).toBe(404);
    expect(JSON.parse(a.text)).toEqual({ error: { message: 'model "x" not found' } });
    server.options = { httpError: { status: 404, body: '404 page not found' } };
    const b = await post(`${server.baseUrl}/responses`, { stream: true });
    expect(b.headers['content-type']).toBe('text/plain');
    expect(b.text).toBe('404 page not found');
  });

  test('per-request options (first fails, then works)', async () => {
    server = await startResponsesServer((_req, i) => (i === 0 ? { httpError: { status: 500 } } : { text: `try ${i}` }));
    expect((await post(`${server.baseUrl}/responses`, {})).status).toBe(500);
    const second = parseSse((await post(`${server.baseUrl}/responses`, {})).text);
    expect(second[3]?.data).toMatchObject({ item: { content: [{ text: 'try 1' }] } });
  });

  test('delayMs waits before answering', async () => {
    server = await startResponsesServer({ delayMs: 300 });
    const t0 = Date.now();
    await post(`${server.baseUrl}/responses`, {});
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  test('hang: no answer at all until the client gives up', async () => {
    server = await startResponsesServer({ hang: true });
    await expect(post(`${server.baseUrl}/responses`, {}, 400)).rejects.toThrow('timeout');
    expect(server.requests).toHaveLength(1);
  });

  test("hang 'after-created': headers and response.created, then nothing; close() cuts it", async () => {
    server = await startResponsesServer({ hang: 'after-created' });
    const srv = server;
    const got = await new Promise<{ status: number; text: string }>((resolve) => {
      const req = http.request(`${srv.baseUrl}/responses`, { method: 'POST' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          if (text.includes('\n\n')) setTimeout(() => void srv.close(), 200);
        });
        res.on('error', () => undefined);
        res.on('close', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', () => undefined);
      req.end('{}');
    });
    expect(got.status).toBe(200);
    expect(parseSse(got.text).map((e) => e.event)).toEqual(['response.created']);
    server = await startResponsesServer(); // closed again by afterEach
  });
});

test('handleResponses and responsesHandler mount on another server', async () => {
  const hook = responsesHandler({ text: 'from hook' });
  const srv = http.createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.url === '/direct') return handleResponses(req, res, body, { text: 'direct' });
      return hook(req, res, body);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  try {
    const a = parseSse((await post(`http://127.0.0.1:${port}/direct`, { model: 'x' })).text);
    expect(a[3]?.data).toMatchObject({ item: { content: [{ text: 'direct' }] } });
    const b = parseSse((await post(`http://127.0.0.1:${port}/v1/responses`, { model: 'x' })).text);
    expect(b[3]?.data).toMatchObject({ item: { content: [{ text: 'from hook' }] } });
  } finally {
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  }
});
