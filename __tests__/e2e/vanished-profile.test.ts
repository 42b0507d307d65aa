/**
 * Issue 17: the profile file is checked, then `codex exec -p NAME` starts; if the file vanishes in
 * between, Codex >= 0.134 silently runs the base config. The seam: a wrapper in front of the REAL
 * codex 0.169 that deletes `$CODEX_HOME/NAME.config.toml` right before it starts codex (after
 * every pre-check of codex-profiles). The base config's provider is the decoy, standing in for a
 * hosted model: it must receive nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseJson, runCli } from '../helpers/cli.js';
import { baseConfig, codexBin, fileProfile, makeHome, OLLAMA_MODEL, providerToml, responsesCalls, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';
import { startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';

/** A codex that loses the profile file just before it runs (never for `--version` / `--help`). */
function writeVanishingCodex(dir: string, realBin: string): string {
  const file = path.join(dir, 'vanishing-codex.js');
  fs.writeFileSync(
    file,
    `const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
if (args[0] === 'exec' && !args.includes('--help')) {
  const i = args.findIndex((a) => a === '-p' || a === '--profile' || a === '--profile-v2');
  if (i >= 0) fs.rmSync(path.join(process.env.CODEX_HOME, args[i + 1] + '.config.toml'), { force: true });
}
const r = spawnSync(process.execPath, [${JSON.stringify(realBin)}, ...args], { stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
`,
  );
  return file;
}

let f: Fakes;
let home: Home;
let bin: string;
let local: ResponsesServer;
let cloud: ResponsesServer;

beforeAll(async () => {
  f = await startFakes();
  local = await startResponsesServer({ text: 'LOCAL' });
  cloud = await startResponsesServer({ text: 'HOSTED' });
  home = makeHome(f, { CODEX_PROFILES_HOSTED_PROVIDERS: 'cloudish' });
  bin = writeVanishingCodex(home.sb.root, codexBin('0.169'));
});
afterAll(async () => {
  await Promise.all([f.close(), local.close(), cloud.close()]);
  home.sb.cleanup();
});
beforeEach(() => {
  f.reset();
  local.requests.length = 0;
  cloud.requests.length = 0;
  home.write('config.toml', baseConfig(f.decoy));
});
afterEach(() => {
  // Whatever happened, nothing fell back to the base config's provider.
  expect(f.decoy.requests).toEqual([]);
});

test('test: the run is pinned to the profile\'s provider and model, so the prompt still goes there', async () => {
  home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
  const r = await runCli(['test', 'oll', '--json', '--timeout', '60', '--codex-bin', bin], { env: home.env, timeoutMs: 120_000 });
  const row = parseJson<{ results: Array<Record<string, unknown>> }>(r).results[0]!;
  expect(fs.existsSync(home.path('oll.config.toml'))).toBe(false); // the seam did run
  expect(row).toMatchObject({ status: 'pass', reportedProvider: 'ollama', reportedModel: OLLAMA_MODEL });
  expect(row.args).toEqual(expect.arrayContaining(['-c', 'model_provider="ollama"', `model="${OLLAMA_MODEL}"`]));
  expect(responsesCalls(f.ollama)).toHaveLength(1);
});

test('compare: a profile whose provider lived in the vanished file fails; the other stays on its own provider', async () => {
  const noRetries = 'request_max_retries = 0\nstream_max_retries = 0\n';
  // `local` defines its provider in its own file; the hosted stand-in `cloudish` is in config.toml.
  home.write('config.toml', baseConfig(f.decoy) + '\n' + providerToml('cloudish', cloud.baseUrl, noRetries));
  home.write('local.config.toml', fileProfile('fake-local', 'local-model', providerToml('fake-local', local.baseUrl, noRetries)));
  home.write('cloud.config.toml', fileProfile('cloudish', 'cloud-model'));
  const r = await runCli(['compare', 'Explain what a unified diff is', '--profiles', 'local,cloud', '--include-hosted', '--json', '--codex-bin', bin], {
    env: home.env,
    cwd: home.sb.root,
    timeoutMs: 120_000,
  });
  expect(fs.existsSync(home.path('local.config.toml'))).toBe(false); // the seam did run
  const doc = parseJson<{ runs: Array<Record<string, unknown>> }>(r);
  const byName = Object.fromEntries(doc.runs.map((x) => [x.profile, x]));
  expect(byName.local).toMatchObject({ answer: null, failure: { message: expect.stringMatching(/fake-local/) } });
  expect(byName.cloud).toMatchObject({ reportedProvider: 'cloudish', reportedModel: 'cloud-model' });
  expect(r.code).toBe(1);
  expect(local.requests).toEqual([]);
  expect(cloud.requests).toHaveLength(1);
});
