/**
 * `codex-profiles test --oss`: the guarded confirmation of oss_provider, with the REAL codex
 * binaries and fake Ollama / LM Studio servers. The built-in ids reach the fakes through
 * CODEX_OSS_BASE_URL (what Codex reads for `--oss`). What the fakes received is the proof: the
 * prompt reached the oss_provider's server, and nothing ever asked for a download (`/api/pull`).
 */
import os from 'node:os';
import { baseConfig, cli, fileProfile, LMS_MODEL, makeHome, OLLAMA_MODEL, parseJson, PROMPT, providerToml, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';
import { runCodexBin } from '../helpers/codex-bins.js';
import { refusedPort } from '../helpers/fake-http.js';

const responses = (s: { requests: Array<{ method: string; path: string; json?: unknown }> }) =>
  s.requests.filter((q) => q.method === 'POST' && q.path === '/v1/responses').map((q) => q.json as { model: string; input: Array<{ role?: string; content?: Array<{ text?: string }> }> });
const pulls = (f: Fakes) => f.ollama.calls().filter((c) => /\/api\/(pull|create|copy|delete)/.test(c));

let f: Fakes;
beforeAll(async () => {
  f = await startFakes({
    ollamaModels: [
      // Listed first, and no tools: the chooser must pass it over.
      { name: 'notools:1b', capabilities: ['completion'] },
      { name: 'nomic-embed-text:latest', capabilities: ['embedding'] },
      { name: OLLAMA_MODEL, contextLength: 131072 },
      { name: 'llama3.2:latest', contextLength: 131072 },
    ],
  });
});
afterAll(async () => {
  await f.close();
});
beforeEach(() => f.reset());

function home(oss: string | undefined, env: NodeJS.ProcessEnv = {}): Home {
  const h = makeHome(f, env);
  h.write('config.toml', baseConfig(f.decoy, oss ? `oss_provider = "${oss}"` : ''));
  return h;
}

describe.each(['0.131', '0.133', '0.169', '0.171'])('codex %s', (v) => {
  test('test --oss --json: an installed model chosen (tools first), the prompt reached the Ollama oss_provider names, nothing pulled, exit 0', async () => {
    const h = home('ollama');
    const r = await cli(v, h, ['test', '--oss', '--json', '--timeout', '60']);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    expect(doc).toMatchObject({ ok: true, oss: true, codex: { version: `${v}.0` } });
    expect(doc.result).toMatchObject({ status: 'pass', ossProvider: 'ollama', serverUrl: f.ollama.url, model: OLLAMA_MODEL, modelChoice: 'picked', reportedProvider: 'ollama', reportedModel: OLLAMA_MODEL, answer: 'OK' });
    expect(doc.result.args).toEqual(expect.arrayContaining(['--oss', '-m', OLLAMA_MODEL]));
    expect(doc.result.args).not.toContain('-p');
    const bodies = responses(f.ollama);
    expect(bodies.map((b) => b.model)).toEqual([OLLAMA_MODEL]);
    const users = bodies[0]!.input.filter((i) => i.role === 'user');
    expect(users[users.length - 1]?.content?.[0]?.text).toBe(PROMPT);
    expect(pulls(f)).toEqual([]);
    expect(f.lms.requests).toEqual([]);
    expect(f.decoy.requests).toEqual([]);
    h.sb.cleanup();
  });
});

describe.each(['0.131', '0.171'])('codex %s, LM Studio', (v) => {
  test('oss_provider = "lmstudio": --model as listed, the prompt reached LM Studio, not Ollama', async () => {
    const h = home('lmstudio', { CODEX_OSS_BASE_URL: `${f.lms.url}/v1` });
    const r = await cli(v, h, ['test', '--oss', '--model', LMS_MODEL, '--json', '--timeout', '60']);
    expect(r.code).toBe(0);
    expect(parseJson(r).result).toMatchObject({ status: 'pass', ossProvider: 'lmstudio', modelChoice: 'given', reportedProvider: 'lmstudio', reportedModel: LMS_MODEL });
    // Codex's --oss for LM Studio sends a load request of its own before the prompt (seen): every one is for the model.
    expect(new Set(responses(f.lms).map((b) => b.model))).toEqual(new Set([LMS_MODEL]));
    expect(f.ollama.requests).toEqual([]);
    expect(f.decoy.requests).toEqual([]);
    h.sb.cleanup();
  });
});

describe('checks before codex runs (codex 0.171)', () => {
  const v = '0.171';

  test('a missing model: reported, codex never started, nothing pulled, exit 1', async () => {
    const h = home('ollama');
    const r = await cli(v, h, ['test', '--oss', '--model', 'gpt-oss:20b', '--json']);
    expect(r.code).toBe(1);
    const doc = parseJson(r);
    expect(doc.ok).toBe(false);
    expect(doc.result).toMatchObject({ status: 'skipped', code: 'model_missing', model: 'gpt-oss:20b' });
    expect(doc.result.fix).toContain('ollama pull gpt-oss:20b');
    expect(doc.result.args).toBeUndefined();
    expect(pulls(f)).toEqual([]);
    expect(responses(f.ollama)).toEqual([]);
    // Only reads: the listing, never a write or a prompt.
    expect(f.ollama.calls().every((c) => c.startsWith('GET ') || c === 'POST /api/show')).toBe(true);
    h.sb.cleanup();
  });

  test('a name Codex would not find as listed (llama3.2 vs llama3.2:latest) is passed as listed: no pull', async () => {
    const h = home('ollama');
    const r = await cli(v, h, ['test', '--oss', '--model', 'llama3.2', '--json', '--timeout', '60']);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    expect(doc.result).toMatchObject({ status: 'pass', modelChoice: 'resolved', model: 'llama3.2:latest', reportedModel: 'llama3.2:latest' });
    expect(doc.result.args).toEqual(expect.arrayContaining(['-m', 'llama3.2:latest']));
    expect(doc.result.warnings.join(' ')).toMatch(/compares names exactly/);
    expect(pulls(f)).toEqual([]);
    h.sb.cleanup();
  });

  test('the server is down: provider_down, exit 1, codex not started; human output says nothing was sent', async () => {
    const port = await refusedPort();
    const h = home('ollama', { CODEX_OSS_BASE_URL: `http://127.0.0.1:${port}/v1` });
    const r = await cli(v, h, ['test', '--oss']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('SKIPPED');
    expect(r.stdout).toContain(`http://127.0.0.1:${port}`);
    expect(r.stdout).toContain('codex was not started; nothing was sent or downloaded.');
    expect(f.ollama.requests).toEqual([]);
    h.sb.cleanup();
  });

  test('oss_provider pointing at the wrong kind of server: wrong_server, nothing sent to it but the listing', async () => {
    const h = home('ollama', { CODEX_OSS_BASE_URL: `${f.lms.url}/v1` });
    const r = await cli(v, h, ['test', '--oss', '--json']);
    expect(r.code).toBe(1);
    expect(parseJson(r).result).toMatchObject({ status: 'skipped', code: 'wrong_server' });
    expect(responses(f.lms)).toEqual([]);
    h.sb.cleanup();
  });

  test('no oss_provider: oss_provider_unset with the fix, exit 1, no request anywhere', async () => {
    const h = home(undefined);
    const r = await cli(v, h, ['test', '--oss', '--json']);
    expect(r.code).toBe(1);
    expect(parseJson(r).result).toMatchObject({ status: 'skipped', code: 'oss_provider_unset' });
    expect(parseJson(r).result.fix).toContain('codex-profiles default ollama');
    expect(f.ollama.requests).toEqual([]);
    h.sb.cleanup();
  });

  test('--dry-run: the checks and the codex command line, no request at all', async () => {
    const h = home('ollama');
    const r = await cli(v, h, ['test', '--oss', '--model', OLLAMA_MODEL, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Dry run: confirm oss_provider ollama at ${f.ollama.url}`);
    expect(r.stdout).toMatch(/codex exec --skip-git-repo-check --ephemeral -o LAST_MESSAGE_FILE --oss -m qwen3:8b -- 'Reply with exactly OK'/);
    expect(f.ollama.requests).toEqual([]);
    h.sb.cleanup();
  });

  test('usage: --oss with profile names, or --model without --oss: exit 2', async () => {
    const h = home('ollama');
    const a = await cli(v, h, ['test', '--oss', 'qwen-local']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--oss confirms oss_provider on its own');
    const b = await cli(v, h, ['test', 'qwen-local', '--model', 'x']);
    expect(b.code).toBe(2);
    expect(f.ollama.requests).toEqual([]);
    h.sb.cleanup();
  });
});

describe('one-off equivalents (list, add)', () => {
  const v = '0.171';
  const setUp = (): Home => {
    const h = home('ollama');
    h.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
    // A table of its own at exactly where the built-in `ollama` points: the same route.
    h.write('same.config.toml', fileProfile('ollama-here', 'llama3.2:latest', providerToml('ollama-here', `${f.ollama.url}/v1`)));
    // Another URL: no --oss form reaches it.
    h.write('elsewhere.config.toml', fileProfile('lms', LMS_MODEL, providerToml('lms', `${f.lms.url}/v1`)));
    h.write('hosted.config.toml', 'model = "gpt-5.2-codex"\nmodel_provider = "openai"\n');
    return h;
  };

  test('list --json: an `equivalent` per profile', async () => {
    const h = setUp();
    const fast = await cli(v, h, ['list', '--json']);
    const by = Object.fromEntries(parseJson(fast).profiles.map((p: { name: string; equivalent: unknown }) => [p.name, p.equivalent]));
    expect(by.oll).toMatchObject({ command: `codex exec --oss --local-provider ollama -m ${OLLAMA_MODEL}`, args: ['exec', '--oss', '--local-provider', 'ollama', '-m', OLLAMA_MODEL] });
    expect(by.same).toMatchObject({ command: 'codex exec --oss --local-provider ollama -m llama3.2:latest' });
    expect(by.elsewhere).toMatchObject({ command: null, note: expect.stringContaining(`custom provider \`lms\` at ${f.lms.url}/v1`) });
    expect(by.hosted).toMatchObject({ command: null, note: expect.stringContaining('not a local profile') });
  });

  test('list (text): the equivalents under the table, hosted profiles left out', async () => {
    const h = setUp();
    const fast = await cli(v, h, ['list']);
    const tail = fast.stdout.slice(fast.stdout.indexOf('One-off equivalents'));
    expect(tail).toMatch(new RegExp(`oll\\s+codex exec --oss --local-provider ollama -m ${OLLAMA_MODEL.replace('.', '\\.')}`));
    expect(tail).toMatch(/elsewhere\s+none: custom provider `lms`/);
    expect(tail).toContain('--oss downloads the model when the server does not have it');
    expect(tail).not.toContain('hosted');
  });

  test('the equivalent really routes the same way: run as printed, the prompt reaches the fake Ollama', async () => {
    const h = setUp();
    const eq = parseJson(await cli(v, h, ['list', '--json'])).profiles.find((p: { name: string }) => p.name === 'same').equivalent;
    f.reset();
    const r = await runCodexBin(v, [...eq.args.slice(0, 1), '--skip-git-repo-check', '--ephemeral', ...eq.args.slice(1), '--', PROMPT], { env: h.env, cwd: os.tmpdir() });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/provider: ollama/);
    expect(responses(f.ollama).map((b) => b.model)).toEqual(['llama3.2:latest']);
    expect(pulls(f)).toEqual([]);
    expect(f.decoy.requests).toEqual([]);
  });

  test("add's closing lines name the equivalent", async () => {
    const h = home('ollama');
    const r = await cli(v, h, ['add', OLLAMA_MODEL, '--provider', 'ollama', '--ollama-url', f.ollama.url, '--name', 'q', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`One-off equivalent (this run only, no profile): codex exec --oss --local-provider ollama -m ${OLLAMA_MODEL}`);
  });
});


describe('default offers the confirmation after setting oss_provider', () => {
  const v = '0.171';
  test('without a terminal: the command to run, no question, nothing sent', async () => {
    const h = home(undefined);
    const r = await cli(v, h, ['default', 'ollama', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Confirm it any time: codex-profiles test --oss');
    expect(responses(f.ollama)).toEqual([]);
    h.sb.cleanup();
  });

  test('--test: set, then confirmed with the real codex --oss (exit 0); --json never runs it', async () => {
    const h = home(undefined);
    const r = await cli(v, h, ['default', 'ollama', '--yes', '--test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/oss_provider ollama at .*: pass/);
    expect(responses(f.ollama).map((b) => b.model)).toEqual([OLLAMA_MODEL]);
    expect(pulls(f)).toEqual([]);
    f.reset();
    const j = await cli(v, h, ['default', 'lmstudio', '--yes', '--test', '--json']);
    expect(j.code).toBe(0);
    expect(parseJson(j)).toMatchObject({ ok: true, ossProvider: 'lmstudio', next: 'codex-profiles test --oss' });
    expect(f.ollama.requests.concat(f.lms.requests)).toEqual([]);
    h.sb.cleanup();
  });
});
