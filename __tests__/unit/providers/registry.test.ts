import { CODEX_RESERVED_PROVIDER_IDS as CODEX_BUILT_IN_IDS } from '../../../src/codex/builtins.js';
import { SERVER_KINDS, SERVER_KIND_IDS, discoverServers, kindsToProbe, parseServerKind } from '../../../src/discover/registry.js';
import { refusedPort, type FakeServer } from '../../helpers/fake-http.js';
import { startFakeVllm } from '../../helpers/fake-vllm.js';
import { startFakeLlamaCpp } from '../../helpers/fake-llamacpp.js';
import { startFakeOllama } from '../../helpers/fake-ollama.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('provider registry', () => {
  it('one entry per kind, each complete, ids separate from Codex built-in ids', () => {
    expect(SERVER_KIND_IDS).toEqual(['ollama', 'lmstudio', 'vllm', 'llamacpp', 'openai-compatible']);
    const flags = new Set<string>();
    for (const id of SERVER_KIND_IDS) {
      const k = SERVER_KINDS[id];
      expect(k.id).toBe(id);
      expect(k.displayName).not.toBe('');
      expect(Object.values(k.fixes).every((f) => f.length > 0)).toBe(true);
      expect(flags.has(k.urlFlag)).toBe(false);
      flags.add(k.urlFlag);
      if (k.defaultPort !== undefined) expect(k.defaultUrl).toBe(`http://127.0.0.1:${k.defaultPort}`);
      if (k.codexBuiltIn) expect(CODEX_BUILT_IN_IDS).toContain(k.codexBuiltIn);
      // A table of our own never takes a built-in id.
      for (const url of ['http://127.0.0.1:1', 'http://box:2']) {
        const r = k.codexRoute(url, {});
        if (r.kind === 'custom') expect(CODEX_BUILT_IN_IDS as readonly string[]).not.toContain(r.table.id);
      }
    }
  });

  it('Ollama and LM Studio use the built-in id only where Codex already points', () => {
    expect(SERVER_KINDS.ollama.codexRoute('http://127.0.0.1:11434', {})).toMatchObject({ kind: 'built-in', id: 'ollama' });
    expect(SERVER_KINDS.ollama.codexRoute('http://127.0.0.1:11435', {})).toMatchObject({ kind: 'custom', table: { id: 'ollama-port-11435' } });
    expect(SERVER_KINDS.ollama.codexRoute('http://127.0.0.1:11434', { ollama: 'http://localhost:9999/v1' })).toMatchObject({ kind: 'custom', table: { id: 'ollama-port-11434' } });
    expect(SERVER_KINDS.lmstudio.codexRoute('http://localhost:1234', {})).toMatchObject({ kind: 'built-in', id: 'lmstudio' });
  });

  it('which kinds are probed: defaults, plus openai-compatible only with a URL', () => {
    expect(kindsToProbe({})).toEqual(['ollama', 'lmstudio', 'vllm', 'llamacpp']);
    expect(kindsToProbe({ urls: { 'openai-compatible': 'http://x' } })).toContain('openai-compatible');
    expect(kindsToProbe({ kinds: ['vllm'] })).toEqual(['vllm']);
    expect(() => parseServerKind('koboldcpp')).toThrow(/ollama, lmstudio, vllm, llamacpp, openai-compatible/);
    expect(parseServerKind(' VLLM ')).toBe('vllm');
  });

  it('discovers every kind in parallel; a bad flag fails before any request', async () => {
    const ollama = await startFakeOllama({ models: [{ name: 'gpt-oss:20b' }] });
    const vllm = await startFakeVllm({ models: [{ id: 'Qwen/Qwen3-Coder', maxModelLen: 65536 }] });
    const llama = await startFakeLlamaCpp({ nCtx: 65536 });
    servers.push(ollama, vllm, llama);
    const lmPort = await refusedPort();
    const reports = await discoverServers({
      urls: { ollama: ollama.url, lmstudio: `127.0.0.1:${lmPort}`, vllm: vllm.url, llamacpp: llama.url },
      env: {},
      timeoutMs: 5000,
      cliTimeoutMs: 3000,
      useCli: false,
    });
    expect(reports.map((r) => [r.kind, r.status])).toEqual([
      ['ollama', 'up'],
      ['lmstudio', 'down'],
      ['vllm', 'up'],
      ['llamacpp', 'up'],
    ]);
    expect(SERVER_KINDS.ollama.findModel(reports[0]!, 'gpt-oss:20b')?.kind).toBe('ollama');
    expect(SERVER_KINDS.vllm.findModel(reports[2]!, 'Qwen/Qwen3-Coder')?.runtimeContextLength).toBe(65536);
    expect(reports[0]!.responses.state).toBe('yes');

    const before = vllm.requests.length;
    await expect(discoverServers({ urls: { vllm: vllm.url, llamacpp: 'ftp://nope' }, env: {}, timeoutMs: 500, cliTimeoutMs: 500, useCli: false })).rejects.toThrow(/not http or https/);
    expect(vllm.requests.length).toBe(before);
  });
});
