/**
 * compare's ad-hoc targets (src/route/compare-adhoc.ts, compare-adhoc-guard.ts): the spelling of
 * --local / --hosted, the codex flags they become, how they are judged, and the no-download
 * guard against a fake Ollama (GET requests only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadHome } from '../../../src/config/profiles.js';
import { CliError } from '../../../src/errors.js';
import { adhocExecArgs, adhocProfile, parseAdhocTargets, parseLocalTarget, tooFewTargets } from '../../../src/route/compare-adhoc.js';
import { guardLocalTargets } from '../../../src/route/compare-adhoc-guard.js';
import { judgeProfile } from '../../../src/route/hosted.js';
import { startFakeLmStudio } from '../../helpers/fake-lmstudio.js';
import { startFakeOllama, type FakeOllama } from '../../helpers/fake-ollama.js';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';

/** The CliError `fn` throws (anything else fails the test). */
function cliError(fn: () => unknown): CliError {
  let thrown: unknown = new Error('nothing was thrown');
  try { fn(); } catch (err) { thrown = err; }
  expect(thrown).toBeInstanceOf(CliError);
  return thrown as CliError;
}

describe('parseLocalTarget / parseAdhocTargets', () => {
  test('KIND:MODEL, the model may hold colons and slashes; the kind is case-insensitive', () => {
    expect(parseLocalTarget('ollama:gpt-oss:20b')).toEqual({ kind: 'ollama', model: 'gpt-oss:20b' });
    expect(parseLocalTarget('LMStudio:qwen/qwen3-coder-30b')).toEqual({ kind: 'lmstudio', model: 'qwen/qwen3-coder-30b' });
  });

  test.each([
    ['gpt-oss:20b', '`gpt-oss` is not a kind Codex\'s --local-provider takes'],
    ['llama3.2', 'it has no `KIND:` in front of the model'],
    ['vllm:qwen', '`vllm` is not a kind'],
    ['ollama:', 'the model id must be a single word'],
    ['ollama:two words', 'the model id must be a single word'],
  ])('--local %s is a usage error (exit 2) naming the accepted forms', (text, why) => {
    const err = cliError(() => parseLocalTarget(text));
    expect(err.exitCode).toBe(2);
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain(why);
    expect(err.hint).toContain('--local ollama:MODEL');
    expect(err.hint).toContain('--local lmstudio:MODEL');
    expect(err.hint).toContain('--hosted MODEL');
  });

  test('names are file-safe and unique, also against profile names; a repeated target is refused', () => {
    const t = parseAdhocTargets(['ollama:gpt-oss:20b', 'lmstudio:qwen/qwen3-coder-30b'], ['gpt-5.2-codex'], ['ollama-gpt-oss-20b']);
    expect(t.map((x) => [x.type, x.name, x.spec])).toEqual([
      ['local', 'ollama-gpt-oss-20b-2', '--local ollama:gpt-oss:20b'],
      ['local', 'lmstudio-qwen-qwen3-coder-30b', '--local lmstudio:qwen/qwen3-coder-30b'],
      ['hosted', 'hosted-gpt-5.2-codex', '--hosted gpt-5.2-codex'],
    ]);
    expect(cliError(() => parseAdhocTargets(['ollama:a', 'OLLAMA:a'], [])).message).toBe('`--local ollama:a` is given twice.');
    expect(cliError(() => parseAdhocTargets([], [' '])).exitCode).toBe(2);
    expect(tooFewTargets(1).message).toContain('at least two targets (it has 1)');
  });

  test('the codex flags: the guide\'s one-off commands', () => {
    const [local, hosted] = parseAdhocTargets(['ollama:llama3.2'], ['gpt-5.2-codex']);
    expect(adhocExecArgs(local!)).toEqual(['--oss', '--local-provider', 'ollama', '-m', 'llama3.2']);
    expect(adhocExecArgs(hosted!)).toEqual(['-m', 'gpt-5.2-codex']);
  });
});

describe('judged like profiles', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
    fs.mkdirSync(sb.codexHome);
  });
  afterEach(() => sb.cleanup());

  test('--local is this machine, an Ollama cloud tag is hosted, --hosted follows config.toml (default openai)', async () => {
    const state = await loadHome(sb.codexHome);
    const [local, cloud, hosted] = parseAdhocTargets(['ollama:llama3.2', 'ollama:gpt-oss:120b-cloud'], ['gpt-5']);
    const judge = (t: typeof local) => judgeProfile(state, adhocProfile(state, t!), {});
    expect(judge(local)).toMatchObject({ provider: 'ollama', model: 'llama3.2', hosted: false, locality: 'this-machine' });
    expect(judge(cloud)).toMatchObject({ provider: 'ollama', hosted: true, locality: 'cloud' });
    expect(judge(hosted)).toMatchObject({ provider: 'openai', providerSource: 'default', model: 'gpt-5', hosted: true });

    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), 'model_provider = "corp"\n[model_providers.corp]\nname = "corp"\nbase_url = "https://llm.example.com/v1"\n');
    const withBase = await loadHome(sb.codexHome);
    expect(judgeProfile(withBase, adhocProfile(withBase, hosted!), {})).toMatchObject({ provider: 'corp', providerSource: 'config', hosted: true });
  });
});

describe('guardLocalTargets (no-download guard)', () => {
  let ollama: FakeOllama;
  beforeAll(async () => {
    ollama = await startFakeOllama({ models: [{ name: 'llama3.2:latest' }, { name: 'qwen3:8b' }] });
  });
  afterAll(() => ollama.close());
  beforeEach(() => {
    ollama.requests.length = 0;
  });

  const env = () => ({ CODEX_OSS_BASE_URL: `${ollama.url}/v1` });

  test('an installed model passes, resolved as the server names it; only GET requests, never /api/pull', async () => {
    const targets = parseAdhocTargets(['ollama:llama3.2', 'ollama:qwen3:8b'], ['gpt-5']);
    const r = await guardLocalTargets(targets, { env: env(), timeoutMs: 2000 });
    expect(r.targets.map((t) => t.model)).toEqual(['llama3.2:latest', 'qwen3:8b', 'gpt-5']);
    expect(r.checks).toEqual([
      { spec: '--local ollama:llama3.2', server: ollama.url, status: 'installed', resolved: 'llama3.2:latest' },
      { spec: '--local ollama:qwen3:8b', server: ollama.url, status: 'installed', resolved: 'qwen3:8b' },
    ]);
    expect(ollama.requests.filter((q) => q.method !== 'GET').map((q) => q.path)).toEqual(
      ollama.requests.filter((q) => q.path === '/api/show').map((q) => q.path),
    );
    expect(ollama.requests.some((q) => q.path === '/api/pull')).toBe(false);
  });

  test('a missing model: MODEL_NOT_FOUND, exit 2, naming what the server has', async () => {
    const err = await guardLocalTargets(parseAdhocTargets(['ollama:gpt-oss:20b'], ['gpt-5']), { env: env(), timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ code: 'MODEL_NOT_FOUND', exitCode: 2 });
    expect((err as CliError).message).toContain(`--local ollama:gpt-oss:20b: ${ollama.url} does not have \`gpt-oss:20b\` (it has: llama3.2:latest, qwen3:8b).`);
    expect(ollama.requests.some((q) => q.path === '/api/pull')).toBe(false);
  });

  test('a server that does not answer: PROVIDER_DOWN', async () => {
    const closed = await startFakeOllama();
    const url = closed.url;
    await closed.close();
    const err = await guardLocalTargets(parseAdhocTargets(['ollama:llama3.2'], ['gpt-5']), { env: { CODEX_OSS_BASE_URL: `${url}/v1` }, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVIDER_DOWN', exitCode: 2 });
    expect((err as CliError).message).toContain(`--local ollama:llama3.2: no ollama server answers at ${url}`);
  });

  test('another kind of server where --oss goes: PROVIDER_DOWN naming what answers (the lookup test --oss makes)', async () => {
    const lm = await startFakeLmStudio({ models: [{ key: 'llama3.2' }] });
    try {
      const err = await guardLocalTargets(parseAdhocTargets(['ollama:llama3.2'], ['gpt-5']), { env: { CODEX_OSS_BASE_URL: `${lm.url}/v1` }, timeoutMs: 2000 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'PROVIDER_DOWN', exitCode: 2 });
      expect((err as CliError).message).toContain(`--local ollama:llama3.2: LM Studio answers at ${lm.url}, not Ollama.`);
      expect(lm.requests.some((q) => q.method !== 'GET' && q.path !== '/api/v0/models')).toBe(false);
    } finally {
      await lm.close();
    }
  });

  test('no --local target: nothing is asked', async () => {
    const targets = parseAdhocTargets([], ['gpt-5', 'o3']);
    expect(await guardLocalTargets(targets, { env: env(), timeoutMs: 2000 })).toEqual({ targets, checks: [] });
    expect(ollama.requests).toEqual([]);
  });
});
