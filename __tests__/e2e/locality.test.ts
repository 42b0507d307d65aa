/**
 * Issue 13, end to end: cloud models need --allow-cloud, --web-search keeps the tool, and the
 * real Codex loads what add writes under --strict-config (0.169). Fake servers on 127.0.0.1 only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parse } from 'smol-toml';
import { parseJson, REPO_ROOT, runCli } from '../helpers/cli.js';
import { writeCodexStub } from '../helpers/codex-stub.js';
import { CODEX_BINS, decoyBaseConfig, LAYOUT_OF } from '../helpers/codex-bins.js';
import { CLOUD_MIX, startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let ollama: FakeOllama;
let decoy: ResponsesServer;
let sb: Sandbox;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [...CLOUD_MIX] });
  decoy = await startResponsesServer({ text: 'DECOY' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), decoy.close()]);
});
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), decoyBaseConfig(decoy.baseUrl));
});
afterEach(() => sb.cleanup());

const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sb) });
const profileFile = (name: string) => parse(fs.readFileSync(path.join(sb.codexHome, `${name}.config.toml`), 'utf8'));

test.each(['gpt-oss:120b-cloud', 'kimi-k2.6:cloud'])('add %s is refused without --allow-cloud, and says where prompts would go', async (model) => {
  const r = await cli(['add', model, '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--yes']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('ollama.com');
  expect(r.stderr).toContain('--allow-cloud');
  expect(fs.readdirSync(sb.codexHome)).toEqual(['config.toml']);

  const ok = await cli(['add', model, '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--allow-cloud', '--name', 'c', '--yes', '--json']);
  expect(ok.code).toBe(0);
  expect(parseJson(ok).profile).toMatchObject({ name: 'c', locality: { locality: 'cloud', place: 'ollama.com' } });
});

/** Runs the real codex once with the profile (--strict-config) and returns the tools it offered the model. */
async function toolsOffered(v: keyof typeof CODEX_BINS, profile: string): Promise<string[]> {
  const seen = ollama.requests.length;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [CODEX_BINS[v], 'exec', '--strict-config', '--skip-git-repo-check', '-p', profile, 'Reply with exactly OK'], {
      env: sandboxEnv(sb),
      cwd: sb.root,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.on('close', resolve);
  });
  expect(code).toBe(0);
  const sent = ollama.requests.slice(seen).filter((q) => q.path === '/v1/responses');
  expect(sent).toHaveLength(1);
  return (sent[0]!.json as { tools: Array<{ type: string; name?: string }> }).tools.map((t) => t.name ?? t.type);
}

test('--web-search keeps the tool: no web_search key is written, and the real codex offers it', async () => {
  const r = await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--web-search', '--yes']);
  expect(r.code).toBe(0);
  expect(profileFile('gpt-oss-20b')).not.toHaveProperty('web_search');
  expect(await toolsOffered('0.169', 'gpt-oss-20b')).toContain('web_search');
});

test.each(['0.169', '0.133', '0.131'] as const)('the real Codex %s loads the written profile (file or [profiles.NAME] table) under --strict-config and offers no web_search tool', async (v) => {
  const r = await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS[v], '--yes', '--json']);
  expect(r.code).toBe(0);
  expect(parseJson(r).profile).toMatchObject({ web_search: 'disabled', locality: { locality: 'this-machine' } });
  const written = LAYOUT_OF[v] === 'file' ? profileFile('gpt-oss-20b') : (parse(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).profiles as Record<string, unknown>)['gpt-oss-20b'];
  expect(written).toMatchObject({ web_search: 'disabled' });
  const tools = await toolsOffered(v, 'gpt-oss-20b');
  expect(tools.length).toBeGreaterThan(0);
  expect(tools).not.toContain('web_search');
  expect(decoy.requests).toHaveLength(0);
});

test('models --json: every model carries locality; cloud models (both suffixes, with and without remote_host) are cloud', async () => {
  const r = await cli(['models', '--provider', 'ollama', '--ollama-url', ollama.url, '--json']);
  expect(r.code).toBe(0);
  const models = (parseJson(r).providers as Array<{ models: Array<{ id: string; locality: { locality: string; reason: string } }> }>)[0]!.models;
  const by = Object.fromEntries(models.map((m) => [m.id, m.locality.locality]));
  expect(by).toEqual({ 'gpt-oss:20b': 'this-machine', 'gpt-oss:120b-cloud': 'cloud', 'kimi-k2.6:cloud': 'cloud' });
  for (const m of models) expect(m.locality.reason.length).toBeGreaterThan(0);
  const text = await cli(['models', '--provider', 'ollama', '--ollama-url', ollama.url]);
  expect(text.stdout).toContain('Not on this machine');
});

test('list --json: every profile carries locality (a TEST-NET host and a name that resolves nowhere are only classified)', async () => {
  const table = (id: string, url: string) => `[model_providers.${id}]\nname = "${id}"\nbase_url = "${url}"\nwire_api = "responses"\n`;
  fs.writeFileSync(path.join(sb.codexHome, 'here.config.toml'), 'model_provider = "ollama"\nmodel = "gpt-oss:20b"\n');
  fs.writeFileSync(path.join(sb.codexHome, 'box.config.toml'), `model_provider = "box"\nmodel = "m"\n\n${table('box', 'http://192.0.2.1:11434/v1')}`);
  fs.writeFileSync(path.join(sb.codexHome, 'lan.config.toml'), `model_provider = "lan"\nmodel = "m"\n\n${table('lan', 'http://gpu-box.invalid.lan:11434/v1')}`);
  fs.writeFileSync(path.join(sb.codexHome, 'cl.config.toml'), 'model_provider = "ollama"\nmodel = "kimi-k2.6:cloud"\n');
  const r = await cli(['list', '--json']);
  expect(r.code).toBe(0);
  const got = Object.fromEntries((parseJson(r).profiles as Array<{ name: string; locality: { locality: string } }>).map((p) => [p.name, p.locality.locality]));
  expect(got).toEqual({ here: 'this-machine', box: 'network', lan: 'network', cl: 'cloud' });
});


test('test explains a failure caused by an administrator pin (managed_config.toml in the test system folder, never /etc)', async () => {
  expect((await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--yes'])).code).toBe(0);
  // What a pinned codex does: it runs the pinned provider and model, whatever the profile says.
  const bin = path.join(sb.root, 'bin');
  fs.mkdirSync(bin);
  const help = fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'exec-help-0.169.txt'), 'utf8');
  const codex = writeCodexStub(bin, { versionText: 'codex-cli 0.169.0', help, answer: 'OK', provider: 'openai', model: 'gpt-5' });
  const run = async () => parseJson<{ results: Array<{ status: string; code: string; message: string; fix: string }> }>(await cli(['test', 'gpt-oss-20b', '--no-tools', '--json', '--codex-bin', codex])).results[0]!;

  const plain = await run();
  expect(plain).toMatchObject({ status: 'fail', code: 'wrong_target' });
  expect(plain.message).not.toContain('administrator');

  const sys = sandboxEnv(sb).CODEX_PROFILES_SYSTEM_CONFIG_DIR!;
  fs.mkdirSync(sys, { recursive: true });
  fs.writeFileSync(path.join(sys, 'managed_config.toml'), 'model_provider = "openai"\n');
  const pinned = await run();
  expect(pinned).toMatchObject({ status: 'fail', code: 'wrong_target' });
  expect(pinned.message).toContain(`because the administrator pins model_provider = "openai" (${path.join(sys, 'managed_config.toml')})`);
  expect(pinned.fix).toMatch(/^Ask whoever manages this machine to lift the pin/);
});
