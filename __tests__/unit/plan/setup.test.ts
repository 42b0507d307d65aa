import { jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { makeContext } from '../../../src/context.js';
import { CODEX_INSTALL_FIX } from '../../../src/diagnostics.js';
import { startFix } from '../../../src/discover/fixes.js';
import { type SetupArgs } from '../../../src/plan/setup.js';
import { runSetup, EXIT_CANCELLED } from '../../../src/run/setup.js';
import type { Choice, Prompter } from '../../../src/ui/prompter.js';
import { startFakeLmStudio, type FakeLmStudio } from '../../helpers/fake-lmstudio.js';
import { CLOUD_MIX, startFakeOllama, type FakeOllama } from '../../helpers/fake-ollama.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../../helpers/tmp.js';

/** Answers the wizard's questions from a script, and records what it was asked. */
class ScriptedPrompter implements Prompter {
  asked: { kind: string; message: string; choices?: string[]; default?: unknown }[] = [];
  constructor(private answers: ((choices?: Choice<unknown>[]) => unknown)[]) {}
  private next(kind: string, message: string, choices?: Choice<unknown>[], def?: unknown): unknown {
    this.asked.push({ kind, message, choices: choices?.map((c) => c.name), default: def });
    const answer = this.answers.shift();
    if (!answer) throw new Error(`unexpected question: ${message}`);
    return answer(choices);
  }
  async checkbox<T>(o: { message: string; choices: Choice<T>[] }): Promise<T[]> {
    return this.next('checkbox', o.message, o.choices as Choice<unknown>[]) as T[];
  }
  async input(o: { message: string; default?: string; validate?: (v: string) => true | string }): Promise<string> {
    const v = this.next('input', o.message, undefined, o.default) as string;
    const ok = o.validate?.(v) ?? true;
    if (ok !== true) throw new Error(`validation refused ${v}: ${ok}`);
    return v;
  }
  async select<T>(o: { message: string; choices: Choice<T>[]; default?: T }): Promise<T> {
    return this.next('select', o.message, o.choices as Choice<unknown>[], o.default) as T;
  }
  async confirm(o: { message: string; default?: boolean }): Promise<boolean> {
    return this.next('confirm', o.message, undefined, o.default) as boolean;
  }
}

const cancel = () => {
  const e = new Error('User force closed the prompt with SIGINT');
  e.name = 'ExitPromptError';
  throw e;
};

let ollama: FakeOllama;
let lmstudio: FakeLmStudio;
let sb: Sandbox;
beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'gpt-oss:20b', contextLength: 131072, loaded: true, loadedContextLength: 65536 },
      { name: 'tiny:1b', capabilities: ['completion'], contextLength: 4096 },
      { name: 'nomic-embed-text:latest', capabilities: ['embedding'] },
      { name: 'qwen2.5-coder:latest', contextLength: 32768 },
    ],
  });
  lmstudio = await startFakeLmStudio({ models: [{ key: 'qwen/qwen3-coder-30b', maxContextLength: 262144 }] });
});
afterAll(async () => Promise.all([ollama.close(), lmstudio.close()]));
beforeEach(() => (sb = makeSandbox()));
afterEach(() => sb.cleanup());

function ctx(extra: Partial<{ yes: boolean; dryRun: boolean }> = {}) {
  const env = sandboxEnv(sb, { CODEX_OSS_BASE_URL: `${ollama.url}/v1` });
  // No codex on PATH in this environment: profiles are files (the current layout).
  return makeContext({ codexHome: sb.codexHome, json: false, dryRun: false, yes: false, color: false, codexBin: path.join(sb.root, 'no-codex'), ...extra }, env);
}
const args = (over: Partial<SetupArgs> = {}): SetupArgs => ({ contextWindow: true, test: false, force: false, ollamaUrl: ollama.url, lmstudioUrl: lmstudio.url, ...over });

test('the wizard: pick models, name them, choose oss_provider, confirm, write', async () => {
  const p = new ScriptedPrompter([
    (choices) => {
      const names = choices!.map((c) => c.name).join('\n');
      expect(names).not.toContain('nomic-embed-text'); // embedding models are not offered
      expect(names).toMatch(/tiny:1b.*✖ no tools.*⚠ model context small/);
      return [choices![0]!.value, choices!.find((c) => c.name.includes('qwen3-coder'))!.value];
    },
    () => 'fast',
    () => 'coder',
    (choices) => choices!.find((c) => c.name === 'LM Studio')!.value,
    () => true, // write?
    () => false, // test now?
    () => false, // confirm oss_provider now? (it was just set: issue 18)
  ]);
  const code = await runSetup(ctx(), args(), p);
  expect(code).toBe(0);
  expect(p.asked.map((a) => a.kind)).toEqual(['checkbox', 'input', 'input', 'select', 'confirm', 'confirm', 'confirm']);
  expect(p.asked[6]!.message).toContain('codex-profiles test --oss');
  expect(p.asked[1]!.default).toBe('gpt-oss-20b');
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'fast.config.toml'), 'utf8'))).toEqual({ model_provider: 'ollama', model: 'gpt-oss:20b', model_context_window: 65536, web_search: 'disabled' });
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'coder.config.toml'), 'utf8'))).toMatchObject({ model: 'qwen/qwen3-coder-30b' });
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).oss_provider).toBe('lmstudio');
});

test('a model without tool support is shown but not offered (it would only be refused after the names); --allow-no-tools offers it', async () => {
  const seen: Choice<unknown>[][] = [];
  const pick = (choices?: Choice<unknown>[]) => {
    seen.push(choices!);
    return [];
  };
  // Nothing picked; the oss_provider question still comes, then nothing is written.
  const script = () => new ScriptedPrompter([pick, (choices) => choices![0]!.value, () => false]);
  await runSetup(ctx(), args(), script());
  await runSetup(ctx(), args({ allowNoTools: true }), script());
  const tiny = (cs: Choice<unknown>[]) => cs.find((c) => c.name.includes('tiny:1b'))!;
  expect(tiny(seen[0]!).disabled).toEqual(expect.stringContaining('--allow-no-tools'));
  expect(tiny(seen[1]!).disabled).toBeUndefined();
  // Models with tools stay selectable either way.
  expect(seen[0]!.find((c) => c.name.includes('gpt-oss:20b'))!.disabled).toBeUndefined();
});

test('running it again keeps existing profiles and never duplicates them', async () => {
  await runSetup(ctx({ yes: true }), args({ models: 'gpt-oss:20b', provider: ['ollama'] }));
  const before = fs.readdirSync(sb.codexHome).sort();
  const p = new ScriptedPrompter([
    (choices) => {
      const existing = choices!.find((c) => c.name.includes('gpt-oss:20b'))!;
      expect(existing.name).toContain('profile gpt-oss-20b exists');
      expect(existing.checked).toBe(true);
      return [existing.value];
    },
    (choices) => choices![0]!.value, // keep oss_provider
  ]);
  expect(await runSetup(ctx(), args(), p)).toBe(0);
  expect(fs.readdirSync(sb.codexHome).sort()).toEqual(before);
});

test('a name that clashes or that Codex rejects is refused by the prompt validation', async () => {
  await runSetup(ctx({ yes: true }), args({ models: 'gpt-oss:20b', provider: ['ollama'] }));
  const p = new ScriptedPrompter([(choices) => [choices!.find((c) => c.name.includes('tiny'))!.value], () => 'gpt-oss-20b']);
  await expect(runSetup(ctx(), args(), p)).rejects.toThrow(/already exists/);
  const q = new ScriptedPrompter([(choices) => [choices!.find((c) => c.name.includes('tiny'))!.value], () => 'a:b']);
  await expect(runSetup(ctx(), args(), q)).rejects.toThrow(/letters, digits/);
});

test('Ctrl-C at any prompt exits cleanly with nothing written', async () => {
  for (let at = 0; at < 4; at++) {
    const answers: ((c?: Choice<unknown>[]) => unknown)[] = [(c) => [c![0]!.value], () => 'fast', (c) => c![0]!.value, () => true];
    answers[at] = cancel;
    const code = await runSetup(ctx(), args(), new ScriptedPrompter(answers));
    expect(code).toBe(EXIT_CANCELLED);
    expect(fs.existsSync(sb.codexHome)).toBe(false);
  }
});

test('declining the diff writes nothing', async () => {
  const p = new ScriptedPrompter([(c) => [c![0]!.value], () => 'fast', (c) => c![0]!.value, () => false]);
  expect(await runSetup(ctx(), args(), p)).toBe(0);
  expect(fs.existsSync(sb.codexHome)).toBe(false);
});

test('unattended: --yes --models, oss_provider set from the first model when unset', async () => {
  expect(await runSetup(ctx({ yes: true }), args({ models: 'qwen/qwen3-coder-30b,gpt-oss:20b', contextWindow: false }))).toBe(0);
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'qwen3-coder-30b.config.toml'), 'utf8'))).toEqual({
    model_provider: `lmstudio-port-${lmstudio.port}`,
    model: 'qwen/qwen3-coder-30b',
    web_search: 'disabled',
  });
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8'))).toMatchObject({
    oss_provider: 'lmstudio',
    model_providers: { [`lmstudio-port-${lmstudio.port}`]: { base_url: `${lmstudio.url}/v1`, wire_api: 'responses' } },
  });
});

test('unattended with a model nobody has, or nothing to go on, is a usage error', async () => {
  await expect(runSetup(ctx({ yes: true }), args({ models: 'nope:1b' }))).rejects.toThrow(/not installed in any provider/);
  await expect(runSetup(ctx({ yes: true }), args())).rejects.toThrow(/which models/);
  expect(fs.existsSync(sb.codexHome)).toBe(false);
});

/** What the command prints to stdout in each test of the enclosing describe (emptied before each). */
function captureStdout(): string[] {
  const lines: string[] = [];
  let spy: { mockRestore(): void };
  beforeEach(() => {
    lines.length = 0;
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());
  return lines;
}

describe('issue 11: the first run', () => {
  const stdout = captureStdout();

  test('nothing running (no codex, no Ollama, no LM Studio): what is missing, with doctor\'s fixes, exit 1', async () => {
    const closed = 'http://127.0.0.1:9'; // the discard port: refused at once
    const code = await runSetup(ctx(), args({ ollamaUrl: closed, lmstudioUrl: closed }), new ScriptedPrompter([]));
    expect(code).toBe(1);
    const text = stdout.join('');
    expect(text).toContain(CODEX_INSTALL_FIX);
    expect(text).toContain(startFix('ollama'));
    expect(text).toContain(startFix('lmstudio'));
    expect(text).not.toContain('No models chosen');
    expect(fs.existsSync(sb.codexHome)).toBe(false);
  });

  test('unticking an existing profile keeps it, and says so and how to remove it', async () => {
    await runSetup(ctx({ yes: true }), args({ models: 'gpt-oss:20b', provider: ['ollama'] }));
    stdout.length = 0;
    const p = new ScriptedPrompter([() => [], (choices) => choices![0]!.value]);
    expect(await runSetup(ctx(), args(), p)).toBe(0);
    expect(stdout.join('')).toContain('Profile gpt-oss-20b is kept (unticked, but setup never removes profiles): remove it with `codex-profiles remove gpt-oss-20b`.');
    expect(fs.existsSync(path.join(sb.codexHome, 'gpt-oss-20b.config.toml'))).toBe(true);
  });

  test('a model without tool support is refused (exit 1, nothing written) unless --allow-no-tools', async () => {
    await expect(runSetup(ctx({ yes: true }), args({ models: 'tiny:1b', provider: ['ollama'] }))).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/tiny:1b: no tool calling/) });
    expect(fs.existsSync(path.join(sb.codexHome, 'tiny-1b.config.toml'))).toBe(false);
    expect(await runSetup(ctx({ yes: true }), args({ models: 'tiny:1b', provider: ['ollama'], allowNoTools: true }))).toBe(0);
    expect(fs.existsSync(path.join(sb.codexHome, 'tiny-1b.config.toml'))).toBe(true);
  });

  test('--models resolves ids as the server does: `qwen2.5-coder` is `qwen2.5-coder:latest` (and the profile names that); `gpt-oss` is not `gpt-oss:20b`', async () => {
    expect(await runSetup(ctx({ yes: true }), args({ models: 'qwen2.5-coder', contextWindow: false }))).toBe(0);
    expect(parse(fs.readFileSync(path.join(sb.codexHome, 'qwen2-5-coder.config.toml'), 'utf8'))).toEqual({ model_provider: 'ollama', model: 'qwen2.5-coder:latest', web_search: 'disabled' });
    await expect(runSetup(ctx({ yes: true }), args({ models: 'gpt-oss', provider: ['ollama'] }))).rejects.toThrow(/not installed/);
  });

  test('an invalid config.toml: refused as file:line:col, exit 2, nothing written', async () => {
    fs.mkdirSync(sb.codexHome, { recursive: true });
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), 'model = \n');
    await expect(runSetup(ctx({ yes: true }), args({ models: 'gpt-oss:20b', provider: ['ollama'] }))).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/config\.toml:1:\d+: not valid TOML/) });
    expect(fs.readdirSync(sb.codexHome)).toEqual(['config.toml']);
  });
});

describe('issue 13: where prompts go', () => {
  let cloudy: FakeOllama;
  const stdout = captureStdout();
  beforeAll(async () => {
    cloudy = await startFakeOllama({ models: [...CLOUD_MIX] });
  });
  afterAll(async () => cloudy.close());
  const cloudArgs = (over: Partial<SetupArgs> = {}) => args({ provider: ['ollama'], ollamaUrl: cloudy.url, ...over });

  test('cloud models are shown with where they go, but offered only with --allow-cloud', async () => {
    const seen: Choice<unknown>[][] = [];
    const script = () => new ScriptedPrompter([(choices) => (seen.push(choices!), []), (choices) => choices![0]!.value, () => false]);
    await runSetup(ctx(), cloudArgs(), script());
    await runSetup(ctx(), cloudArgs({ allowCloud: true }), script());
    const named = (cs: Choice<unknown>[], id: string) => cs.find((c) => c.name.includes(id))!;
    for (const id of ['gpt-oss:120b-cloud', 'kimi-k2.6:cloud']) {
      expect(named(seen[0]!, id).disabled).toEqual(expect.stringMatching(/^cloud: prompts would go to ollama\.com \(--allow-cloud offers it\)$/));
      // Said once: the disabled note says where; the name does not repeat it.
      expect(named(seen[0]!, id).name).not.toContain('→ cloud:');
      expect(named(seen[1]!, id).disabled).toBeUndefined();
      expect(named(seen[1]!, id).name).toContain('→ cloud:');
    }
    expect(named(seen[0]!, 'gpt-oss:20b').disabled).toBeUndefined();
    expect(named(seen[0]!, 'gpt-oss:20b').name).not.toContain('→');
  });

  test('unattended: a cloud model needs --allow-cloud; --json lists every choice with its locality; the summary says where prompts go', async () => {
    await expect(runSetup(ctx({ yes: true }), cloudArgs({ models: 'kimi-k2.6:cloud' }))).rejects.toMatchObject({ code: 'HOSTED_NOT_ALLOWED', message: expect.stringContaining('would go to ollama.com'), hint: expect.stringContaining('--allow-cloud') });
    expect(fs.existsSync(path.join(sb.codexHome, 'kimi-k2-6-cloud.config.toml'))).toBe(false);

    expect(await runSetup(ctx({ yes: true }), cloudArgs({ models: 'gpt-oss:20b' }))).toBe(0);
    expect(stdout.join('')).toMatch(/Where prompts go:\n {2}gpt-oss-20b: this machine \(/);

    stdout.length = 0;
    const json = makeContext({ codexHome: sb.codexHome, json: true, dryRun: true, yes: true, color: false, codexBin: path.join(sb.root, 'no-codex') }, sandboxEnv(sb));
    expect(await runSetup(json, cloudArgs({ models: 'gpt-oss:120b-cloud', allowCloud: true, force: true }))).toBe(0);
    const doc = JSON.parse(stdout.join('')) as { choices: Array<{ model: string; offered: boolean; locality: { locality: string } }>; profiles: Array<{ locality: { locality: string; place: string } }> };
    expect(doc.choices.map((c) => [c.model, c.locality.locality, c.offered])).toEqual([
      ['gpt-oss:20b', 'this-machine', true],
      ['gpt-oss:120b-cloud', 'cloud', true],
      ['kimi-k2.6:cloud', 'cloud', true],
    ]);
    expect(doc.profiles[0]!.locality).toMatchObject({ locality: 'cloud', place: 'ollama.com' });
  });
});
