/**
 * Issue 11, "the README's first run", through the built CLI: a temporary HOME and CODEX_HOME,
 * fake Ollama / LM Studio on 127.0.0.1, the real codex 0.169 for era detection.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { CODEX_BINS } from '../helpers/codex-bins.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let ollama: FakeOllama;
let sb: Sandbox;
beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'qwen2.5-coder:latest', contextLength: 32768 },
      { name: 'gpt-oss:20b', contextLength: 131072 },
      { name: 'llama2:7b', capabilities: ['completion'], contextLength: 4096 },
    ],
  });
});
afterAll(() => ollama.close());
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
});
afterEach(() => sb.cleanup());

const bin = CODEX_BINS['0.169'];
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sb, { CODEX_OSS_BASE_URL: `${ollama.url}/v1` }) });
const add = (...more: string[]) => cli(['add', ...more, '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', bin, '--yes']);
const files = () => fs.readdirSync(sb.codexHome).filter((f) => f.endsWith('.toml')).sort();

test('add qwen2.5-coder: resolved as Ollama does (:latest); the profile names the id the server lists', async () => {
  const r = await add('qwen2.5-coder');
  expect(r.code).toBe(0);
  expect(fs.readFileSync(path.join(sb.codexHome, 'qwen2-5-coder.config.toml'), 'utf8')).toContain('model = "qwen2.5-coder:latest"');
  expect(r.stdout).toMatch(/^Created 1 file\. Backup: /m);
  const gone = await cli(['remove', 'qwen2-5-coder', '--codex-home', sb.codexHome, '--yes']);
  expect(gone.stdout).toMatch(/^Removed 1 file\. Backup: /m);
});

test('an invalid config.toml: every writing command refuses with file:line:col, exit 2, nothing written', async () => {
  const cfg = path.join(sb.codexHome, 'config.toml');
  fs.writeFileSync(cfg, 'model = "x"\noss_provider = \n');
  fs.writeFileSync(path.join(sb.codexHome, 'old.config.toml'), 'model = "m"\nmodel_provider = "ollama"\n');
  const before = files();
  for (const args of [['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url], ['remove', 'old'], ['default', 'lmstudio'], ['migrate', '--to', 'table'], ['setup', '--models', 'gpt-oss:20b', '--ollama-url', ollama.url]]) {
    const r = await cli([...args, '--codex-bin', bin, '--yes']);
    expect([args[0], r.code]).toEqual([args[0], 2]);
    expect(r.stderr).toContain(`${cfg}:2:`);
    expect(r.stderr).toContain('Codex will not start with this config.toml');
  }
  expect(files()).toEqual(before);
  expect(fs.readFileSync(cfg, 'utf8')).toBe('model = "x"\noss_provider = \n');
});

test('--layout table under a files-era codex (0.169): refused without --force; with --force, written with the warning', async () => {
  const r = await add('gpt-oss:20b', '--layout', 'table');
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('0.169.0 reads profile files');
  expect(files()).toEqual([]);
  const forced = await add('gpt-oss:20b', '--layout', 'tables', '--force');
  expect(forced.code).toBe(0);
  expect(forced.stderr).toContain('0.169.0 reads profile files');
  expect(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).toContain('[profiles.gpt-oss-20b]');
});

test('--dry-run and --yes belong to the commands that write, ask or send; read-only commands reject them (yargs strict)', async () => {
  for (const cmd of [['list'], ['models'], ['doctor'], ['classify', 'hi']]) {
    for (const flag of ['--yes', '--dry-run']) {
      const r = await cli([...cmd, flag, '--codex-bin', bin]);
      expect([cmd[0], flag, r.code]).toEqual([cmd[0], flag, 2]);
      expect(r.stderr).toContain('Unknown argument');
    }
  }
  // test and audit send prompts: --dry-run shows what would run; consent is --include-hosted, not --yes.
  for (const cmd of [['test', '--all'], ['audit']]) {
    const r = await cli([...cmd, '--yes', '--codex-bin', bin]);
    expect([cmd[0], r.code]).toEqual([cmd[0], 2]);
    expect(r.stderr).toContain('Unknown argument');
  }
  const help = await cli(['remove', '--help']);
  expect(help.stdout).toContain('--dry-run');
  expect((await cli(['test', '--help'])).stdout).toContain('--dry-run');
  expect((await cli(['list', '--help'])).stdout).not.toContain('--dry-run');
});

test('a tool-less 4k model: one verdict everywhere (models, add, audit, test): an error', async () => {
  const models = await cli(['models', '--provider', 'ollama', '--ollama-url', ollama.url]);
  expect(models.stdout).toMatch(/✖ llama2:7b: no tool calling/);
  expect((await add('llama2:7b')).code).toBe(1);
  expect((await add('llama2:7b', '--allow-no-tools')).code).toBe(0);
  const audit = await cli(['audit', '--no-smoke', '--json', '--codex-bin', bin]);
  const findings = JSON.parse(audit.stdout).findings as Array<{ rule: string; severity: string }>;
  expect(findings.filter((f) => f.rule === 'model-no-tools').map((f) => f.severity)).toEqual(['error']);
  expect(findings.filter((f) => f.rule === 'model-context-small').map((f) => f.severity)).toEqual(['warn']);
  // The fake would answer OK; the pre-check fails first, so codex never runs (no prompt sent).
  const t = await cli(['test', 'llama2-7b', '--json', '--codex-bin', bin]);
  expect(t.code).toBe(1);
  expect(JSON.parse(t.stdout).results[0]).toMatchObject({ status: 'skipped', code: 'no_tool_support', fix: expect.stringContaining('tools') });
  expect(ollama.calls().filter((c) => c.includes('/v1/responses'))).toEqual([]);
});

test('docs/profiles.md shows exactly what add writes', async () => {
  expect((await add('gpt-oss:20b')).code).toBe(0);
  const written = fs.readFileSync(path.join(sb.codexHome, 'gpt-oss-20b.config.toml'), 'utf8');
  const doc = fs.readFileSync(path.resolve('docs', 'profiles.md'), 'utf8');
  const example = /Example, Codex 0\.169[^\n]*\n\n```toml\n([\s\S]*?)```/.exec(doc);
  expect(example?.[1]).toBe(written);
});
