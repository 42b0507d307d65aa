import { discover } from '../../../src/codex/discovery.js';
import { codexOssUrls, codexOssReport } from '../../../src/codex/builtins.js';
import {
  findModel,
  isUsableForProfiles,
  resolveOllamaUrl,
  resolveLmStudioUrl,
  DEFAULT_TIMEOUT_MS,
} from '../../../src/discover/discover.js';
import type { ModelRecord, ProviderReport } from '../../../src/discover/types.js';
import { UsageError } from '../../../src/errors.js';
import { refusedPort, type FakeServer } from '../../helpers/fake-http.js';
import { startFakeOllama } from '../../helpers/fake-ollama.js';
import { startFakeLmStudio } from '../../helpers/fake-lmstudio.js';
import { makeSandbox, makeTempDir, removeDir, type Sandbox } from '../../helpers/tmp.js';

let sb: Sandbox;
let emptyPath: string;
const servers: FakeServer[] = [];
beforeEach(() => {
  sb = makeSandbox();
  emptyPath = makeTempDir('cp-nopath-');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  sb.cleanup();
  removeDir(emptyPath);
});
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: emptyPath, HOME: sb.home, USERPROFILE: sb.home, ...extra });

const record = (over: Partial<ModelRecord>): ModelRecord => ({ provider: 'ollama', id: 'm', displayName: 'm', capabilities: {}, sources: {}, hints: [], ...over });
const up = (provider: 'ollama' | 'lmstudio', url: string): ProviderReport => ({ provider, url, status: 'up', exposed: false, via: 'http', models: [], notes: [] });

describe('discover', () => {
  it('queries both providers in parallel and reports them in a fixed order', async () => {
    // Ollama holds its model list until LM Studio has been asked: only parallel discovery gets
    // both answers (one after the other, Ollama would wait in vain and time out).
    let lmStudioAsked!: () => void;
    const asked = new Promise<void>((resolve) => (lmStudioAsked = resolve));
    const safety = new Promise<void>((resolve) => setTimeout(resolve, 8000).unref());
    const o = await startFakeOllama({
      models: [{ name: 'gpt-oss:20b', contextLength: 131072 }],
      gate: (req) => (req.path === '/api/tags' ? Promise.race([asked, safety]) : undefined),
    });
    const l = await startFakeLmStudio({
      models: [{ key: 'qwen/qwen3-coder-30b' }],
      latencyMs: () => {
        lmStudioAsked();
        return 0;
      },
    });
    servers.push(o, l);
    const r = await discover({ ollamaUrl: o.url, lmstudioUrl: l.url, env: env(), timeoutMs: 6000 });
    expect(r.providers.map((p) => [p.provider, p.status])).toEqual([
      ['ollama', 'up'],
      ['lmstudio', 'up'],
    ]);
    expect(findModel(r, 'ollama', 'gpt-oss:20b')?.contextLength).toBe(131072);
    expect(findModel(r.providers, 'lmstudio', 'qwen/qwen3-coder-30b')?.provider).toBe('lmstudio');
    expect(findModel(r, 'lmstudio', 'gpt-oss:20b')).toBeUndefined();
  });

  it('one refusing and one hanging: both reported, discovery returns', async () => {
    const port = await refusedPort();
    const hang = await startFakeLmStudio({ hang: true });
    servers.push(hang);
    const r = await discover({ ollamaUrl: `http://127.0.0.1:${port}`, lmstudioUrl: hang.url, timeoutMs: 300, env: env() });
    expect(r.providers.map((p) => [p.provider, p.status])).toEqual([
      ['ollama', 'down'],
      ['lmstudio', 'not-responding'],
    ]);
  });

  it('--provider limits the work to one provider', async () => {
    const l = await startFakeLmStudio({ models: [] });
    servers.push(l);
    const r = await discover({ providers: ['lmstudio'], lmstudioUrl: l.url, ollamaUrl: 'http://127.0.0.1:1', env: env() });
    expect(r.providers.map((p) => p.provider)).toEqual(['lmstudio']);
  });

  it('bad options are usage errors, before anything is contacted', async () => {
    await expect(discover({ timeoutMs: 0, env: env() })).rejects.toThrow(UsageError);
    await expect(discover({ timeoutMs: Number.NaN, env: env() })).rejects.toThrow(UsageError);
    await expect(discover({ timeoutMs: 10 * 60_000, env: env() })).rejects.toThrow(UsageError);
    await expect(discover({ providers: ['openai' as never], env: env() })).rejects.toThrow(/unknown provider/);
    await expect(discover({ lmstudioUrl: 'ftp://x', env: env() })).rejects.toThrow(UsageError);
    await expect(discover({ ollamaUrl: 'gopher://x', env: env() })).rejects.toThrow(UsageError);
    expect(DEFAULT_TIMEOUT_MS).toBeLessThan(2000);
  });

  it('resolved default URLs for other modules', async () => {
    expect(resolveOllamaUrl(undefined, env())).toBe('http://127.0.0.1:11434');
    expect(resolveOllamaUrl(undefined, env({ OLLAMA_HOST: '0.0.0.0:11500' }))).toBe('http://127.0.0.1:11500');
    expect(await resolveLmStudioUrl(undefined, env())).toBe('http://127.0.0.1:1234');
    expect(await resolveLmStudioUrl('127.0.0.1:4000', env())).toBe('http://127.0.0.1:4000');
  });

  it('reports where Codex would look when a provider answers somewhere else', async () => {
    const o = await startFakeOllama({ models: [] });
    servers.push(o);
    const r = await discover({ providers: ['ollama'], env: env({ OLLAMA_HOST: `127.0.0.1:${o.port}` }) });
    expect(r.providers[0]!.status).toBe('up');
    expect(r.codexOss.notes.map((n) => n.code)).toEqual(['CODEX_DEFAULT_MISMATCH']);
    expect(r.codexOss.notes[0]!.message).toMatch(/Codex does not read OLLAMA_HOST/);
    expect(r.codexOss.notes[0]!.fix).toContain(`base_url = "http://127.0.0.1:${o.port}/v1"`);

    const matching = await discover({ providers: ['ollama'], env: env({ OLLAMA_HOST: `127.0.0.1:${o.port}`, CODEX_OSS_PORT: String(o.port) }) });
    expect(matching.codexOss.notes.map((n) => n.code)).toEqual(['CODEX_OSS_SET']);
  });
});

describe('CODEX_OSS_*', () => {
  it('matches Codex: base URL for both ids, else the port, else each default', () => {
    expect(codexOssUrls({}).effective).toEqual({ ollama: 'http://localhost:11434/v1', lmstudio: 'http://localhost:1234/v1' });
    expect(codexOssUrls({ CODEX_OSS_PORT: '11500' }).effective).toEqual({ ollama: 'http://localhost:11500/v1', lmstudio: 'http://localhost:11500/v1' });
    expect(codexOssUrls({ CODEX_OSS_PORT: '+8080' }).effective.ollama).toBe('http://localhost:8080/v1');
    expect(codexOssUrls({ CODEX_OSS_PORT: ' 8080' }).effective.ollama).toBe('http://localhost:11434/v1'); // u16 parse does not trim
    expect(codexOssUrls({ CODEX_OSS_PORT: '70000' }).portValid).toBe(false);
    expect(codexOssUrls({ CODEX_OSS_PORT: '   ' }).port).toBeUndefined();
    const both = codexOssUrls({ CODEX_OSS_BASE_URL: 'http://gpu:11434/v1', CODEX_OSS_PORT: '1' });
    expect(both.effective).toEqual({ ollama: 'http://gpu:11434/v1', lmstudio: 'http://gpu:11434/v1' });
    expect(codexOssUrls({ CODEX_OSS_BASE_URL: '  ' }).baseUrl).toBeUndefined();
  });

  it('notes a mismatch with where each provider was found, for each up provider', () => {
    const reports = [up('ollama', 'http://127.0.0.1:11434'), up('lmstudio', 'http://127.0.0.1:1234')];
    const r = codexOssReport({ CODEX_OSS_BASE_URL: 'http://localhost:11434/v1' }, reports);
    expect(r.baseUrl).toBe('http://localhost:11434/v1');
    expect(r.notes.map((n) => n.code)).toEqual(['CODEX_OSS_SET', 'CODEX_OSS_MISMATCH']);
    expect(r.notes[1]!.message).toMatch(/CODEX_OSS_BASE_URL sends Codex's built-in `lmstudio` provider to http:\/\/localhost:11434\/v1, but LM Studio answered at http:\/\/127.0.0.1:1234/);
  });

  it('down providers are not compared; invalid and ignored ports are noted', () => {
    const r = codexOssReport({ CODEX_OSS_PORT: 'abc', CODEX_OSS_BASE_URL: 'http://localhost:9/v1' }, [{ ...up('ollama', 'http://127.0.0.1:11434'), status: 'down' }]);
    expect(r.notes.map((n) => n.code)).toEqual(['CODEX_OSS_PORT_INVALID', 'CODEX_OSS_PORT_IGNORED', 'CODEX_OSS_SET']);
    expect(codexOssReport({}, [up('ollama', 'http://localhost:11434'), up('lmstudio', 'http://[::1]:1234')]).notes).toEqual([]);
  });
});

describe('isUsableForProfiles', () => {
  it('everything but embedding-only models', () => {
    expect(isUsableForProfiles(record({ capabilities: { embedding: true, completion: false } }))).toBe(false);
    expect(isUsableForProfiles(record({ capabilities: { embedding: true } }))).toBe(false);
    expect(isUsableForProfiles(record({ capabilities: { embedding: true, completion: true } }))).toBe(true);
    expect(isUsableForProfiles(record({ capabilities: { tools: false } }))).toBe(true);
    expect(isUsableForProfiles(record({ capabilities: {} }))).toBe(true);
  });
});
