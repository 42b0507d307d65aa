import { requestJson, oneLine, classifyConnectError } from '../../../src/discover/http.js';
import { isLoopbackHost, isUnspecifiedHost, sameEndpoint, stripV1 } from '../../../src/discover/address.js';
import { startFakeHttp, refusedPort, type Failure, type FakeServer } from '../../helpers/fake-http.js';

const router = () => ({ json: { models: [{ name: 'a' }, { name: 'b' }] } });

describe('requestJson: every failure is a kind and one line', () => {
  const servers: FakeServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  async function serve(failure?: Failure) {
    const s = await startFakeHttp(router, failure ? { failures: { '*': failure } } : {});
    servers.push(s);
    return s;
  }

  it('parses a JSON answer', async () => {
    const s = await serve();
    const r = await requestJson(`${s.url}/api/tags`, { timeoutMs: 2000 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.json).toEqual({ models: [{ name: 'a' }, { name: 'b' }] });
  });

  it('POSTs a JSON body', async () => {
    const s = await serve();
    await requestJson(`${s.url}/api/show`, { method: 'POST', body: { model: 'x' }, timeoutMs: 2000 });
    expect(s.requests[0]).toMatchObject({ method: 'POST', path: '/api/show', json: { model: 'x' } });
    expect(s.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('refused: nothing listening', async () => {
    const port = await refusedPort();
    const r = await requestJson(`http://127.0.0.1:${port}/api/tags`, { timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, kind: 'refused' });
    if (!r.ok) expect(r.reason).toMatch(/connection refused/);
  });

  const cases: Array<[Failure, string, RegExp]> = [
    ['hang', 'timeout', /^no answer within 300 ms$/],
    ['hang-body', 'timeout', /stalled after the headers/],
    ['reset', 'truncated', /closed before an answer/],
    ['truncated', 'truncated', /cut off/],
    ['half-json', 'truncated', /half-written JSON/],
    ['http500', 'http', /^HTTP 500 Internal Server Error: something broke in the server$/],
    ['html', 'not-json', /HTML, not JSON/],
    ['garbage', 'not-json', /not valid JSON/],
    ['empty', 'not-json', /empty body/],
    ['not-found', 'http', /^HTTP 404/],
  ];
  it.each(cases)('%s -> %s', async (failure, kind, reason) => {
    const s = await serve(failure);
    // Short where the point is giving up; roomy where an answer (or its headers) must arrive first.
    const timeoutMs = failure === 'hang' ? 300 : failure === 'hang-body' ? 2000 : 5000;
    const r = await requestJson(`${s.url}/api/tags`, { timeoutMs });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.kind).toBe(kind);
    expect(r.reason).toMatch(reason);
    expect(r.reason).not.toMatch(/\n/);
    expect(r.reason).not.toMatch(/at .*\.js:\d+/); // never a stack trace
  });

  it('stops reading a body over the size limit', async () => {
    const s = await startFakeHttp(() => ({ text: JSON.stringify({ blob: 'x'.repeat(5000) }) }));
    servers.push(s);
    const r = await requestJson(`${s.url}/x`, { timeoutMs: 2000, maxBytes: 1000 });
    expect(r).toMatchObject({ ok: false, kind: 'too-large' });
  });

  it('does not follow redirects (they could lead off this machine)', async () => {
    const s = await startFakeHttp(() => ({ status: 302, text: '', contentType: 'text/plain' }));
    servers.push(s);
    const r = await requestJson(`${s.url}/x`, { timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, kind: 'http', status: 302 });
  });

  it('an outer signal aborts the request as a timeout', async () => {
    const s = await serve('hang');
    const outer = new AbortController();
    const p = requestJson(`${s.url}/x`, { timeoutMs: 60_000, signal: outer.signal });
    outer.abort();
    expect(await p).toMatchObject({ ok: false, kind: 'timeout' });
  });

  it('classifies name and unreachable errors as refused, unknown ones as network', () => {
    const wrap = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code }) });
    expect(classifyConnectError(wrap('ENOTFOUND'), 1).kind).toBe('refused');
    expect(classifyConnectError(wrap('EHOSTUNREACH'), 1).kind).toBe('refused');
    expect(classifyConnectError(wrap('ECONNRESET'), 1).kind).toBe('truncated');
    expect(classifyConnectError(wrap('EWEIRD'), 1)).toEqual({ kind: 'network', reason: 'request failed: EWEIRD' });
    const aggregate = Object.assign(new TypeError('fetch failed'), { cause: new AggregateError([Object.assign(new Error(), { code: 'ECONNREFUSED' })]) });
    expect(classifyConnectError(aggregate, 1).kind).toBe('refused');
  });

  it('oneLine flattens control characters and bounds the length', () => {
    expect(oneLine('a\nb\r\n\u001b[31mc')).toBe('a b [31mc');
    expect(oneLine('x'.repeat(500), 10)).toHaveLength(10);
  });
});

describe('addresses', () => {
  it('knows loopback hosts', () => {
    for (const h of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    }
    for (const h of ['0.0.0.0', '10.0.0.1', '192.168.1.5', 'example.com', '::', '::ffff:10.0.0.1', 'localhost.example.com', '']) {
      expect([h, isLoopbackHost(h)]).toEqual([h, false]);
    }
  });

  it('knows bind-all hosts', () => {
    expect(isUnspecifiedHost('0.0.0.0')).toBe(true);
    expect(isUnspecifiedHost('::')).toBe(true);
    expect(isUnspecifiedHost('[::]')).toBe(true);
    expect(isUnspecifiedHost('')).toBe(true);
    expect(isUnspecifiedHost('127.0.0.1')).toBe(false);
  });

  it('sameEndpoint treats loopback names as one, ignores /v1 and slashes, compares ports', () => {
    expect(sameEndpoint('http://localhost:11434/v1', 'http://127.0.0.1:11434')).toBe(true);
    expect(sameEndpoint('http://[::1]:1234/v1/', 'http://localhost:1234')).toBe(true);
    expect(sameEndpoint('http://localhost:11434/v1', 'http://127.0.0.1:11500')).toBe(false);
    expect(sameEndpoint('http://gpu:11434/v1', 'http://127.0.0.1:11434')).toBe(false);
    expect(sameEndpoint('https://localhost/v1', 'http://localhost:443')).toBe(false);
    expect(sameEndpoint('http://localhost/v1', 'http://localhost:80')).toBe(true);
    expect(sameEndpoint('not a url', 'http://localhost')).toBe(false);
    expect(stripV1('http://h:1/v1/')).toBe('http://h:1');
  });
});
