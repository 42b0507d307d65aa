/** probeServer against the fake servers: which kind answered, down vs. something else, read-only. */
import { findInstalled, ollamaTooOld, probeServer, ProbeCache } from '../../../src/verify/probe.js';
import { refusedPort, SIDE_EFFECT_PATHS, startFakeHttp } from '../../helpers/fake-http.js';
import { startFakeLmStudio } from '../../helpers/fake-lmstudio.js';
import { startFakeOllama } from '../../helpers/fake-ollama.js';
import { startResponsesServer } from '../../helpers/responses-sse.js';
import { model, probeOf } from './fixtures.js';

const env = { PATH: '', HOME: '/nonexistent' };

describe('probeServer', () => {
  test('an Ollama, whatever the hint; version and models; nothing but listing requests', async () => {
    const o = await startFakeOllama({ version: '0.13.5', models: [{ name: 'qwen3:8b' }] });
    try {
      for (const hint of ['ollama', 'unknown', 'lmstudio'] as const) {
        const p = await probeServer(o.url, hint, { env });
        expect(p).toMatchObject({ kind: 'ollama', status: 'up', version: '0.13.5', url: o.url });
        expect(p.models.map((m) => m.id)).toEqual(['qwen3:8b']);
      }
      for (const path of SIDE_EFFECT_PATHS) expect(o.calls().map((c) => c.split(' ')[1])).not.toContain(path);
    } finally {
      await o.close();
    }
  });

  test('an LM Studio, with or without the hint', async () => {
    const l = await startFakeLmStudio({ models: [{ key: 'qwen/x' }] });
    try {
      for (const hint of ['lmstudio', 'unknown'] as const) {
        const p = await probeServer(l.url, hint, { env });
        expect(p).toMatchObject({ kind: 'lmstudio', status: 'up' });
        expect(p.models.map((m) => m.id)).toEqual(['qwen/x']);
      }
    } finally {
      await l.close();
    }
  });

  test('nothing listening: down, and the other kind is not tried', async () => {
    const port = await refusedPort();
    const p = await probeServer(`http://127.0.0.1:${port}`, 'ollama', { env });
    expect(p).toMatchObject({ status: 'down', kind: 'ollama' });
  });

  test('a server that is neither (only /v1/responses): error, kind unknown', async () => {
    const s = await startResponsesServer();
    try {
      const p = await probeServer(s.baseUrl.replace(/\/v1$/, ''), 'unknown', { env });
      expect(p).toMatchObject({ status: 'error', kind: 'unknown' });
      expect(s.requests.some((r) => r.path.endsWith('/responses'))).toBe(false);
    } finally {
      await s.close();
    }
  });

  test('a signal cancels a probe still waiting on a server (an early probe nobody needed)', async () => {
    const s = await startFakeHttp(() => ({ json: {} }), { hang: true });
    try {
      for (const kind of ['ollama', 'lmstudio'] as const) {
        const controller = new AbortController();
        // The request timeout is far longer than the test: only the signal can end it.
        const pending = probeServer(s.url, kind, { env, timeoutMs: 60_000, signal: controller.signal });
        while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
        controller.abort();
        expect(await pending).toMatchObject({ status: 'not-responding' });
        s.requests.length = 0;
      }
    } finally {
      await s.close();
    }
  });
});

describe('ProbeCache, findInstalled, ollamaTooOld', () => {
  test('one probe per URL', async () => {
    let n = 0;
    const cache = new ProbeCache(async (url) => (n++, probeOf('ollama', url)));
    await Promise.all([cache.get('http://a:1', 'ollama'), cache.get('http://a:1/', 'ollama'), cache.get('http://b:1', 'ollama')]);
    expect(n).toBe(2);
  });
  test('exact ids; Ollama also NAME -> NAME:latest; LM Studio exact only', () => {
    const o = probeOf('ollama', 'u', [model('ollama', 'qwen3:latest'), model('ollama', 'gpt-oss:20b')]);
    expect(findInstalled(o, 'qwen3')?.id).toBe('qwen3:latest');
    expect(findInstalled(o, 'gpt-oss:20b')?.id).toBe('gpt-oss:20b');
    expect(findInstalled(o, 'gpt-oss')).toBeUndefined();
    const l = probeOf('lmstudio', 'u', [model('lmstudio', 'qwen3:latest')]);
    expect(findInstalled(l, 'qwen3')).toBeUndefined();
  });
  test.each([
    ['0.12.0', true],
    ['0.13.3', true],
    ['0.13.4', false],
    ['0.14.0-rc1', false],
    ['1.0.0', false],
    ['0.0.0', false],
    [undefined, false],
    ['dev', false],
  ])('ollamaTooOld(%s) = %s', (v, old) => {
    expect(ollamaTooOld(v)).toBe(old);
  });
});
