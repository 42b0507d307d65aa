/**
 * Issue 16: what each command loads before it reaches its work. The start-up figures live in
 * bench/ (docs/performance.md); this keeps their causes from coming back unnoticed. Which source
 * files each piece of dist/ holds comes from dist/.pieces.json (written by scripts/build.mjs); the
 * pieces loaded, and the moment the work starts (first read of the Codex home, first process,
 * first request), from a preload (__tests__/helpers/load-trace.cjs). Load order in the bundle is
 * fixed, so none of this depends on timing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { writeCodexStub } from '../helpers/codex-stub.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const PRELOAD = path.join(REPO_ROOT, '__tests__', 'helpers', 'load-trace.cjs');
const HELP_0169 = fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'exec-help-0.169.txt'), 'utf8');

let ollama: FakeOllama;
let sb: Sandbox;
let stub: string;
let runs = 0;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'gpt-oss:20b', contextLength: 131072 }] });
});
afterAll(async () => ollama.close());
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), 'model = "gpt-5"\n');
  fs.writeFileSync(path.join(sb.codexHome, 'local.config.toml'), 'model_provider = "ollama"\nmodel = "gpt-oss:20b"\n');
  const bin = path.join(sb.root, 'bin');
  fs.mkdirSync(bin);
  stub = writeCodexStub(bin, { versionText: 'codex-cli 0.169.0', help: HELP_0169 });
});
afterEach(() => sb.cleanup());

/** The source files loaded before the command's work began, and what that work was. */
async function beforeWork(args: string[]): Promise<{ work: string; sources: string[] }> {
  const log = path.join(sb.root, `load-${runs++}.log`);
  const r = await runCli(args, { env: sandboxEnv(sb, { NODE_OPTIONS: `--require ${PRELOAD}`, CP_LOAD_LOG: log }) });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const pieces = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist', '.pieces.json'), 'utf8')) as Record<string, string[]>;
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  const at = lines.findIndex((l) => l.startsWith('work '));
  const loaded = lines.slice(0, at < 0 ? lines.length : at).map((l) => l.slice('load '.length));
  for (const piece of loaded) expect(Object.keys(pieces)).toContain(piece);
  return { work: at < 0 ? 'none' : lines[at]!.slice('work '.length), sources: loaded.flatMap((p) => pieces[p] ?? []) };
}

const matching = (sources: string[], re: RegExp) => sources.filter((s) => re.test(s));

test.each(['--version', '--help', 'add --help'])('%s: the parser and the command list only, no runner, colour, server or TOML code', async (line) => {
  const { work, sources } = await beforeWork(line.split(' '));
  expect(work).toBe('none');
  expect(sources).toContain('src/cli.ts');
  expect(matching(sources, /^src\/(run|config|codex|write|verify)\/|^src\/discover\/(?!types\.ts)|chalk|smol-toml|toml-eslint-parser/)).toEqual([]);
});

test('list and test: their first read of the Codex home comes before the server registry and the syntax parser load', async () => {
  for (const args of [['list', '--json'], ['test', '--all', '--dry-run', '--codex-bin', stub]]) {
    const { work, sources } = await beforeWork(args);
    expect(work).toMatch(/^(read|spawn)/);
    expect(sources).toContain(`src/run/${args[0]}.ts`);
    expect(matching(sources, /src\/discover\/registry\.ts|src\/codex\/destination\.ts|toml-eslint-parser|execa/)).toEqual([]);
  }
});

test('models: its first request goes out before any TOML code loads', async () => {
  const { work, sources } = await beforeWork(['models', '--json', '--provider', 'ollama', '--ollama-url', ollama.url]);
  expect(work).toBe('request');
  expect(sources).toContain('src/discover/registry.ts');
  expect(matching(sources, /^src\/config\/|smol-toml|toml-eslint-parser/)).toEqual([]);
});

test('add: its first read or request comes before the planner, the diff, the confirmation and the writer load', async () => {
  const { work, sources } = await beforeWork(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', stub, '--dry-run']);
  expect(work).toMatch(/^(read|request)/);
  expect(sources).toContain('src/run/add.ts');
  // src/write/'s journal check and file reader are every command's; the writer itself is not.
  expect(matching(sources, /src\/plan\/add\.ts|src\/ui\/confirm\.ts|src\/write\/(?!recover-start|state-dir|read-file)|toml-eslint-parser|node_modules\/diff\//)).toEqual([]);
});
