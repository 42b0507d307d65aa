/**
 * `codex-profiles compare` end to end: the built CLI, the REAL Codex (0.169 for the profile-file
 * era, 0.133 for the table era), a temporary CODEX_HOME and HOME, and only fake Responses
 * servers on 127.0.0.1:
 * - `local`: a custom provider on loopback (a local model);
 * - `cloud`: provider id `cloudish`, also on 127.0.0.1, standing in for a hosted provider:
 *   CODEX_PROFILES_HOSTED_PROVIDERS=cloudish makes compare judge it hosted;
 * - `decoy`: the BASE config's provider. A run that ignored its profile would land here.
 * No test contacts a hosted service: nothing here uses the real `openai` provider.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT, parseJson, runCli, type CliResult } from '../helpers/cli.js';
import { codexBinPath } from '../helpers/codex-bins.js';
import { FAKE } from '../helpers/fake-secrets.js';
import { startResponsesServer, type RecordedRequest, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const LOCAL_TEXT = 'LOCAL ANSWER\nsecond line\nthird line';
const CLOUD_TEXT = 'HOSTED ANSWER\nsecond line\nthird line';
const PROMPT = 'Explain what a unified diff is';
const bin = codexBinPath;

function providerToml(id: string, baseUrl: string, extra = ''): string {
  return `[model_providers.${id}]\nname = "${id}"\nbase_url = "${baseUrl}"\nwire_api = "responses"\n${extra}`;
}

/** No retries, so that a failing server fails the run at once. */
const NO_RETRIES = 'request_max_retries = 0\nstream_max_retries = 0\n';

interface InputItem {
  type?: string;
  role?: string;
  content?: Array<{ type?: string; text?: string }>;
}

/** The text of the last user message of a recorded Responses request. */
function userPrompt(req: RecordedRequest): string | undefined {
  const body = req.body as { input?: InputItem[] };
  const users = (body.input ?? []).filter((i) => i.type === 'message' && i.role === 'user');
  return users[users.length - 1]?.content?.map((c) => c.text ?? '').join('');
}

function posts(server: ResponsesServer): string[] {
  return server.requests.map((r) => `${r.method} ${r.path}`);
}

const EXPECTED_PATCH = '--- local.md\n+++ cloud.md\n@@ -1,3 +1,3 @@\n-LOCAL ANSWER\n+HOSTED ANSWER\n second line\n third line\n';

beforeAll(() => {
  if (!fs.existsSync(CLI) || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/ is not built: run `node scripts/build.mjs` (npm test does it)');
  }
});

describe('codex 0.169 (profile files)', () => {
  let sb: Sandbox;
  let env: NodeJS.ProcessEnv;
  let local: ResponsesServer;
  let cloud: ResponsesServer;
  let decoy: ResponsesServer;
  let broken: ResponsesServer;
  let stuck: ResponsesServer;

  const compare = (args: string[], timeoutMs = 90_000): Promise<CliResult> =>
    runCli(['compare', '--codex-bin', bin('0.169'), ...args], { env, cwd: sb.root, timeoutMs });

  beforeAll(async () => {
    local = await startResponsesServer({ text: LOCAL_TEXT });
    cloud = await startResponsesServer({ text: CLOUD_TEXT });
    decoy = await startResponsesServer({ text: 'DECOY' });
    broken = await startResponsesServer({ httpError: { status: 500 } });
    stuck = await startResponsesServer({ hang: true });
    sb = makeSandbox();
    env = sandboxEnv(sb, { CODEX_PROFILES_HOSTED_PROVIDERS: 'cloudish' });
    const home = sb.codexHome;
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, 'config.toml'), `model = "decoy-model"\nmodel_provider = "decoy"\n\n${providerToml('decoy', decoy.baseUrl)}`);
    const profile = (name: string, provider: string, model: string, url: string, extra = '') =>
      fs.writeFileSync(path.join(home, `${name}.config.toml`), `model = "${model}"\nmodel_provider = "${provider}"\n\n${providerToml(provider, url, extra)}`);
    profile('local', 'fake-local', 'local-model', local.baseUrl);
    profile('cloud', 'cloudish', 'cloud-model', cloud.baseUrl);
    profile('broken', 'broken', 'broken-model', broken.baseUrl, NO_RETRIES);
    profile('stuck', 'stuck', 'stuck-model', stuck.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([local, cloud, decoy, broken, stuck].map((s) => s?.close()));
    sb?.cleanup();
  });

  beforeEach(() => {
    for (const s of [local, cloud, decoy, broken, stuck]) s.requests.length = 0;
  });

  afterEach(() => {
    // Whatever a test did, nothing may have fallen back to the base config.
    expect(decoy.requests).toEqual([]);
  });

  test('two profiles answering differently: NAME.md per profile, compare.json, first lines and the diff; exit 0', async () => {
    const out = path.join(sb.root, 'answers');
    const r = await compare([PROMPT, '--profiles', 'local,cloud', '--include-hosted', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    expect(fs.readdirSync(out).sort()).toEqual(['cloud.md', 'compare.json', 'local.md']);
    expect(fs.readFileSync(path.join(out, 'local.md'), 'utf8')).toBe(`${LOCAL_TEXT}\n`);
    expect(fs.readFileSync(path.join(out, 'cloud.md'), 'utf8')).toBe(`${CLOUD_TEXT}\n`);

    // Each fake got the prompt exactly once, as the last user message.
    expect(posts(local)).toEqual(['POST /v1/responses']);
    expect(posts(cloud)).toEqual(['POST /v1/responses']);
    expect(userPrompt(local.requests[0]!)).toBe(PROMPT);
    expect(userPrompt(cloud.requests[0]!)).toBe(PROMPT);
    expect((local.requests[0]!.body as { model: string }).model).toBe('local-model');
    expect((cloud.requests[0]!.body as { model: string }).model).toBe('cloud-model');

    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Prompt: hosted (no sensitive content found by the rule set)');
    expect(lines[2]).toMatch(/^PROFILE\s+WHERE\s+PROVIDER\s+MODEL\s+STATUS\s+TIME$/);
    expect(lines[3]).toMatch(/^local\s+local\s+fake-local\s+local-model\s+ok\s+\d+\.\d s$/);
    expect(lines[4]).toMatch(/^cloud\s+hosted\s+cloudish\s+cloud-model\s+ok\s+\d+\.\d s$/);
    expect(r.stdout).toContain('== local ==\n  LOCAL ANSWER\n  second line\n  third line\n');
    expect(r.stdout).toContain('== cloud ==\n  HOSTED ANSWER\n  second line\n  third line\n');
    expect(r.stdout).toContain(`Diff local -> cloud:\n${EXPECTED_PATCH}`);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`Saved in ${out}: local.md, cloud.md, compare.json`);

    const saved = JSON.parse(fs.readFileSync(path.join(out, 'compare.json'), 'utf8'));
    expect(saved.diffs).toEqual([{ from: 'local', to: 'cloud', identical: false, patch: EXPECTED_PATCH }]);
    expect(saved.runs.map((x: { profile: string; status: string; reportedProvider: string; reportedModel: string }) => [x.profile, x.status, x.reportedProvider, x.reportedModel])).toEqual([
      ['local', 'ok', 'fake-local', 'local-model'],
      ['cloud', 'ok', 'cloudish', 'cloud-model'],
    ]);
  });

  test('--json: one document with everything; without --out the answers go to a temporary folder (the prompt after --profiles is the prompt)', async () => {
    const r = await compare(['--profiles', 'local,cloud', PROMPT, '--include-hosted', '--json']);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    try {
      expect(doc).toMatchObject({
        ok: true,
        codexHome: sb.codexHome,
        codex: { bin: bin('0.169'), version: '0.169.0', layout: 'file' },
        prompt: { text: PROMPT, source: 'argument', verdict: 'hosted', findings: [], redacted: null },
        diffs: [{ from: 'local', to: 'cloud', identical: false, patch: EXPECTED_PATCH }],
      });
      expect(doc.runs).toEqual([
        expect.objectContaining({
          profile: 'local', layout: 'file', path: path.join(sb.codexHome, 'local.config.toml'), provider: 'fake-local', model: 'local-model',
          hosted: false, promptSent: 'original', status: 'ok', exitCode: 0, timedOut: false,
          reportedProvider: 'fake-local', reportedModel: 'local-model', answer: LOCAL_TEXT, file: path.join(doc.outDir, 'local.md'), failure: null,
        }),
        expect.objectContaining({
          profile: 'cloud', provider: 'cloudish', model: 'cloud-model', hosted: true,
          hostedReason: 'provider `cloudish` is listed in CODEX_PROFILES_HOSTED_PROVIDERS', status: 'ok', answer: CLOUD_TEXT,
        }),
      ]);
      expect(path.dirname(doc.outDir)).toBe(os.tmpdir());
      expect(path.basename(doc.outDir)).toMatch(/^codex-profiles-compare-/);
      expect(fs.readdirSync(doc.outDir).sort()).toEqual(['cloud.md', 'compare.json', 'local.md']);
      // compare.json is the same document.
      expect(JSON.parse(fs.readFileSync(path.join(doc.outDir, 'compare.json'), 'utf8'))).toEqual(doc);
    } finally {
      if (typeof doc.outDir === 'string' && path.basename(doc.outDir).startsWith('codex-profiles-compare-')) fs.rmSync(doc.outDir, { recursive: true, force: true });
    }
  });

  test('privacy: a prompt with an AWS key is not sent to the hosted stand-in (exit 2), and no fake receives anything', async () => {
    const prompt = `Why does this fail? aws_access_key_id = ${FAKE.awsAccessKeyId}`;
    const out = path.join(sb.root, 'refused');
    const r = await compare([prompt, '--profiles', 'local,cloud', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: Not comparing: the prompt is classified local (1 finding: aws-access-key-id at 1:41), and sent to cloud (cloud) it leaves this machine. Nothing was sent.');
    expect(r.stderr).toContain('cloud: provider `cloudish` is listed in CODEX_PROFILES_HOSTED_PROVIDERS');
    expect(r.stderr).toContain('codex-profiles classify --redact');
    expect(r.stderr).not.toContain(FAKE.awsAccessKeyId);
    expect(local.requests).toEqual([]);
    expect(cloud.requests).toEqual([]);
    expect(fs.existsSync(out)).toBe(false);

    const j = await compare([prompt, '--profiles', 'local,cloud', '--json']);
    expect(j.code).toBe(2);
    expect(parseJson(j)).toMatchObject({ ok: false, error: { exitCode: 2, message: expect.stringContaining('sent to cloud (cloud) it leaves this machine. Nothing was sent.') } });
    expect(cloud.requests).toEqual([]);
    expect(local.requests).toEqual([]);
  });

  test('--redact: the hosted stand-in receives the redacted copy, the local one the original', async () => {
    const prompt = `Why does this fail? aws_access_key_id = ${FAKE.awsAccessKeyId}`;
    const r = await compare([prompt, '--profiles', 'local,cloud', '--redact', '--include-hosted', '--json']);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    fs.rmSync(doc.outDir, { recursive: true, force: true });
    expect(userPrompt(local.requests[0]!)).toBe(prompt);
    expect(userPrompt(cloud.requests[0]!)).toBe('Why does this fail? aws_access_key_id = [AWS_ACCESS_KEY_1]');
    expect(cloud.requests.map((q) => q.rawBody).join('')).not.toContain(FAKE.awsAccessKeyId);
    expect(doc.prompt).toMatchObject({ verdict: 'local', redacted: 'Why does this fail? aws_access_key_id = [AWS_ACCESS_KEY_1]' });
    expect(doc.runs.map((x: { promptSent: string }) => x.promptSent)).toEqual(['original', 'redacted']);
    expect(r.stderr).toContain('--redact: the prompt is classified local');
  });

  test('--allow-hosted (the old spelling of --include-hosted): sent as it is, with a warning that suggests --redact', async () => {
    const prompt = `Why does this fail? aws_access_key_id = ${FAKE.awsAccessKeyId}`;
    const out = path.join(sb.root, 'allowed');
    const r = await compare([prompt, '--profiles', 'local,cloud', '--allow-hosted', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --include-hosted: the prompt is classified local .* sent as it is to cloud \(hosted\)\. Next time consider --redact/);
    expect(userPrompt(cloud.requests[0]!)).toBe(prompt);
    expect(r.stdout).toContain('Prompt: local');
  });

  test('a server answering HTTP 500: that run fails (exit 1), the other answer is still saved', async () => {
    const out = path.join(sb.root, 'with-500');
    const r = await compare([PROMPT, '--profiles', 'local,broken', '--out', out, '--json']);
    expect(r.code).toBe(1);
    const doc = parseJson(r);
    expect(doc.ok).toBe(false);
    expect(doc.runs[0]).toMatchObject({ profile: 'local', status: 'ok', answer: LOCAL_TEXT });
    expect(doc.runs[1]).toMatchObject({ profile: 'broken', status: 'failed', file: null, reportedProvider: 'broken', failure: { code: 'server_error' } });
    expect(doc.diffs).toEqual([]);
    expect(posts(broken)).toEqual(['POST /v1/responses']);
    expect(fs.readdirSync(out).sort()).toEqual(['compare.json', 'local.md']);
  });

  test('a server that never answers: stopped at --timeout, exit 1, the human report says so', async () => {
    const out = path.join(sb.root, 'with-hang');
    const started = Date.now();
    const r = await compare([PROMPT, '--profiles', 'local,stuck', '--out', out, '--timeout', '3']);
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stdout).toMatch(/^stuck\s+local\s+stuck\s+stuck-model\s+failed: timeout\s+\d+\.\d s$/m);
    expect(r.stdout).toContain('== stuck ==\n  error: ');
    expect(r.stdout).toContain('Only one profile answered: nothing to compare.');
    expect(posts(stuck)).toEqual(['POST /v1/responses']);
    expect(fs.readdirSync(out).sort()).toEqual(['compare.json', 'local.md']);
  });

  test('a profile without NAME.config.toml is refused before anything runs (codex would use the base config)', async () => {
    const r = await compare([PROMPT, '--profiles', 'local,nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`\`nosuch\`: ${path.join(sb.codexHome, 'nosuch.config.toml')} does not exist; codex 0.169.0 would silently run the base config`);
    expect(r.stderr).toContain('Profiles this Codex can run: broken, cloud, local, stuck.');
    expect(local.requests).toEqual([]);
  });
});

describe('codex 0.133 (profile tables)', () => {
  let sb: Sandbox;
  let local: ResponsesServer;
  let cloud: ResponsesServer;
  let decoy: ResponsesServer;

  beforeAll(async () => {
    local = await startResponsesServer({ text: LOCAL_TEXT });
    cloud = await startResponsesServer({ text: CLOUD_TEXT });
    decoy = await startResponsesServer({ text: 'DECOY' });
    sb = makeSandbox();
    fs.mkdirSync(sb.codexHome);
    fs.writeFileSync(
      path.join(sb.codexHome, 'config.toml'),
      [
        'model = "decoy-model"',
        'model_provider = "decoy"',
        '',
        providerToml('decoy', decoy.baseUrl),
        providerToml('fake-local', local.baseUrl),
        providerToml('cloudish', cloud.baseUrl),
        '[profiles.local]',
        'model = "local-model"',
        'model_provider = "fake-local"',
        '',
        '[profiles.cloud]',
        'model = "cloud-model"',
        'model_provider = "cloudish"',
        '',
      ].join('\n'),
    );
    // A profile FILE is not what 0.133 reads for -p: compare must not count it.
    fs.writeFileSync(path.join(sb.codexHome, 'fileonly.config.toml'), `model = "local-model"\nmodel_provider = "fake-local"\n`);
  });

  afterAll(async () => {
    await Promise.all([local, cloud, decoy].map((s) => s?.close()));
    sb?.cleanup();
  });

  test('[profiles.NAME] tables: both answer, files and diff; a file-only profile is refused', async () => {
    const env = sandboxEnv(sb, { CODEX_PROFILES_HOSTED_PROVIDERS: 'cloudish' });
    const out = path.join(sb.root, 'answers');
    const r = await runCli(['compare', '--codex-bin', bin('0.133'), PROMPT, '--profiles', 'local,cloud', '--include-hosted', '--out', out], { env, cwd: sb.root, timeoutMs: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'local.md'), 'utf8')).toBe(`${LOCAL_TEXT}\n`);
    expect(fs.readFileSync(path.join(out, 'cloud.md'), 'utf8')).toBe(`${CLOUD_TEXT}\n`);
    expect(r.stdout).toContain(`Diff local -> cloud:\n${EXPECTED_PATCH}`);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'compare.json'), 'utf8'));
    expect(saved.codex).toEqual({ bin: bin('0.133'), version: '0.133.0', layout: 'table' });
    expect(saved.runs.map((x: { layout: string; reportedProvider: string }) => [x.layout, x.reportedProvider])).toEqual([
      ['table', 'fake-local'],
      ['table', 'cloudish'],
    ]);
    expect(posts(local)).toEqual(['POST /v1/responses']);
    expect(posts(cloud)).toEqual(['POST /v1/responses']);

    const refused = await runCli(['compare', '--codex-bin', bin('0.133'), PROMPT, '--profiles', 'local,fileonly'], { env, cwd: sb.root, timeoutMs: 90_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('fileonly is a profile file (fileonly.config.toml), which codex 0.133.0 reads only with --profile-v2; `-p fileonly` reads [profiles.fileonly] in config.toml.');
    expect(posts(local)).toHaveLength(1);
    expect(decoy.requests).toEqual([]);
  });
});
