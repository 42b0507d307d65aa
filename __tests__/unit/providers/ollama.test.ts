import { discover } from '../../../src/codex/discovery.js';
import { findModel } from '../../../src/discover/discover.js';
import { parseOllamaList, parseHumanBytes, OLLAMA_SHOW_CONCURRENCY } from '../../../src/discover/ollama.js';
import type { ProviderReport } from '../../../src/discover/types.js';
import { refusedPort, SIDE_EFFECT_PATHS } from '../../helpers/fake-http.js';
import { startFakeOllama, type FakeOllamaOptions } from '../../helpers/fake-ollama.js';
import { makeFakeCliDir, useDiscoveryBox, ollamaListText } from '../../helpers/fake-cli.js';

const box = useDiscoveryBox();

/** An environment with no real CLI on PATH and a temporary home. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: box.cli.PATH, HOME: box.sb.home, USERPROFILE: box.sb.home, ...extra };
}

async function fake(opts: FakeOllamaOptions) {
  const s = await startFakeOllama(opts);
  box.servers.push(s);
  return s;
}

async function ollama(url: string | undefined, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 10_000): Promise<ProviderReport> {
  const r = await discover({ providers: ['ollama'], ollamaUrl: url, env: env(extraEnv), timeoutMs, cliTimeoutMs: 10_000 });
  expect(r.providers).toHaveLength(1);
  return r.providers[0]!;
}

const codes = (hints: { code: string }[]) => hints.map((h) => h.code);

const GPT_OSS = { name: 'gpt-oss:20b', size: 13_780_000_000, family: 'gptoss', parameterSize: '20.9B', quantization: 'MXFP4', capabilities: ['completion', 'tools', 'thinking'], contextLength: 131072 };
const GEMMA = { name: 'gemma3:4b', family: 'gemma3', capabilities: ['completion', 'vision'], contextLength: 131072 };
const NOMIC = { name: 'nomic-embed-text:latest', family: 'nomic-bert', capabilities: ['embedding'], contextLength: 2048, parameterSize: '137M', quantization: 'F16' };
const LLAMA2 = { name: 'llama2:7b', capabilities: ['completion', 'tools'], contextLength: 4096 };

describe('Ollama over HTTP', () => {
  it('new servers: one request each to version, tags and ps; no /api/show needed', async () => {
    const s = await fake({ models: [GPT_OSS, GEMMA, NOMIC] });
    const r = await ollama(s.url);
    expect(r).toMatchObject({ provider: 'ollama', url: s.url, status: 'up', version: '0.13.5', via: 'http', exposed: false });
    expect(r.reason).toBeUndefined();
    expect(s.calls().sort()).toEqual(['GET /api/ps', 'GET /api/tags', 'GET /api/version']);
    const m = r.models.find((x) => x.id === 'gpt-oss:20b')!;
    expect(m).toMatchObject({
      provider: 'ollama',
      displayName: 'gpt-oss:20b',
      sizeBytes: 13_780_000_000,
      parameters: '20.9B',
      quantization: 'MXFP4',
      contextLength: 131072,
      loaded: false,
      capabilities: { tools: true, thinking: true, vision: false, embedding: false, completion: true },
    });
    expect(m.sources).toMatchObject({
      contextLength: '/api/tags details.context_length',
      capabilities: '/api/tags capabilities',
      loaded: '/api/ps',
      sizeBytes: '/api/tags size',
    });
  });

  it('old servers: capabilities and context from /api/show, with bounded concurrency', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `model-${i}:7b`, contextLength: 32768 + i }));
    const s = await fake({ shape: 'old', models: [GPT_OSS, NOMIC, ...many], latencyMs: (req) => (req.path === '/api/show' ? 30 : 0) });
    const r = await ollama(s.url);
    expect(r.status).toBe('up');
    expect(s.showCalls()).toHaveLength(14);
    expect(s.showCalls()).toContainEqual({ model: 'gpt-oss:20b' });
    expect(s.maxInFlight('/api/show')).toBeLessThanOrEqual(OLLAMA_SHOW_CONCURRENCY);
    expect(s.maxInFlight('/api/show')).toBeGreaterThan(1);
    const m = findModel([r], 'ollama', 'gpt-oss:20b')!;
    expect(m.contextLength).toBe(131072);
    expect(m.sources.contextLength).toBe('/api/show model_info');
    expect(m.capabilities.tools).toBe(true);
    expect(m.sources.capabilities).toBe('/api/show capabilities');
    expect(findModel([r], 'ollama', 'model-11:7b')!.contextLength).toBe(32779);
    expect(findModel([r], 'ollama', 'nomic-embed-text:latest')!.capabilities).toMatchObject({ embedding: true, completion: false });
  });

  it('detailsFor (add): /api/show only for the model asked about, resolved as Ollama does (`:latest`)', async () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ name: `model-${i}:7b`, contextLength: 32768 + i }));
    const s = await fake({ shape: 'old', models: [GPT_OSS, NOMIC, ...many] });
    const r = await discover({ providers: ['ollama'], ollamaUrl: s.url, env: env(), timeoutMs: 10_000, cliTimeoutMs: 10_000, detailsFor: ['nomic-embed-text'] });
    expect(s.showCalls()).toEqual([{ model: 'nomic-embed-text:latest' }]);
    const report = r.providers[0]!;
    expect(report.models).toHaveLength(8);
    expect(findModel([report], 'ollama', 'nomic-embed-text')!.capabilities).toMatchObject({ embedding: true, completion: false });
    expect(findModel([report], 'ollama', 'gpt-oss:20b')!.sources.capabilities).toBeUndefined();
  });

  it('ancient servers: no capabilities anywhere, no /api/ps; embedding guessed from the family', async () => {
    const s = await fake({ shape: 'ancient', version: '0.1.30', models: [LLAMA2, NOMIC] });
    const r = await ollama(s.url);
    expect(r.status).toBe('up');
    const llama = findModel([r], 'ollama', 'llama2:7b')!;
    expect(llama.capabilities.tools).toBeUndefined();
    expect(llama.loaded).toBeUndefined();
    expect(codes(llama.hints)).toEqual(expect.arrayContaining(['TOOLS_UNKNOWN', 'MODEL_CONTEXT_SMALL']));
    const nomic = findModel([r], 'ollama', 'nomic-embed-text:latest')!;
    expect(nomic.capabilities).toMatchObject({ embedding: true, completion: false });
    expect(nomic.sources.capabilities).toMatch(/guessed from family "nomic-bert"/);
    expect(codes(r.notes)).toEqual(expect.arrayContaining(['OLLAMA_TOO_OLD', 'PS_UNAVAILABLE']));
  });

  it('loaded models: /api/ps says which, and the context they run with', async () => {
    const s = await fake({ models: [{ ...GPT_OSS, loaded: true, loadedContextLength: 8192 }, { ...GEMMA, loaded: false }] });
    const r = await ollama(s.url);
    const m = findModel([r], 'ollama', 'gpt-oss:20b')!;
    expect(m.loaded).toBe(true);
    expect(m.runtimeContextLength).toBe(8192);
    expect(m.sources.runtimeContextLength).toMatch(/\/api\/ps context_length/);
    const small = m.hints.find((h) => h.code === 'CONTEXT_SMALL')!;
    expect(small.level).toBe('warn');
    expect(small.fix).toMatch(/OLLAMA_CONTEXT_LENGTH=65536/);
    expect(findModel([r], 'ollama', 'gemma3:4b')!.loaded).toBe(false);
  });

  it('num_ctx in the Modelfile is the runtime context on old servers', async () => {
    const s = await fake({ shape: 'old', models: [{ ...GPT_OSS, numCtx: 16384 }] });
    const m = (await ollama(s.url)).models[0]!;
    expect(m.runtimeContextLength).toBe(16384);
    expect(m.sources.runtimeContextLength).toMatch(/num_ctx/);
    expect(m.hints.find((h) => h.code === 'CONTEXT_SMALL')!.fix).toMatch(/PARAMETER num_ctx 65536/);
  });

  it('judges: no tools, embedding-only, small model context, default context', async () => {
    const s = await fake({ models: [GPT_OSS, GEMMA, NOMIC, LLAMA2] });
    const r = await ollama(s.url);
    const hints = (id: string) => codes(findModel([r], 'ollama', id)!.hints);
    expect(hints('gemma3:4b')).toContain('NO_TOOLS');
    expect(hints('nomic-embed-text:latest')).toEqual(['EMBEDDING_ONLY']);
    expect(hints('llama2:7b')).toEqual(['MODEL_CONTEXT_SMALL']);
    expect(hints('gpt-oss:20b')).toEqual(['CONTEXT_DEFAULT']);
    expect(findModel([r], 'ollama', 'gpt-oss:20b')!.hints[0]!.level).toBe('warn');
  });

  it('OLLAMA_CONTEXT_LENGTH set here turns the default-context warning into information', async () => {
    const s = await fake({ models: [GPT_OSS] });
    const r = await ollama(s.url, { OLLAMA_CONTEXT_LENGTH: '65536' });
    expect(r.models[0]!.hints).toEqual([expect.objectContaining({ code: 'CONTEXT_DEFAULT', level: 'info' })]);
  });

  it('cloud models: flagged, and /api/show is not asked about them', async () => {
    const s = await fake({ shape: 'old', models: [{ name: 'gpt-oss:120b-cloud', remoteHost: 'https://ollama.com:443', size: 384 }] });
    const r = await ollama(s.url);
    expect(s.showCalls()).toEqual([]);
    expect(r.models[0]!.remoteHost).toBe('https://ollama.com:443');
    expect(codes(r.models[0]!.hints)).toContain('CLOUD_MODEL');
  });

  it('an empty list is up with a note, not an error', async () => {
    const s = await fake({ models: [] });
    const r = await ollama(s.url);
    expect(r).toMatchObject({ status: 'up', models: [] });
    expect(codes(r.notes)).toContain('NO_MODELS');
  });

  it('a version before /v1/responses is flagged; a current one is not', async () => {
    expect(codes((await ollama((await fake({ version: '0.12.0', models: [] })).url)).notes)).toContain('OLLAMA_TOO_OLD');
    expect(codes((await ollama((await fake({ version: '0.13.5', models: [] })).url)).notes)).not.toContain('OLLAMA_TOO_OLD');
  });

  it('never asks for anything that downloads or loads a model', async () => {
    const s = await fake({ shape: 'old', models: [GPT_OSS, GEMMA, NOMIC, LLAMA2] });
    await ollama(s.url);
    for (const r of s.requests) expect(SIDE_EFFECT_PATHS).not.toContain(r.path);
    expect(s.requests.every((r) => r.method === 'GET' || r.path === '/api/show')).toBe(true);
  });

  describe('hostile and malformed answers', () => {
    it('names with escapes, newlines and shell characters are kept exactly, junk entries skipped', async () => {
      const evil = 'evil\u001b[31m\nname; rm -rf ~ $(x):latest';
      const s = await fake({
        tagsBody: {
          models: [
            { name: evil, size: 5, details: {}, capabilities: ['completion', 'tools'] },
            { name: 42 },
            null,
            'string',
            { model: 'only-model-field:1b', details: { context_length: 'lots' } },
            { name: 'dup:1b', capabilities: [] },
            { name: 'dup:1b', capabilities: [] },
            { name: '__proto__', capabilities: ['completion'] },
          ],
        },
      });
      const r = await ollama(s.url);
      expect(r.status).toBe('up');
      expect(r.models.map((m) => m.id)).toEqual([evil, 'only-model-field:1b', 'dup:1b', '__proto__']);
      expect(r.models[1]!.contextLength).toBeUndefined();
      expect(r.notes.find((n) => n.code === 'ENTRIES_SKIPPED')!.message).toMatch(/^4 /);
      expect(JSON.parse(JSON.stringify(r)).models[0].id).toBe(evil);
    });

    it('tags without a models list is an error with a reason', async () => {
      const s = await fake({ tagsBody: { data: [] } });
      expect(await ollama(s.url)).toMatchObject({ status: 'error', reason: '/api/tags answered JSON without a "models" list' });
    });

    it.each([
      ['http500', /^HTTP 500/],
      ['html', /HTML, not JSON/],
      ['garbage', /not valid JSON/],
      ['half-json', /half-written/],
      ['truncated', /cut off/],
    ] as const)('/api/tags %s -> error with a one-line reason', async (failure, reason) => {
      const s = await fake({ models: [GPT_OSS], failures: { '/api/tags': failure } });
      const r = await ollama(s.url);
      expect(r.status).toBe('error');
      expect(r.reason).toMatch(reason);
      expect(r.reason).not.toMatch(/\n/);
      expect(r.models).toEqual([]);
    });

    it('a server that is not Ollama (404 on /api/tags)', async () => {
      const s = await fake({ failures: { '*': 'not-found' } });
      expect(await ollama(s.url)).toMatchObject({ status: 'error', reason: expect.stringMatching(/does not look like an Ollama server/) });
    });

    it('/api/show failing or hanging leaves facts missing and says so', async () => {
      const s = await fake({ shape: 'old', models: [GPT_OSS, GEMMA], failures: { '/api/show': 'http500' } });
      const r = await ollama(s.url);
      expect(r.status).toBe('up');
      expect(r.models[0]!.capabilities.tools).toBeUndefined();
      expect(r.notes.find((n) => n.code === 'SHOW_INCOMPLETE')!.message).toMatch(/2 of 2 \/api\/show requests failed \(HTTP 500/);

      const h = await fake({ shape: 'old', models: [GPT_OSS], failures: { '/api/show': 'hang' } });
      const r2 = await ollama(h.url, {}, 1000);
      expect(r2.status).toBe('up');
      expect(codes(r2.notes)).toContain('SHOW_INCOMPLETE');
    });
  });
});

describe('Ollama unreachable', () => {
  it('refused: down, with the reason; no CLI installed', async () => {
    const port = await refusedPort();
    const r = await ollama(`http://127.0.0.1:${port}`);
    expect(r).toMatchObject({ status: 'down', via: 'none', models: [], reason: expect.stringMatching(/connection refused/) });
    expect(codes(r.notes)).toContain('NOT_INSTALLED');
  });

  it('hanging: not-responding after the timeout, never a hang', async () => {
    const s = await fake({ hang: true, models: [GPT_OSS] });
    const r = await ollama(s.url, {}, 300);
    expect(r).toMatchObject({ status: 'not-responding', reason: expect.stringMatching(/^no answer within/) });
    expect(box.cli.calls()).toEqual([]); // a hung server would hang `ollama list` too
  });

  it('down but installed: models from `ollama list`, pointed at the same host', async () => {
    box.cli.add('ollama', {
      commands: {
        list: {
          stdout: ollamaListText([
            { name: 'gpt-oss:20b', size: '13 GB' },
            { name: 'qwen3-coder:480b-cloud', size: '-' },
            { name: 'tiny:latest', size: '868 MB' },
          ]),
        },
      },
    });
    const port = await refusedPort();
    const r = await ollama(`http://127.0.0.1:${port}`);
    expect(r).toMatchObject({ status: 'down', via: 'cli' });
    expect(r.models.map((m) => [m.id, m.sizeBytes])).toEqual([
      ['gpt-oss:20b', 13e9],
      ['qwen3-coder:480b-cloud', undefined],
      ['tiny:latest', 868e6],
    ]);
    expect(r.models[1]!.remoteHost).toBe('ollama.com');
    expect(r.models[0]!.sources.id).toBe('`ollama list` NAME');
    expect(codes(r.notes)).toEqual(expect.arrayContaining(['CLI_LISTING', 'START_SERVER']));
    expect(box.cli.calls()).toEqual([{ name: 'ollama', args: ['list'], env: { OLLAMA_HOST: `http://127.0.0.1:${port}`, HOME: box.sb.home } }]);
  });

  it('down, and `ollama list` fails or hangs: reported, bounded', async () => {
    box.cli.add('ollama', { commands: { list: { stderr: 'Error: could not connect to ollama app, is it running?\n', exitCode: 1 } } });
    const port = await refusedPort();
    const r = await ollama(`http://127.0.0.1:${port}`);
    expect(r.via).toBe('none');
    expect(r.notes.find((n) => n.code === 'CLI_FAILED')!.message).toMatch(/exit code 1.*could not connect to ollama app/);

    const hung = makeFakeCliDir();
    try {
      hung.add('ollama', { commands: { list: { hang: true } } });
      const r2 = await discover({ providers: ['ollama'], ollamaUrl: `http://127.0.0.1:${port}`, env: env({ PATH: hung.PATH }), cliTimeoutMs: 500 });
      expect(r2.providers[0]!.notes.find((n) => n.code === 'CLI_FAILED')!.message).toMatch(/did not finish within 500 ms/);
    } finally {
      hung.cleanup();
    }
  });

  it('useCli: false never runs a program', async () => {
    box.cli.add('ollama', { commands: { list: { stdout: ollamaListText([{ name: 'x:1b', size: '1 GB' }]) } } });
    const port = await refusedPort();
    const r = await discover({ providers: ['ollama'], ollamaUrl: `http://127.0.0.1:${port}`, env: env(), useCli: false });
    expect(r.providers[0]!.via).toBe('none');
    expect(box.cli.calls()).toEqual([]);
  });
});

describe('OLLAMA_HOST and exposure', () => {
  it('OLLAMA_HOST=0.0.0.0:PORT is found through loopback and reported as exposed', async () => {
    const s = await fake({ models: [GPT_OSS] });
    const r = await ollama(undefined, { OLLAMA_HOST: `0.0.0.0:${s.port}` });
    expect(r).toMatchObject({ status: 'up', url: `http://127.0.0.1:${s.port}`, exposed: true });
    expect(codes(r.notes)).toEqual(expect.arrayContaining(['EXPOSED_BIND', 'URL_SOURCE']));
  });

  it('OLLAMA_HOST in URL form with quotes and spaces', async () => {
    const s = await fake({ models: [] });
    const r = await ollama(undefined, { OLLAMA_HOST: ` "http://127.0.0.1:${s.port}" ` });
    expect(r).toMatchObject({ status: 'up', exposed: false, url: `http://127.0.0.1:${s.port}` });
  });

  it('--ollama-url wins over OLLAMA_HOST', async () => {
    const s = await fake({ models: [] });
    const r = await ollama(`127.0.0.1:${s.port}`, { OLLAMA_HOST: '0.0.0.0:1' });
    expect(r).toMatchObject({ status: 'up', exposed: false });
  });

  it('an unusable OLLAMA_HOST is an error with a reason, and nothing is contacted', async () => {
    const r = await ollama(undefined, { OLLAMA_HOST: 'ftp://127.0.0.1:21' });
    expect(r).toMatchObject({ status: 'error', reason: expect.stringMatching(/OLLAMA_HOST is not usable: scheme "ftp"/) });
  });
});

describe('parsing `ollama list`', () => {
  it('reads padded columns and skips lines it cannot split', () => {
    const text = ollamaListText([{ name: 'a:1b', size: '1.5 GB' }]) + 'garbage-line\n';
    expect(parseOllamaList(text)).toMatchObject({ models: [{ id: 'a:1b', sizeBytes: 1.5e9 }], skipped: 1 });
    expect(parseOllamaList('Error: something\n')).toEqual({ models: [], skipped: 1 });
    expect(parseOllamaList('')).toEqual({ models: [], skipped: 0 });
  });

  it('sizes are powers of 1000 like Ollama prints them', () => {
    expect(parseHumanBytes('13 GB')).toBe(13e9);
    expect(parseHumanBytes('512 B')).toBe(512);
    expect(parseHumanBytes('2.2 TB')).toBe(2.2e12);
    expect(parseHumanBytes('-')).toBeUndefined();
  });
});
