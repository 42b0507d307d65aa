/**
 * `add`, `remove`, `default` through the built CLI, in a temporary CODEX_HOME, against fake
 * providers on 127.0.0.1; then the REAL Codex of each era runs `-p NAME` on what was written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { detectCodex } from '../../src/codex/detect.js';
import { runCodexExec } from '../../src/codex/exec.js';
import { parseJson, runCli } from '../helpers/cli.js';
import { CODEX_BINS, LAYOUT_OF, decoyBaseConfig, type CodexVersion } from '../helpers/codex-bins.js';
import { startFakeLmStudio, type FakeLmStudio } from '../helpers/fake-lmstudio.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let ollama: FakeOllama;
let lmstudio: FakeLmStudio;
let decoy: ResponsesServer;
let sb: Sandbox;

const HOSTILE = 'evil"model\\x:1\u00e9';

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'gpt-oss:20b', contextLength: 131072, parameterSize: '20.9B', loaded: true, loadedContextLength: 65536 },
      { name: 'tiny:1b', capabilities: ['completion'], contextLength: 4096 },
      { name: 'nomic-embed-text:latest', capabilities: ['embedding'] },
      { name: HOSTILE, contextLength: 65536 },
    ],
  });
  lmstudio = await startFakeLmStudio({ models: [{ key: 'qwen/qwen3-coder-30b', maxContextLength: 262144 }] });
  decoy = await startResponsesServer({ text: 'DECOY' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), lmstudio.close(), decoy.close()]);
});
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), '# my settings\n' + decoyBaseConfig(`${decoy.baseUrl}`) + '\n[mcp_servers.docs]\ncommand = "docs-mcp"\n');
});
afterEach(() => sb.cleanup());

const cfg = () => fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8');

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return runCli(args, { env: sandboxEnv(sb, extraEnv) });
}

describe.each(Object.keys(CODEX_BINS) as CodexVersion[])('codex %s', (version) => {
  test('a profile written by add answers OK through the real codex, for Ollama and LM Studio', async () => {
    const bin = CODEX_BINS[version];
    const before = cfg();
    const a = await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', bin, '--yes', '--json']);
    expect(a.code).toBe(0);
    const ra = parseJson(a);
    expect(ra.profile).toMatchObject({ name: 'gpt-oss-20b', provider: `ollama-port-${ollama.port}`, layout: LAYOUT_OF[version], model_context_window: 65536 });
    const b = await cli(['add', 'qwen/qwen3-coder-30b', '--provider', 'lmstudio', '--lmstudio-url', lmstudio.url, '--name', 'coder', '--codex-bin', bin, '--yes']);
    expect(b.code).toBe(0);

    // Every byte of the original config.toml is still there, in order.
    const after = cfg();
    if (LAYOUT_OF[version] === 'file') {
      expect(fs.existsSync(path.join(sb.codexHome, 'gpt-oss-20b.config.toml'))).toBe(true);
      expect(fs.existsSync(path.join(sb.codexHome, 'coder.config.toml'))).toBe(true);
    } else {
      expect((parse(after).profiles as Record<string, unknown>)['gpt-oss-20b']).toMatchObject({ model: 'gpt-oss:20b' });
    }
    expect(after.startsWith(before.replace(/\n\[mcp_servers\.docs\][\s\S]*$/, ''))).toBe(true);
    expect(after).toContain('[mcp_servers.docs]\ncommand = "docs-mcp"\n');

    const codex = await detectCodex({ codexBin: bin, env: sandboxEnv(sb) });
    expect(codex.layout).toBe(LAYOUT_OF[version]);
    for (const [name, fake, model] of [['gpt-oss-20b', ollama, 'gpt-oss:20b'], ['coder', lmstudio, 'qwen/qwen3-coder-30b']] as const) {
      const seen = fake.requests.length;
      const r = await runCodexExec({ codex, codexHome: sb.codexHome, profile: name, prompt: 'Reply with exactly OK', timeoutMs: 30_000, env: sandboxEnv(sb) });
      expect(r.finalMessage?.trim()).toBe('OK');
      expect(r.reportedModel).toBe(model);
      const got = fake.requests.slice(seen).filter((q) => q.path === '/v1/responses');
      expect(got).toHaveLength(1);
      expect((got[0]!.json as { model: string }).model).toBe(model);
      // web_search = "disabled" (issue 13): the real Codex no longer offers the tool.
      const tools = (got[0]!.json as { tools?: Array<{ type: string; name?: string }> }).tools ?? [];
      expect(tools.length).toBeGreaterThan(0);
      expect(tools.map((t) => t.name ?? t.type)).not.toContain('web_search');
    }
    expect(decoy.requests).toHaveLength(0);
  });
});

test('with CODEX_OSS_BASE_URL pointing at the server, the built-in ollama id is used (no provider table)', async () => {
  const env = { CODEX_OSS_BASE_URL: `${ollama.url}/v1` };
  const r = await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--yes', '--json'], env);
  expect(r.code).toBe(0);
  const file = fs.readFileSync(path.join(sb.codexHome, 'gpt-oss-20b.config.toml'), 'utf8');
  expect(parse(file)).toEqual({ model_provider: 'ollama', model: 'gpt-oss:20b', model_context_window: 65536, web_search: 'disabled' });
  expect(cfg()).not.toContain('[model_providers.ollama');
  const codex = await detectCodex({ codexBin: CODEX_BINS['0.169'], env: sandboxEnv(sb) });
  const run = await runCodexExec({ codex, codexHome: sb.codexHome, profile: 'gpt-oss-20b', prompt: 'Reply with exactly OK', timeoutMs: 30_000, env: sandboxEnv(sb, env) });
  expect(run.finalMessage?.trim()).toBe('OK');
  expect(run.reportedProvider).toBe('ollama');
});

test('a model the provider does not have is refused with how to get it; nothing is downloaded or written', async () => {
  const before = cfg();
  const r = await cli(['add', 'llama3.3:70b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--yes']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('not installed in Ollama');
  expect(r.stderr).toContain('ollama pull llama3.3:70b');
  expect(cfg()).toBe(before);
  expect(fs.readdirSync(sb.codexHome).filter((f) => f.endsWith('.config.toml'))).toEqual([]);
  expect(ollama.calls().filter((c) => c.includes('/api/pull') || c.includes('/api/generate'))).toEqual([]);
});

test('embedding models are refused; a tool-less model is refused (an error, as in audit and test) unless --allow-no-tools; small context: a warning', async () => {
  const e = await cli(['add', 'nomic-embed-text:latest', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--yes']);
  expect(e.code).toBe(2);
  expect(e.stderr).toContain('embedding model');
  const args = ['add', 'tiny:1b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--yes'];
  const refused = await cli(args);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('tiny:1b: no tool calling');
  expect(refused.stderr).toContain('--allow-no-tools');
  expect(fs.existsSync(path.join(sb.codexHome, 'tiny-1b.config.toml'))).toBe(false);
  const t = await cli([...args, '--allow-no-tools']);
  expect(t.code).toBe(0);
  expect(t.stderr).toMatch(/✖ tiny:1b: no tool calling/);
  expect(t.stderr).toMatch(/! tiny:1b: the model supports only 4k tokens of context/);
  expect(fs.existsSync(path.join(sb.codexHome, 'tiny-1b.config.toml'))).toBe(true);
});

test('a hostile model name comes out as valid TOML that parses back to exactly that id', async () => {
  const r = await cli(['add', HOSTILE, '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.133'], '--yes', '--json']);
  expect(r.code).toBe(0);
  const name = parseJson(r).profile.name as string;
  expect(name).toMatch(/^[a-z0-9_-]+$/);
  const data = parse(cfg()) as { profiles: Record<string, { model: string }> };
  expect(data.profiles[name]!.model).toBe(HOSTILE);
});

test('names: taken names are refused without --force; --force updates only our keys', async () => {
  const bin = CODEX_BINS['0.169'];
  const base = ['--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', bin, '--yes'];
  expect((await cli(['add', 'gpt-oss:20b', ...base, '--name', 'fast'])).code).toBe(0);
  const file = path.join(sb.codexHome, 'fast.config.toml');
  fs.appendFileSync(file, 'approval_policy = "never" # mine\n');
  const again = await cli(['add', 'tiny:1b', ...base, '--name', 'fast']);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('already exists');
  expect((await cli(['add', 'tiny:1b', ...base, '--name', 'fast', '--force', '--allow-no-tools'])).code).toBe(0);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('approval_policy = "never" # mine');
  expect(parse(text)).toMatchObject({ model: 'tiny:1b', approval_policy: 'never' });
  const bad = await cli(['add', 'gpt-oss:20b', ...base, '--name', 'a:b']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('not a profile name Codex accepts');
});

test('adding the same model twice does not duplicate it', async () => {
  const args = ['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--yes'];
  expect((await cli(args)).code).toBe(0);
  const second = await cli(args);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('already exists');
  expect(fs.readdirSync(sb.codexHome).filter((f) => f.endsWith('.config.toml'))).toEqual(['gpt-oss-20b.config.toml']);
});

test('--dry-run shows the diff and writes nothing; without a terminal and without --yes it asks for flags', async () => {
  const before = cfg();
  const dry = await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.131'], '--dry-run']);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('+[profiles.gpt-oss-20b]');
  expect(dry.stdout).toContain('Dry run: nothing was written.');
  expect(dry.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
  expect(cfg()).toBe(before);
  const noTty = await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.131']]);
  expect(noTty.code).toBe(2);
  expect(noTty.stderr).toContain('--yes');
  expect(cfg()).toBe(before);
});

test('a hosted profile, remove and default', async () => {
  const bin = CODEX_BINS['0.169'];
  const h = await cli(['add', 'gpt-5', '--hosted', '--name', 'hosted', '--codex-bin', bin, '--yes']);
  expect(h.code).toBe(0);
  expect(parse(fs.readFileSync(path.join(sb.codexHome, 'hosted.config.toml'), 'utf8'))).toEqual({ model_provider: 'openai', model: 'gpt-5' });
  expect((await cli(['add', 'gpt-5', '--hosted', '--codex-bin', bin, '--yes'])).code).toBe(2); // a hosted profile needs --name

  const d = await cli(['default', 'lmstudio', '--yes']);
  expect(d.code).toBe(0);
  expect(parse(cfg()).oss_provider).toBe('lmstudio');
  expect(cfg()).toContain('model_provider = "decoy"\noss_provider = "lmstudio"\n');

  const rm = await cli(['remove', 'hosted', '--yes', '--json']);
  expect(rm.code).toBe(0);
  expect(parseJson(rm).removed).toEqual(['hosted']);
  expect(fs.existsSync(path.join(sb.codexHome, 'hosted.config.toml'))).toBe(false);
  expect((await cli(['remove', 'nosuch', '--yes'])).code).toBe(2);

  const list = parseJson(await cli(['list', '--json']));
  expect(list.ossProvider).toBe('lmstudio');
  expect(list.profiles).toEqual([]);
});

test('remove of a table profile takes its comments and gives back the config as it was', async () => {
  const before = cfg();
  const bin = CODEX_BINS['0.133'];
  expect((await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', bin, '--yes', '--context-window', '0'])).code).toBe(0);
  expect(cfg()).toContain('# Codex profile "gpt-oss-20b"');
  expect((await cli(['remove', 'gpt-oss-20b', '--yes'])).code).toBe(0);
  // The provider table we added stays (other profiles may use it); the profile is gone and
  // every other byte is as it was.
  const providerBlock = `[model_providers.ollama-port-${ollama.port}]\nname = "Ollama on 127.0.0.1:${ollama.port}"\nbase_url = "${ollama.url}/v1"\nwire_api = "responses"\n\n`;
  expect(cfg()).not.toContain('profiles');
  expect(cfg().replace(providerBlock, '')).toBe(before);
});

test('a codex that will not say what it is: refuse to guess the layout; --layout decides', async () => {
  const broken = path.join(sb.root, 'codex');
  fs.writeFileSync(broken, `#!${process.execPath}\nprocess.stderr.write('segfault\\n'); process.exit(3);\n`, { mode: 0o755 });
  const before = cfg();
  const args = ['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', broken, '--yes'];
  const r = await cli(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('could not tell which profile layout');
  expect(r.stderr).toContain('--layout');
  expect(cfg()).toBe(before);
  expect((await cli([...args, '--layout', 'table'])).code).toBe(0);
  expect((parse(cfg()) as { profiles: Record<string, unknown> }).profiles['gpt-oss-20b']).toBeDefined();
});
