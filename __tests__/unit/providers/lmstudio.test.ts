import { listProcesses, waitFor } from '../../helpers/process-tree.js';
import path from 'node:path';
import { discover } from '../../../src/codex/discovery.js';
import { findModel, resolveLmStudioUrl, normalizeLmStudioUrl } from '../../../src/discover/discover.js';
import { parseLmsServerStatus, recordsFromLmsLs, recordsFromOpenAi } from '../../../src/discover/lmstudio.js';
import type { ProviderReport } from '../../../src/discover/types.js';
import { UsageError } from '../../../src/errors.js';
import { refusedPort, SIDE_EFFECT_PATHS } from '../../helpers/fake-http.js';
import { lmsSpec, startFakeLmStudio, type FakeLmModel, type FakeLmStudioOptions } from '../../helpers/fake-lmstudio.js';
import { useDiscoveryBox } from '../../helpers/fake-cli.js';

const box = useDiscoveryBox();

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: box.cli.PATH, HOME: box.sb.home, USERPROFILE: box.sb.home, ...extra };
}

async function fake(opts: FakeLmStudioOptions) {
  const s = await startFakeLmStudio(opts);
  box.servers.push(s);
  return s;
}

async function lmstudio(url: string | undefined, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 10_000): Promise<ProviderReport> {
  const r = await discover({ providers: ['lmstudio'], lmstudioUrl: url, env: env(extraEnv), timeoutMs, cliTimeoutMs: 10_000 });
  return r.providers[0]!;
}

const codes = (hints: { code: string }[]) => hints.map((h) => h.code);

const CODER: FakeLmModel = { key: 'qwen/qwen3-coder-30b', displayName: 'Qwen3 Coder 30B', sizeBytes: 18_600_000_000, params: '30B', quantization: 'Q4_K_M', maxContextLength: 262144 };
const GEMMA: FakeLmModel = { key: 'google/gemma-3-12b', params: '12B', maxContextLength: 131072, toolUse: false, vision: true };
const EMBED: FakeLmModel = { key: 'text-embedding-nomic-embed-text-v1.5', type: 'embedding', params: null, maxContextLength: 2048 };
const SMALL: FakeLmModel = { key: 'tiny/tiny-1b', maxContextLength: 8192 };

describe('LM Studio over HTTP', () => {
  it('0.4+ (/api/v1/models): every fact, loaded instances and their context', async () => {
    const s = await fake({ api: 'v1', models: [{ ...CODER, loaded: [16384] }, GEMMA, EMBED] });
    const r = await lmstudio(s.url);
    expect(r).toMatchObject({ provider: 'lmstudio', url: s.url, status: 'up', via: 'http', exposed: false });
    expect(s.calls()).toEqual(['GET /api/v1/models']);
    const m = findModel([r], 'lmstudio', 'qwen/qwen3-coder-30b')!;
    expect(m).toMatchObject({
      displayName: 'Qwen3 Coder 30B',
      sizeBytes: 18_600_000_000,
      parameters: '30B',
      quantization: 'Q4_K_M',
      contextLength: 262144,
      runtimeContextLength: 16384,
      loaded: true,
      capabilities: { tools: true, vision: false, embedding: false, completion: true },
    });
    expect(m.sources).toMatchObject({
      contextLength: '/api/v1/models max_context_length',
      runtimeContextLength: expect.stringMatching(/loaded_instances\[0\]\.config\.context_length/),
      capabilities: '/api/v1/models capabilities',
    });
    expect(codes(m.hints)).toEqual(['CONTEXT_SMALL']);
    expect(m.hints[0]!.fix).toMatch(/lms load qwen\/qwen3-coder-30b --context-length 32768/);
    expect(codes(findModel([r], 'lmstudio', 'google/gemma-3-12b')!.hints)).toEqual(['NO_TOOLS', 'CONTEXT_DEFAULT']);
    expect(findModel([r], 'lmstudio', 'google/gemma-3-12b')!.capabilities.vision).toBe(true);
    expect(codes(findModel([r], 'lmstudio', EMBED.key)!.hints)).toEqual(['EMBEDDING_ONLY']);
  });

  it('several loaded instances: the smallest context counts', async () => {
    const s = await fake({ models: [{ ...CODER, loaded: [65536, 8192] }] });
    const m = (await lmstudio(s.url)).models[0]!;
    expect(m.runtimeContextLength).toBe(8192);
    expect(m.sources.runtimeContextLength).toMatch(/smallest of 2 instances/);
  });

  it('0.3.x (/api/v0/models): falls back after a 404, reads type, state and tool_use', async () => {
    const s = await fake({ api: 'v0', models: [{ ...CODER, loaded: [4096] }, GEMMA, EMBED] });
    const r = await lmstudio(s.url);
    expect(r.status).toBe('up');
    expect(s.calls()).toEqual(['GET /api/v1/models', 'GET /api/v0/models']);
    const coder = findModel([r], 'lmstudio', CODER.key)!;
    expect(coder).toMatchObject({ loaded: true, quantization: 'Q4_K_M', contextLength: 262144, capabilities: { tools: true, completion: true } });
    expect(coder.runtimeContextLength).toBeUndefined();
    const gemma = findModel([r], 'lmstudio', GEMMA.key)!;
    expect(gemma.capabilities).toMatchObject({ tools: false, vision: true });
    expect(findModel([r], 'lmstudio', EMBED.key)!.capabilities).toMatchObject({ embedding: true, completion: false });
    expect(codes(r.notes)).toContain('LMSTUDIO_0_3');
  });

  it('0.3.6 - 0.3.15 (v0 without capabilities): tool use unknown', async () => {
    const s = await fake({ api: 'v0', v0Capabilities: false, models: [CODER] });
    const m = (await lmstudio(s.url)).models[0]!;
    expect(m.capabilities.tools).toBeUndefined();
    expect(codes(m.hints)).toContain('TOOLS_UNKNOWN');
  });

  it('plain OpenAI (/v1/models): ids only, embedding guessed, flagged as too old', async () => {
    const s = await fake({ api: 'openai', models: [CODER, EMBED] });
    const r = await lmstudio(s.url);
    expect(s.calls()).toEqual(['GET /api/v1/models', 'GET /api/v0/models', 'GET /v1/models']);
    expect(r.models.map((m) => m.id)).toEqual([CODER.key, EMBED.key]);
    expect(r.models[0]!.capabilities).toEqual({});
    expect(r.models[1]!.capabilities).toEqual({ embedding: true, completion: false });
    expect(codes(r.notes)).toContain('LMSTUDIO_TOO_OLD');
  });

  it('a 500 or garbage on /api/v1/models falls back to the next endpoint', async () => {
    const s = await fake({ api: 'v1', models: [CODER], failures: { '/api/v1/models': 'http500' } });
    const r = await lmstudio(s.url);
    expect(r.status).toBe('up');
    expect(s.calls()).toEqual(['GET /api/v1/models', 'GET /api/v0/models']);
    expect(codes(r.notes)).not.toContain('LMSTUDIO_0_3'); // it is not old, it is broken
  });

  it('every endpoint failing: error, with the reasons on one line', async () => {
    const s = await fake({ failures: { '*': 'html' } });
    const r = await lmstudio(s.url);
    expect(r.status).toBe('error');
    expect(r.reason).toMatch(/^\/api\/v1\/models: answered with HTML.*; \/v1\/models: answered with HTML/);
    expect(r.reason).not.toMatch(/\n/);
    const nf = await fake({ failures: { '*': 'not-found' } });
    expect((await lmstudio(nf.url)).reason).toMatch(/HTTP 404 on \/api\/v1\/models, \/api\/v0\/models, \/v1\/models: this does not look like LM Studio/);
  });

  it('half-written and truncated bodies are errors with reasons, not crashes', async () => {
    for (const failure of ['half-json', 'truncated', 'garbage', 'empty'] as const) {
      const s = await fake({ failures: { '*': failure }, models: [CODER] });
      const r = await lmstudio(s.url);
      expect([failure, r.status]).toEqual([failure, 'error']);
      expect(r.reason).toBeTruthy();
    }
  });

  it('a required API token: a clear error; LM_API_TOKEN is sent when set', async () => {
    const s = await fake({ requireToken: 'sekrit', models: [CODER] });
    const r = await lmstudio(s.url);
    expect(r).toMatchObject({ status: 'error', reason: expect.stringMatching(/HTTP 401.*requires an API token \(set LM_API_TOKEN/) });
    expect(s.calls()).toEqual(['GET /api/v1/models']);
    expect((await lmstudio(s.url, { LM_API_TOKEN: 'sekrit' })).status).toBe('up');
  });

  it('empty list: up, with a note', async () => {
    const s = await fake({ models: [] });
    const r = await lmstudio(s.url);
    expect(r).toMatchObject({ status: 'up', models: [] });
    expect(codes(r.notes)).toContain('NO_MODELS');
  });

  it('hostile ids are kept exactly; entries without one are skipped', async () => {
    const evil = 'pub/\u001b]0;pwned\u0007model\n$(reboot)';
    const s = await fake({ bodies: { '/api/v1/models': { models: [{ key: evil, type: 'llm' }, { key: '' }, { display_name: 'no key' }, 7, { key: 'ok/model', loaded_instances: 'nope', capabilities: 'x' }] } } });
    const r = await lmstudio(s.url);
    expect(r.models.map((m) => m.id)).toEqual([evil, 'ok/model']);
    expect(r.models[1]!.loaded).toBeUndefined();
    expect(r.notes.find((n) => n.code === 'ENTRIES_SKIPPED')!.message).toMatch(/^3 /);
  });

  it('a model with a small maximum context cannot be fixed by a setting', async () => {
    const s = await fake({ models: [SMALL] });
    const m = (await lmstudio(s.url)).models[0]!;
    expect(codes(m.hints)).toEqual(['MODEL_CONTEXT_SMALL']);
  });

  it('never loads or downloads', async () => {
    const s = await fake({ api: 'openai', models: [CODER, GEMMA, EMBED] });
    await lmstudio(s.url);
    for (const r of s.requests) {
      expect(r.method).toBe('GET');
      expect(SIDE_EFFECT_PATHS).not.toContain(r.path);
    }
  });
});

describe('LM Studio unreachable', () => {
  it('refused: down; no lms anywhere', async () => {
    const port = await refusedPort();
    const r = await lmstudio(`http://127.0.0.1:${port}`);
    expect(r).toMatchObject({ status: 'down', via: 'none', reason: expect.stringMatching(/connection refused/) });
    expect(codes(r.notes)).toContain('NOT_INSTALLED');
  });

  it('hanging: not-responding, and the other endpoints are not tried', async () => {
    const s = await fake({ hang: true, models: [CODER] });
    const r = await lmstudio(s.url, {}, 300);
    expect(r.status).toBe('not-responding');
    expect(s.calls()).toEqual(['GET /api/v1/models']);
  });

  it('down but installed (lms on PATH): `lms ls --json` lists the models', async () => {
    const ls = [
      { type: 'llm', modelKey: 'qwen/qwen3-coder-30b', displayName: 'Qwen3 Coder 30B', publisher: 'qwen', path: 'qwen/x.gguf', sizeBytes: 18e9, paramsString: '30B', architecture: 'qwen3moe', maxContextLength: 262144, trainedForToolUse: true, vision: false },
      { type: 'embedding', modelKey: 'text-embedding-nomic', displayName: 'Nomic', path: 'n.gguf', sizeBytes: 8e7, maxContextLength: 2048 },
      { type: 'llm', displayName: 'broken, no key' },
    ];
    box.cli.add('lms', { commands: { 'ls --json': { stdout: JSON.stringify(ls) + '\n' } } });
    const port = await refusedPort();
    const r = await lmstudio(`http://127.0.0.1:${port}`);
    expect(r).toMatchObject({ status: 'down', via: 'cli' });
    expect(r.models.map((m) => m.id)).toEqual(['qwen/qwen3-coder-30b', 'text-embedding-nomic']);
    expect(r.models[0]).toMatchObject({ parameters: '30B', contextLength: 262144, capabilities: { tools: true, vision: false } });
    expect(r.models[0]!.sources.id).toBe('`lms ls --json` modelKey');
    expect(codes(r.notes)).toEqual(expect.arrayContaining(['CLI_LISTING', 'START_SERVER', 'ENTRIES_SKIPPED']));
    expect(r.notes.find((n) => n.code === 'START_SERVER')!.fix).toMatch(new RegExp(`lms server start --port ${port}`));
    expect(box.cli.calls().map((c) => c.args.join(' '))).toEqual(['ls --json']);
  });

  it('lms in ~/.lmstudio/bin when it is not on PATH', async () => {
    box.cli.add('lms', { commands: { 'ls --json': { stdout: '[]' } } }, path.join(box.sb.home, '.lmstudio', 'bin'));
    const port = await refusedPort();
    const r = await lmstudio(`http://127.0.0.1:${port}`);
    expect(r.via).toBe('cli');
    expect(r.notes.find((n) => n.code === 'CLI_LISTING')!.message).toContain(path.join(box.sb.home, '.lmstudio', 'bin', 'lms'));
  });

  it('lms printing nonsense or failing is a note, not a crash', async () => {
    box.cli.add('lms', { commands: { 'ls --json': { stdout: 'You have 3 models\n' } } });
    const port = await refusedPort();
    const r = await lmstudio(`http://127.0.0.1:${port}`);
    expect(r.via).toBe('none');
    expect(r.notes.find((n) => n.code === 'CLI_FAILED')!.message).toMatch(/printed no JSON list/);
  });
});

describe('which port: flag, then `lms server status --json`, then 1234', () => {
  it('lms reports the port the server runs on', async () => {
    const s = await fake({ models: [CODER] });
    box.cli.add('lms', { commands: { 'server status --json': { stdout: `The server is running on port ${s.port}.\n{"running":true,"port":${s.port}}\n` } } });
    const r = await lmstudio(undefined);
    expect(r).toMatchObject({ status: 'up', url: `http://127.0.0.1:${s.port}` });
    expect(r.notes.find((n) => n.code === 'URL_SOURCE')!.message).toMatch(/from lms server status/);
    expect(await resolveLmStudioUrl(undefined, env())).toBe(`http://127.0.0.1:${s.port}`);
  });

  it('lms reporting a stopped server on another port: down there, then `lms ls`', async () => {
    const port = await refusedPort();
    box.cli.add('lms', {
      commands: {
        'server status --json': { stdout: `{"running":false,"port":${port}}\n` },
        'ls --json': { stdout: '[]' },
      },
    });
    const r = await lmstudio(undefined);
    expect(r).toMatchObject({ status: 'down', url: `http://127.0.0.1:${port}`, via: 'cli' });
    // Both at once (`lms ls` starts alongside the probe), so in either order; each once.
    expect(box.cli.calls().map((c) => c.args.join(' ')).sort()).toEqual(['ls --json', 'server status --json']);
  });

  it('lms failing: the default port, and a note', async () => {
    box.cli.add('lms', { commands: { 'server status --json': { stderr: 'boom\n', exitCode: 3 }, 'ls --json': { stdout: '[]' } } });
    const r = await lmstudio(undefined);
    expect(r.url).toBe('http://127.0.0.1:1234');
    expect(r.notes.find((n) => n.code === 'LMS_STATUS_FAILED')!.message).toMatch(/failed \(exit code 3\): boom/);
    expect(await resolveLmStudioUrl(undefined, env())).toBe('http://127.0.0.1:1234');
  });

  it('the flag wins and lms is not asked', async () => {
    const s = await fake({ models: [] });
    box.cli.add('lms', { commands: { 'server status --json': { stdout: '{"running":true,"port":1}' } } });
    expect((await lmstudio(`127.0.0.1:${s.port}`)).status).toBe('up');
    expect(box.cli.calls()).toEqual([]);
  });

  it('flag forms', () => {
    expect(normalizeLmStudioUrl('localhost')).toBe('http://localhost:1234');
    expect(normalizeLmStudioUrl('127.0.0.1:4321')).toBe('http://127.0.0.1:4321');
    expect(normalizeLmStudioUrl('http://127.0.0.1:4321/v1/')).toBe('http://127.0.0.1:4321');
    expect(normalizeLmStudioUrl('https://lm.example.com')).toBe('https://lm.example.com');
    expect(() => normalizeLmStudioUrl('ftp://x')).toThrow(UsageError);
    expect(() => normalizeLmStudioUrl('http://exa mple')).toThrow(UsageError);
    expect(() => normalizeLmStudioUrl(' ')).toThrow(UsageError);
  });
});

describe('parsers', () => {
  it('lms server status --json, including noise and a null port', () => {
    expect(parseLmsServerStatus('{"running":true,"port":1234}\n')).toEqual({ running: true, port: 1234 });
    expect(parseLmsServerStatus('info line\n{"running":false,"port":null}')).toEqual({ running: false, port: undefined });
    expect(parseLmsServerStatus('not json')).toBeUndefined();
    expect(parseLmsServerStatus('{"running":true,"port":99999}')).toEqual({ running: true, port: undefined });
  });

  it('lms ls --json with a quantization object or string', () => {
    const r = recordsFromLmsLs(JSON.stringify([{ type: 'llm', modelKey: 'a', quantization: { name: 'Q8_0', bits: 8 } }, { type: 'llm', modelKey: 'b', quantization: 'Q4_K_M' }]));
    expect(r!.models.map((m) => m.quantization)).toEqual(['Q8_0', 'Q4_K_M']);
    expect(recordsFromLmsLs('{}')).toBeUndefined();
  });

  it('/v1/models embedding guesses', () => {
    const ids = ['text-embedding-nomic-embed-text-v1.5', 'nomic-ai/nomic-embed-text-v1.5', 'bge-embeddings', 'qwen/qwen3-coder-30b', 'embeddinggemma-ish-chat'];
    const r = recordsFromOpenAi({ data: ids.map((id) => ({ id })) })!;
    expect(r.models.map((m) => m.capabilities.embedding === true)).toEqual([true, true, true, false, false]);
  });
});

describe('LM Link: a model this server runs on another device', () => {
  const REMOTE: FakeLmModel = { key: 'openai/gpt-oss-120b', maxContextLength: 131072, device: { identifier: 'dev-gpu-box', name: 'GPU Box' } };

  it('the REST list says nothing of devices; `lms ls --json` and `lms link status --json` do', async () => {
    const s = await fake({ models: [CODER, REMOTE] });
    box.cli.add('lms', lmsSpec([CODER, REMOTE]));
    const r = await lmstudio(s.url);
    expect(r.status).toBe('up');
    expect(r.models.find((m) => m.id === REMOTE.key)).toMatchObject({ device: { identifier: 'dev-gpu-box', name: 'GPU Box', local: false }, sources: { device: '`lms ls --json` deviceIdentifier' } });
    expect(r.models.find((m) => m.id === CODER.key)!.device).toBeUndefined();
    expect(box.cli.calls().map((c) => c.args.join(' '))).toEqual(['ls --json', 'link status --json']);
  });

  it("this device's own id is local; no link status: the device id alone says another device", async () => {
    const own: FakeLmModel = { ...CODER, device: { identifier: 'dev-this-machine', name: 'This Laptop' } };
    const s = await fake({ models: [own, REMOTE] });
    box.cli.add('lms', lmsSpec([own, REMOTE]));
    const r = await lmstudio(s.url);
    expect(r.models.find((m) => m.id === CODER.key)!.device).toEqual({ identifier: 'dev-this-machine', name: 'This Laptop', local: true });
    const ls = recordsFromLmsLs(lmsSpec([REMOTE]).commands['ls --json']!.stdout!)!;
    expect(ls.models[0]!.device).toEqual({ identifier: 'dev-gpu-box', local: false });
  });

  it('`lms ls` starts with the probe and is stopped when nothing needs it (the server lists no model)', async () => {
    const s = await fake({ models: [] });
    box.cli.add('lms', { commands: { 'ls --json': { hang: true } } });
    const r = await lmstudio(s.url);
    expect(r).toMatchObject({ status: 'up', models: [] });
    // Left running it would hang until the 10 s CLI timeout; stopped, it is gone at once (or was
    // stopped before it even logged its start).
    const fakeLms = () => listProcesses().filter((p) => p.args.includes(box.cli.dir) && !p.stat.startsWith('Z'));
    expect(await waitFor(() => fakeLms().length === 0, 5000)).toBe(true);
  });

  it('lms failing: the models stay as the server listed them, with no warning', async () => {
    const s = await fake({ models: [REMOTE] });
    box.cli.add('lms', { commands: { 'ls --json': { stderr: 'boom\n', exitCode: 1 } } });
    const r = await lmstudio(s.url);
    expect(r.models[0]!.device).toBeUndefined();
    expect(r.notes.map((n) => n.level)).not.toContain('warn');
  });
});
