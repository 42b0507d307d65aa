/**
 * Where prompts go (src/codex/destination.ts): hosts, URLs, models and profiles. No request is
 * sent anywhere: the addresses below (TEST-NET 192.0.2.1, a name that resolves to nothing) are
 * only classified.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadHome } from '../../../src/config/profiles.js';
import {
  isOllamaCloudTag,
  localityOfHost,
  localityOfModel,
  localityOfUrl,
  profileDestination,
} from '../../../src/codex/destination.js';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
});
afterEach(() => sb.cleanup());

async function dest(name: string, text: string, env: NodeJS.ProcessEnv = {}) {
  fs.writeFileSync(path.join(sb.codexHome, `${name}.config.toml`), text);
  const state = await loadHome(sb.codexHome);
  const p = state.profiles.find((x) => x.name === name)!;
  return profileDestination(state, p, env);
}

describe('hosts and URLs', () => {
  test.each([
    ['localhost', 'this-machine'],
    ['127.0.0.1', 'this-machine'],
    ['::1', 'this-machine'],
    ['192.0.2.1', 'network'],
    ['gpu-box', 'network'],
    ['gpu-box.invalid.lan', 'network'],
    ['studio.local', 'network'],
    ['fe80::1', 'network'],
    ['api.example.com', 'cloud'],
  ])('%s is %s', (host, want) => {
    expect(localityOfHost(host)).toBe(want);
  });

  test('a URL gets a reason and a place; an unparsable one is cloud (unknown)', () => {
    expect(localityOfUrl('http://192.0.2.1:11434/v1')).toEqual({
      locality: 'network',
      reason: 'the server is on another machine (192.0.2.1): prompts cross the network',
      place: '192.0.2.1',
    });
    expect(localityOfUrl('http://127.0.0.1:1234')).toMatchObject({ locality: 'this-machine', place: 'http://127.0.0.1:1234' });
    expect(localityOfUrl('not a url').locality).toBe('cloud');
  });
});

describe('models', () => {
  test('Ollama cloud tags: `:cloud` and `-cloud`, not a name that merely contains "cloud"', () => {
    expect(isOllamaCloudTag('kimi-k2.6:cloud')).toBe(true);
    expect(isOllamaCloudTag('gpt-oss:120b-cloud')).toBe(true);
    expect(isOllamaCloudTag('my-cloud')).toBe(false);
    expect(isOllamaCloudTag('cloudy:7b')).toBe(false);
    expect(isOllamaCloudTag('hf.co/x/cloud:q4')).toBe(false);
  });

  test('an Ollama cloud model on localhost is cloud; remote_host names the place', () => {
    expect(localityOfModel('ollama', 'http://127.0.0.1:11434', { id: 'gpt-oss:120b-cloud' })).toMatchObject({ locality: 'cloud', place: 'ollama.com' });
    expect(localityOfModel('ollama', 'http://127.0.0.1:11434', { id: 'glm', remoteHost: 'https://ollama.com:443' })).toMatchObject({
      locality: 'cloud',
      place: 'ollama.com',
      reason: 'Ollama cloud model: the server forwards prompts to ollama.com',
    });
    expect(localityOfModel('ollama', 'http://127.0.0.1:11434', { id: 'qwen3:8b' })).toMatchObject({ locality: 'this-machine' });
  });

  test('an LM Studio model on another LM Link device is network, even at localhost:1234', () => {
    const remote = { id: 'qwen/qwen3-coder-30b', device: { identifier: 'dev-9f2', name: 'gpu-tower', local: false } };
    expect(localityOfModel('lmstudio', 'http://localhost:1234', remote)).toEqual({
      locality: 'network',
      reason: 'LM Link: the model runs on the device gpu-tower, not on this machine',
      place: 'gpu-tower',
    });
    expect(localityOfModel('lmstudio', 'http://localhost:1234', { ...remote, device: { identifier: 'me', local: true } }).locality).toBe('this-machine');
  });

  test('a kind without rules: the server URL decides', () => {
    expect(localityOfModel('vllm', 'http://192.0.2.1:8000', { id: 'm' }).locality).toBe('network');
  });
});

describe('profiles', () => {
  test('built-in ollama with a cloud model: cloud, though the server is local', async () => {
    const d = await dest('c', 'model_provider = "ollama"\nmodel = "kimi-k2.6:cloud"\n');
    expect(d).toMatchObject({ provider: 'ollama', locality: 'cloud', hosted: true, baseUrl: 'http://localhost:11434/v1', kind: 'ollama' });
    expect(d.reason).toContain('Ollama cloud model');
  });

  test('openai with openai_base_url: still cloud, but the place is where Codex sends it (a profile file over config.toml)', async () => {
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), 'openai_base_url = "https://gateway.example.com/v1/"\n');
    const viaConfig = await dest('h', 'model = "gpt-5"\n');
    expect(viaConfig).toMatchObject({ provider: 'openai', providerSource: 'default', locality: 'cloud', hosted: true, place: 'https://gateway.example.com/v1/', baseUrl: 'https://gateway.example.com/v1/' });
    expect(viaConfig.reason).toContain('sent to https://gateway.example.com/v1/ (openai_base_url)');
    const own = await dest('p', 'model_provider = "openai"\nmodel = "gpt-5"\nopenai_base_url = "http://127.0.0.1:4000/v1"\n');
    expect(own).toMatchObject({ locality: 'cloud', place: 'http://127.0.0.1:4000/v1' });
    fs.rmSync(path.join(sb.codexHome, 'config.toml'));
    expect(await dest('q', 'model_provider = "openai"\nmodel = "gpt-5"\n')).toMatchObject({ locality: 'cloud', place: 'api.openai.com' });
  });

  test('a provider id that is a property of every object is just an unknown id', async () => {
    for (const id of ['constructor', 'toString', '__proto__']) {
      const d = await dest(`x-${id.replace(/_/g, '')}`, `model_provider = "${id}"\nmodel = "m"\n`);
      expect(d).toMatchObject({ provider: id, locality: 'cloud', place: `provider ${id}` });
      expect(d.kind).toBeUndefined();
    }
  });

  test('a custom provider on another host (never contacted): network', async () => {
    const d = await dest('g', 'model_provider = "ollama-gpu-box"\nmodel = "qwen3:8b"\n\n[model_providers.ollama-gpu-box]\nname = "Ollama on gpu-box"\nbase_url = "http://gpu-box:11434/v1"\nwire_api = "responses"\n');
    expect(d).toMatchObject({ locality: 'network', hosted: true, place: 'gpu-box', kind: 'ollama' });
  });

  test('a custom provider on TEST-NET with a cloud tag: cloud wins (the farthest)', async () => {
    const d = await dest('t', 'model_provider = "o2"\nmodel = "gpt-oss:120b-cloud"\n\n[model_providers.o2]\nname = "Ollama"\nbase_url = "http://192.0.2.1:11434/v1"\nwire_api = "responses"\n');
    expect(d.locality).toBe('cloud');
  });

  test('CODEX_OSS_PORT moves the built-in URL; CODEX_OSS_BASE_URL on another host makes it network', async () => {
    expect(await dest('o', 'model_provider = "lmstudio"\nmodel = "m"\n', { CODEX_OSS_PORT: '1300' })).toMatchObject({
      locality: 'this-machine',
      baseUrl: 'http://localhost:1300/v1',
      reason: 'built-in provider `lmstudio` runs on this machine (http://localhost:1300/v1) (CODEX_OSS_PORT)',
    });
    expect((await dest('o', 'model_provider = "ollama"\n', { CODEX_OSS_BASE_URL: 'http://192.0.2.1:11434/v1' })).locality).toBe('network');
  });

  test('openai (also by default) is cloud', async () => {
    expect(await dest('h', 'model = "gpt-5"\n')).toMatchObject({ provider: 'openai', providerSource: 'default', locality: 'cloud', place: 'api.openai.com' });
  });
});
