import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import type { CodexInfo } from '../../../src/codex/detect.js';
import { profileNameProblem, suggestProfileName } from '../../../src/config/naming.js';
import { loadHome } from '../../../src/config/profiles.js';
import { contextFor, planProfiles } from '../../../src/plan/add.js';
import { providerTargetFor } from '../../../src/plan/provider-target.js';
import type { DiscoveryResult, ModelRecord } from '../../../src/discover/types.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';
import { codexInfo } from '../../helpers/codex-info.js';

describe('suggested names', () => {
  test.each([
    ['gpt-oss:20b', 'gpt-oss-20b'],
    ['qwen/qwen3-coder-30b', 'qwen3-coder-30b'],
    ['hf.co/bartowski/Qwen2.5-Coder-GGUF:Q4_K_M', 'qwen2-5-coder-gguf-q4_k_m'],
    ['llama3.3:70b-instruct-q8_0', 'llama3-3-70b-instruct-q8_0'],
    ['Ünïcode模型', 'unicode'],
    ['模型', 'local-model'],
    ['::', 'local-model'],
  ])('%s -> %s', (id, name) => {
    expect(suggestProfileName(id)).toBe(name);
    expect(profileNameProblem(name)).toBeUndefined();
  });

  test('collisions get a suffix', () => {
    expect(suggestProfileName('gpt-oss:20b', ['gpt-oss-20b'])).toBe('gpt-oss-20b-2');
    expect(suggestProfileName('gpt-oss:20b', ['gpt-oss-20b', 'gpt-oss-20b-2'])).toBe('gpt-oss-20b-3');
  });

  test('names Codex rejects are explained', () => {
    expect(profileNameProblem('a:b')).toMatch(/letters, digits/);
    expect(profileNameProblem('x'.repeat(65))).toMatch(/at most 64/);
    expect(profileNameProblem('taken', ['taken'])).toMatch(/already exists/);
  });
});

describe('which provider id a profile gets', () => {
  test('the built-in id when Codex already points there', () => {
    expect(providerTargetFor('ollama', 'http://127.0.0.1:11434', {})).toMatchObject({ id: 'ollama', builtIn: true, remote: false });
    expect(providerTargetFor('lmstudio', 'http://localhost:1234/v1', {})).toMatchObject({ id: 'lmstudio', builtIn: true });
    expect(providerTargetFor('ollama', 'http://127.0.0.1:5555', { CODEX_OSS_PORT: '5555' })).toMatchObject({ id: 'ollama', builtIn: true });
    expect(providerTargetFor('ollama', 'http://127.0.0.1:7', { CODEX_OSS_BASE_URL: 'http://localhost:7/v1' })).toMatchObject({ id: 'ollama', builtIn: true });
  });

  test('our own id for another port, never a redefined built-in', () => {
    const t = providerTargetFor('ollama', 'http://127.0.0.1:11500', {});
    expect(t).toMatchObject({ id: 'ollama-port-11500', builtIn: false, remote: false, kind: 'ollama' });
    expect(t.table).toEqual({ name: 'Ollama on 127.0.0.1:11500', base_url: 'http://127.0.0.1:11500/v1', wire_api: 'responses' });
  });

  test('another host is remote: its own id, responses wire API', () => {
    const t = providerTargetFor('ollama', 'http://gpu-box.lan:11434', {});
    expect(t).toMatchObject({ id: 'ollama-gpu-box-lan', builtIn: false, remote: true, kind: 'remote' });
    expect(t.table!.wire_api).toBe('responses');
    expect(providerTargetFor('lmstudio', 'http://10.0.0.5:9999', {}).id).toBe('lmstudio-10-0-0-5-9999');
  });
});

describe('planning a remote profile (no network: discovery is given)', () => {
  let home: string;
  beforeEach(() => (home = makeTempDir()));
  afterEach(() => removeDir(home));

  const codex: CodexInfo = codexInfo('0.169.0', { bin: undefined });
  const model: ModelRecord = {
    provider: 'ollama',
    id: 'gpt-oss:120b',
    displayName: 'gpt-oss:120b',
    contextLength: 131072,
    runtimeContextLength: 65536,
    capabilities: { tools: true, completion: true },
    sources: {},
    hints: [],
  };
  const discovery: DiscoveryResult = {
    providers: [{ provider: 'ollama', url: 'http://gpu-box:11434', status: 'up', exposed: true, via: 'http', models: [model], notes: [] }],
    codexOss: { effective: { ollama: 'http://localhost:11434/v1', lmstudio: 'http://localhost:1234/v1' }, notes: [] },
  };

  test('writes our provider table, the remote template, and warns that prompts leave the machine', async () => {
    const state = await loadHome(home);
    const { plan, profiles } = planProfiles(state, codex, discovery, [{ model: 'gpt-oss:120b', provider: 'ollama' }], { env: {} });
    expect(profiles[0]).toMatchObject({ name: 'gpt-oss-120b', provider: 'ollama-gpu-box', kind: 'remote', model_context_window: 65536 });
    expect(plan.warnings.join('\n')).toContain('leave this machine');
    const files = Object.fromEntries(plan.changes.map((c) => [c.path.slice(home.length + 1), c.after!]));
    expect(parse(files['config.toml']!)).toEqual({
      model_providers: { 'ollama-gpu-box': { name: 'Ollama on gpu-box:11434', base_url: 'http://gpu-box:11434/v1', wire_api: 'responses' } },
    });
    expect(files['gpt-oss-120b.config.toml']).toContain('on http://gpu-box:11434');
    expect(parse(files['gpt-oss-120b.config.toml']!)).toEqual({ model_provider: 'ollama-gpu-box', model: 'gpt-oss:120b', model_context_window: 65536, web_search: 'disabled' });
  });
});

describe('a hosted profile: where its prompts go', () => {
  let home: string;
  beforeEach(() => (home = makeTempDir()));
  afterEach(() => removeDir(home));
  const codex: CodexInfo = codexInfo('0.169.0', { bin: undefined });

  test('api.openai.com, or where config.toml\'s openai_base_url sends the openai provider (as doctor and test say)', async () => {
    const plain = planProfiles(await loadHome(home), codex, undefined, [{ model: 'gpt-5', hosted: true, name: 'hosted' }], { env: {} });
    expect(plain.profiles[0]!.locality).toMatchObject({ locality: 'cloud', place: 'api.openai.com' });
    writeFileSync(path.join(home, 'config.toml'), 'openai_base_url = "https://gateway.example.com/v1"\n');
    const moved = planProfiles(await loadHome(home), codex, undefined, [{ model: 'gpt-5', hosted: true, name: 'hosted' }], { env: {} });
    expect(moved.profiles[0]!.locality).toMatchObject({ locality: 'cloud', place: 'https://gateway.example.com/v1' });
    expect(moved.profiles[0]!.locality!.reason).toContain('(openai_base_url)');
  });
});

describe('model_context_window: what the server runs the model with, never just its maximum', () => {
  const base: ModelRecord = { provider: 'ollama', id: 'm', displayName: 'm', contextLength: 131072, capabilities: {}, sources: {}, hints: [] };
  test('loaded (or num_ctx): the runtime context', () => {
    expect(contextFor({ ...base, runtimeContextLength: 32768 })).toBe(32768);
    expect(contextFor({ ...base, provider: 'lmstudio', runtimeContextLength: 40960 })).toBe(40960);
  });
  test('not loaded: Ollama with OLLAMA_CONTEXT_LENGTH set uses it (capped by the model); otherwise unknown', () => {
    expect(contextFor(base, { OLLAMA_CONTEXT_LENGTH: '65536' })).toBe(65536);
    expect(contextFor(base, { OLLAMA_CONTEXT_LENGTH: '262144' })).toBe(131072);
    expect(contextFor(base, {})).toBeUndefined();
    expect(contextFor({ ...base, provider: 'lmstudio' }, { OLLAMA_CONTEXT_LENGTH: '65536' })).toBeUndefined();
    expect(contextFor(undefined)).toBeUndefined();
  });
});
