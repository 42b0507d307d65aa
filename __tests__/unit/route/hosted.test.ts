/**
 * The hosted judgement (src/route/hosted.ts): profiles written into a temporary CODEX_HOME,
 * read with loadHome as every command reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadHome, type HomeState, type Profile } from '../../../src/config/profiles.js';
import {
  HOSTED_PROVIDERS_ENV,
  hostedProviderOverrides,
  isHostedProfile,
  isLoopbackUrl,
  judgeProfile,
  serverKey,
  type ProviderJudgement,
} from '../../../src/route/hosted.js';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
});
afterEach(() => sb.cleanup());

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(sb.codexHome, name), text);
}

async function profile(name: string, layout: Profile['layout'] = 'file'): Promise<{ state: HomeState; profile: Profile }> {
  const state = await loadHome(sb.codexHome);
  const found = state.profiles.find((p) => p.name === name && p.layout === layout);
  if (!found) throw new Error(`no ${layout} profile ${name}`);
  return { state, profile: found };
}

async function judge(name: string, env: NodeJS.ProcessEnv = {}, layout: Profile['layout'] = 'file'): Promise<ProviderJudgement> {
  const { state, profile: p } = await profile(name, layout);
  const j = judgeProfile(state, p, env);
  expect(isHostedProfile(state, p, env)).toBe(j.hosted);
  return j;
}

const custom = (id: string, url: string) => `[model_providers.${id}]\nname = "${id}"\nbase_url = "${url}"\nwire_api = "responses"\n`;

describe('built-in providers', () => {
  test('ollama and lmstudio are local, at their default URLs', async () => {
    write('o.config.toml', 'model_provider = "ollama"\nmodel = "qwen3-coder:30b"\n');
    write('l.config.toml', 'model_provider = "lmstudio"\nmodel = "qwen/qwen3-coder-30b"\n');
    expect(await judge('o')).toEqual({
      provider: 'ollama',
      providerSource: 'profile',
      model: 'qwen3-coder:30b',
      baseUrl: 'http://localhost:11434/v1',
      hosted: false,
      locality: 'this-machine',
      reason: 'built-in provider `ollama` runs on this machine (http://localhost:11434/v1)',
    });
    expect(await judge('l')).toMatchObject({ provider: 'lmstudio', hosted: false, baseUrl: 'http://localhost:1234/v1' });
  });

  test('CODEX_OSS_BASE_URL elsewhere makes the built-in local providers hosted; on loopback they stay local', async () => {
    write('o.config.toml', 'model_provider = "ollama"\n');
    expect(await judge('o', { CODEX_OSS_BASE_URL: 'http://10.0.0.5:11434/v1' })).toMatchObject({
      hosted: true,
      baseUrl: 'http://10.0.0.5:11434/v1',
      locality: 'network',
      reason: 'built-in provider `ollama` points at http://10.0.0.5:11434/v1 (CODEX_OSS_BASE_URL): the server is on another machine (10.0.0.5): prompts cross the network',
    });
    expect(await judge('o', { CODEX_OSS_BASE_URL: 'http://127.0.0.1:9999/v1' })).toMatchObject({ hosted: false, baseUrl: 'http://127.0.0.1:9999/v1' });
    expect(await judge('o', { CODEX_OSS_BASE_URL: '  ' })).toMatchObject({ hosted: false, baseUrl: 'http://localhost:11434/v1' });
  });

  test('CODEX_OSS_PORT moves both built-in local providers, as Codex does (and a bad port is ignored)', async () => {
    write('o.config.toml', 'model_provider = "ollama"\n');
    write('l.config.toml', 'model_provider = "lmstudio"\n');
    expect(await judge('o', { CODEX_OSS_PORT: '11500' })).toMatchObject({ hosted: false, baseUrl: 'http://localhost:11500/v1', reason: expect.stringContaining('built-in provider `ollama` runs on this machine (http://localhost:11500/v1)') });
    expect(await judge('l', { CODEX_OSS_PORT: '11500' })).toMatchObject({ hosted: false, baseUrl: 'http://localhost:11500/v1' });
    expect(await judge('l', { CODEX_OSS_PORT: 'abc' })).toMatchObject({ baseUrl: 'http://localhost:1234/v1' });
    expect(await judge('o', { CODEX_OSS_PORT: '11500', CODEX_OSS_BASE_URL: 'http://127.0.0.1:9999/v1' })).toMatchObject({ baseUrl: 'http://127.0.0.1:9999/v1' });
  });

  test('a [model_providers.ollama] table with a remote base_url is not trusted to be local', async () => {
    write('config.toml', custom('ollama', 'http://gpu-box.example.com:11434/v1'));
    write('o.config.toml', 'model_provider = "ollama"\n');
    expect(await judge('o')).toMatchObject({ hosted: true, locality: 'cloud', reason: expect.stringContaining('[model_providers.ollama] sets base_url') });
  });

  test('openai and amazon-bedrock are hosted', async () => {
    write('a.config.toml', 'model_provider = "openai"\nmodel = "gpt-5"\n');
    write('b.config.toml', 'model_provider = "amazon-bedrock"\n');
    expect(await judge('a')).toEqual({
      provider: 'openai',
      providerSource: 'profile',
      model: 'gpt-5',
      hosted: true,
      locality: 'cloud',
      reason: 'built-in provider `openai` is a hosted service',
    });
    expect(await judge('b')).toMatchObject({ provider: 'amazon-bedrock', hosted: true });
  });
});

describe('which provider a profile resolves to', () => {
  test('no model_provider anywhere: Codex default openai, hosted, and the reason says so', async () => {
    write('p.config.toml', 'model = "some-model"\n');
    const j = await judge('p');
    expect(j).toMatchObject({ provider: 'openai', providerSource: 'default', hosted: true, model: 'some-model' });
    expect(j.reason).toContain('neither the profile nor config.toml sets model_provider');
  });

  test('no model_provider in the profile: config.toml decides (and its model is the fallback)', async () => {
    write('config.toml', 'model_provider = "ollama"\nmodel = "base-model"\n');
    write('p.config.toml', 'approval_policy = "never"\n');
    expect(await judge('p')).toMatchObject({ provider: 'ollama', providerSource: 'config', model: 'base-model', hosted: false });
  });

  test('the profile file wins over config.toml for provider and model', async () => {
    write('config.toml', `model_provider = "openai"\nmodel = "gpt-5"\n${custom('mine', 'http://127.0.0.1:8080/v1')}`);
    write('p.config.toml', 'model_provider = "mine"\nmodel = "local-model"\n');
    expect(await judge('p')).toMatchObject({ provider: 'mine', providerSource: 'profile', model: 'local-model', hosted: false });
  });

  test('a table profile (<= 0.133) reads its provider from [profiles.NAME] and the provider table from config.toml', async () => {
    write(
      'config.toml',
      `model_provider = "openai"\n${custom('box', 'http://localhost:8080/v1')}\n[profiles.t]\nmodel_provider = "box"\nmodel = "m"\n\n[profiles.u]\nmodel = "m2"\n`,
    );
    expect(await judge('t', {}, 'table')).toMatchObject({ provider: 'box', providerSource: 'profile', hosted: false, baseUrl: 'http://localhost:8080/v1' });
    expect(await judge('u', {}, 'table')).toMatchObject({ provider: 'openai', providerSource: 'config', hosted: true, model: 'm2' });
  });
});

describe('custom providers: by address', () => {
  test.each([
    ['http://127.0.0.1:11434/v1', false],
    ['http://127.9.8.7:1/v1', false],
    ['http://localhost:1234/v1', false],
    ['http://[::1]:8080/v1', false],
    ['https://LOCALHOST/v1', false],
    ['http://192.168.1.20:11434/v1', true],
    ['http://10.0.0.5:11434/v1', true],
    ['http://0.0.0.0:11434/v1', true],
    ['https://api.example.com/v1', true],
    ['http://127.0.0.1.example.com/v1', true],
    ['not a url', true],
  ])('base_url %s: hosted=%s', async (url, hosted) => {
    write('p.config.toml', `model_provider = "x"\nmodel = "m"\n\n${custom('x', url)}`);
    const j = await judge('p');
    expect(j.hosted).toBe(hosted);
    expect(j.baseUrl).toBe(url);
  });

  test('a provider table in config.toml serves a profile file; the profile file can override its base_url', async () => {
    write('config.toml', custom('x', 'http://127.0.0.1:8080/v1'));
    write('a.config.toml', 'model_provider = "x"\n');
    write('b.config.toml', 'model_provider = "x"\n\n[model_providers.x]\nbase_url = "https://proxy.example.com/v1"\n');
    expect(await judge('a')).toMatchObject({ hosted: false, baseUrl: 'http://127.0.0.1:8080/v1' });
    expect(await judge('b')).toMatchObject({ hosted: true, baseUrl: 'https://proxy.example.com/v1' });
  });

  test('no table, or a table without base_url: hosted (where it goes is unknown)', async () => {
    write('a.config.toml', 'model_provider = "ghost"\n');
    write('b.config.toml', 'model_provider = "nourl"\n\n[model_providers.nourl]\nname = "n"\n');
    expect(await judge('a')).toEqual({
      provider: 'ghost',
      providerSource: 'profile',
      hosted: true,
      locality: 'cloud',
      reason: 'provider `ghost` has no [model_providers.ghost] table, so where it sends prompts is unknown',
    });
    expect(await judge('b')).toMatchObject({ hosted: true, reason: '[model_providers.nourl] has no base_url, so where it sends prompts is unknown' });
  });
});

describe(`${HOSTED_PROVIDERS_ENV}`, () => {
  test('adds ids to the hosted list, even on loopback; other ids are untouched', async () => {
    write('cloud.config.toml', `model_provider = "cloudish"\n\n${custom('cloudish', 'http://127.0.0.1:9000/v1')}`);
    write('near.config.toml', `model_provider = "near"\n\n${custom('near', 'http://127.0.0.1:9001/v1')}`);
    const env = { [HOSTED_PROVIDERS_ENV]: ' cloudish , ,other' };
    expect(await judge('cloud', env)).toMatchObject({
      hosted: true,
      baseUrl: 'http://127.0.0.1:9000/v1',
      reason: `provider \`cloudish\` is listed in ${HOSTED_PROVIDERS_ENV}`,
    });
    expect(await judge('near', env)).toMatchObject({ hosted: false });
    expect(await judge('cloud', {})).toMatchObject({ hosted: false });
  });

  test('can mark a built-in local provider hosted too', async () => {
    write('o.config.toml', 'model_provider = "ollama"\n');
    expect(await judge('o', { [HOSTED_PROVIDERS_ENV]: 'ollama' })).toMatchObject({ hosted: true, baseUrl: 'http://localhost:11434/v1' });
  });

  test('parsing', () => {
    expect([...hostedProviderOverrides({ [HOSTED_PROVIDERS_ENV]: 'a,b , c,,' })]).toEqual(['a', 'b', 'c']);
    expect(hostedProviderOverrides({}).size).toBe(0);
  });
});

describe('helpers', () => {
  test('isLoopbackUrl needs an http(s) URL on a loopback host', () => {
    expect(isLoopbackUrl('http://127.0.0.1:1/v1')).toBe(true);
    expect(isLoopbackUrl('http://[::ffff:127.0.0.1]/')).toBe(true);
    expect(isLoopbackUrl('file://localhost/etc')).toBe(false);
    expect(isLoopbackUrl('127.0.0.1:11434')).toBe(false);
  });

  test('serverKey: loopback names are one host, /v1 ignored; ports and hosts differ', () => {
    const j = (baseUrl: string | undefined, provider = 'p'): ProviderJudgement => ({
      provider,
      providerSource: 'profile',
      hosted: false,
      locality: 'this-machine',
      reason: '',
      ...(baseUrl ? { baseUrl } : {}),
    });
    expect(serverKey(j('http://127.0.0.1:11434/v1'))).toBe(serverKey(j('http://localhost:11434')));
    expect(serverKey(j('http://[::1]:11434/v1/'))).toBe('http://loopback:11434');
    expect(serverKey(j('http://127.0.0.1:11434/v1'))).not.toBe(serverKey(j('http://127.0.0.1:1234/v1')));
    expect(serverKey(j('http://10.0.0.5:11434/v1'))).toBe('http://10.0.0.5:11434');
    expect(serverKey(j(undefined, 'openai'))).toBe('provider:openai');
  });
});

describe('CODEX_OSS_PORT (issue 13)', () => {
  test('the built-in providers use the port Codex uses: the judgement, its URL and its server key follow CODEX_OSS_PORT', async () => {
    write('o.config.toml', 'model_provider = "ollama"\nmodel = "qwen3-coder:30b"\n');
    const j = await judge('o', { CODEX_OSS_PORT: '11500' });
    expect(j).toMatchObject({ hosted: false, baseUrl: 'http://localhost:11500/v1' });
    expect(serverKey(j)).toBe('http://loopback:11500');
  });

  test('an invalid CODEX_OSS_PORT is ignored, as Codex ignores it', async () => {
    write('o.config.toml', 'model_provider = "ollama"\n');
    expect(await judge('o', { CODEX_OSS_PORT: 'abc' })).toMatchObject({ baseUrl: 'http://localhost:11434/v1' });
  });
});
