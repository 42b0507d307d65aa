/** Which provider a profile really uses, where codex sends it, and the queue key (src/verify/provider-of.ts). */
import { effectiveProvider, guessKind, serverQueueKey } from '../../../src/verify/provider-of.js';
import { homeWith } from './fixtures.js';
import { decoyConfig } from '../../helpers/codex-info.js';

const DECOY = decoyConfig();

describe('effectiveProvider', () => {
  test('built-in ollama / lmstudio: the URL codex itself calls (defaults, CODEX_OSS_BASE_URL, CODEX_OSS_PORT)', async () => {
    const state = await homeWith({ 'config.toml': DECOY, 'o.config.toml': 'model = "m"\nmodel_provider = "ollama"\n', 'l.config.toml': 'model = "k"\nmodel_provider = "lmstudio"\n' });
    const [l, o] = state.profiles;
    expect(effectiveProvider(state, o!, {})).toMatchObject({
      id: 'ollama',
      source: 'profile',
      model: 'm',
      builtIn: true,
      defined: true,
      hosted: false,
      kind: 'ollama',
      baseUrl: 'http://localhost:11434/v1',
      serverUrl: 'http://localhost:11434',
      queueKey: 'http://loopback:11434',
    });
    expect(effectiveProvider(state, l!, {})).toMatchObject({ id: 'lmstudio', kind: 'lmstudio', baseUrl: 'http://localhost:1234/v1' });
    expect(effectiveProvider(state, o!, { CODEX_OSS_BASE_URL: 'http://127.0.0.1:5555/v1' })).toMatchObject({ baseUrl: 'http://127.0.0.1:5555/v1', queueKey: 'http://loopback:5555' });
    // CODEX_OSS_PORT moves both ids to one port: one queue.
    const env = { CODEX_OSS_PORT: '7777' };
    expect(effectiveProvider(state, o!, env).queueKey).toBe(effectiveProvider(state, l!, env).queueKey);
    // OLLAMA_HOST is not read by codex.
    expect(effectiveProvider(state, o!, { OLLAMA_HOST: '127.0.0.1:9999' }).baseUrl).toBe('http://localhost:11434/v1');
  });

  test('a custom id: base_url from config.toml, or from the profile file (layered over config.toml)', async () => {
    const state = await homeWith({
      'config.toml': DECOY + '[model_providers.box]\nname = "LM Studio box"\nbase_url = "http://127.0.0.1:4000/v1"\nwire_api = "responses"\n',
      'a.config.toml': 'model = "m"\nmodel_provider = "box"\n',
      'b.config.toml': 'model = "m"\nmodel_provider = "box"\n[model_providers.box]\nbase_url = "http://127.0.0.1:4001/v1"\n',
    });
    const [a, b] = state.profiles;
    expect(effectiveProvider(state, a!, {})).toMatchObject({
      id: 'box',
      builtIn: false,
      defined: true,
      kind: 'lmstudio',
      baseUrl: 'http://127.0.0.1:4000/v1',
      definedAt: { file: state.configPath, line: 7 },
    });
    expect(effectiveProvider(state, b!, {})).toMatchObject({ baseUrl: 'http://127.0.0.1:4001/v1', definedAt: { file: b!.path, line: 3 } });
  });

  test('nothing set: config.toml provider; openai (the default) is hosted; an undefined id is not defined', async () => {
    const state = await homeWith({
      'config.toml': DECOY,
      'inherit.config.toml': 'model = "m"\n',
      'cloud.config.toml': 'model = "gpt-5.4"\nmodel_provider = "openai"\n',
      'typo.config.toml': 'model = "m"\nmodel_provider = "olama"\n',
    });
    const [cloud, inherit, typo] = state.profiles;
    expect(effectiveProvider(state, inherit!, {})).toMatchObject({ id: 'decoy', source: 'config', hosted: false, baseUrl: 'http://127.0.0.1:9/v1' });
    expect(effectiveProvider(state, cloud!, {})).toMatchObject({ id: 'openai', builtIn: true, defined: true, hosted: true, queueKey: 'provider:openai' });
    expect(effectiveProvider(state, cloud!, {}).baseUrl).toBeUndefined();
    expect(effectiveProvider(state, typo!, {})).toMatchObject({ id: 'olama', defined: false, hosted: true });
    const bare = await homeWith({ 'x.config.toml': 'model = "m"\n' });
    expect(effectiveProvider(bare, bare.profiles[0]!, {})).toMatchObject({ id: 'openai', source: 'default', hosted: true });
  });

  test('a [profiles.NAME] table is layered over config.toml; a non-loopback base_url is hosted', async () => {
    const state = await homeWith({
      'config.toml': DECOY + '[model_providers.gpu]\nname = "gpu"\nbase_url = "http://192.0.2.10:11434/v1"\nwire_api = "responses"\n\n[profiles.t]\nmodel = "m"\n\n[profiles.g]\nmodel_provider = "gpu"\nmodel = "m"\n',
    });
    const t = state.profiles.find((p) => p.name === 't')!;
    const g = state.profiles.find((p) => p.name === 'g')!;
    expect(effectiveProvider(state, t, {})).toMatchObject({ id: 'decoy', source: 'config', model: 'm', hosted: false });
    expect(effectiveProvider(state, g, {})).toMatchObject({ id: 'gpu', hosted: true, kind: 'ollama', queueKey: 'http://192.0.2.10:11434' });
  });
});

describe('guessKind and serverQueueKey', () => {
  test.each([
    ['lmstudio-local', undefined, 'http://127.0.0.1:9/v1', 'lmstudio'],
    ['x', 'LM Studio on box', undefined, 'lmstudio'],
    ['ollama-gpu', undefined, 'http://10.0.0.2:8080/v1', 'ollama'],
    ['x', undefined, 'http://127.0.0.1:1234/v1', 'lmstudio'],
    ['x', undefined, 'http://127.0.0.1:11434/v1', 'ollama'],
    // vLLM became a server kind of the registry (issue 14): it was 'unknown' before.
    ['vllm', 'vLLM', 'http://127.0.0.1:8000/v1', 'vllm'],
    ['my-box', 'llama-server on 127.0.0.1:8081', 'http://127.0.0.1:8081/v1', 'llamacpp'],
    ['x', undefined, 'http://127.0.0.1:8080/v1', 'llamacpp'],
    ['x', undefined, 'http://127.0.0.1:9999/v1', 'unknown'],
  ])('%s / %s / %s -> %s', (id, name, url, kind) => {
    expect(guessKind(id, name, url)).toBe(kind);
  });

  test('loopback names are one host; /v1 and trailing slashes do not matter; other hosts stay apart', () => {
    expect(serverQueueKey('http://localhost:11434/v1')).toBe(serverQueueKey('http://127.0.0.1:11434/'));
    expect(serverQueueKey('http://[::1]:11434')).toBe('http://loopback:11434');
    expect(serverQueueKey('http://127.0.0.1:11434')).not.toBe(serverQueueKey('http://127.0.0.1:11435'));
    expect(serverQueueKey('http://box:11434/v1')).toBe('http://box:11434');
    expect(serverQueueKey('not a url')).toBe('url:not a url');
  });
});
