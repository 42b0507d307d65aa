/**
 * `codex-profiles test` end to end: the built CLI, the REAL codex binaries (0.131, 0.133, 0.169)
 * and fake Ollama / LM Studio servers on 127.0.0.1. Every home is a temporary CODEX_HOME + HOME;
 * every config.toml has a base provider of its own, the `decoy` (a local fake answering DECOY),
 * so that a run which ignores the profile lands there and never on a hosted model.
 *
 * How codex reaches the fakes:
 * - the built-in `ollama` id through CODEX_OSS_BASE_URL=http://127.0.0.1:PORT/v1 (what Codex
 *   reads for its built-in local providers);
 * - LM Studio through a custom id `lms` with `base_url` on the fake.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  baseConfig,
  cli,
  codexBin,
  fileProfile,
  LMS_MODEL,
  makeHome,
  OLLAMA_MODEL,
  PROMPT,
  providerToml,
  responsesCalls,
  startFakes,
  tableProfile,
  type Fakes,
  type Home,
} from '../helpers/checks-home.js';
import { parseJson, REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { writeCodexStub } from '../helpers/codex-stub.js';
import { refusedPort } from '../helpers/fake-http.js';
import { listProcesses } from '../helpers/process-tree.js';

interface Row {
  name: string;
  status: string;
  code?: string;
  message?: string;
  fix?: string;
  answer?: string;
  provider?: string;
  model?: string;
  reportedProvider?: string;
  reportedModel?: string;
  selectWith?: string;
  args?: string[];
  durationMs?: number;
  timedOut?: boolean;
  warnings: string[];
}

function rows(r: CliResult): Record<string, Row> {
  const doc = parseJson<{ results: Row[] }>(r);
  return Object.fromEntries(doc.results.map((x) => [x.name, x]));
}

// ---------------------------------------------------------------------------------------------

describe.each([
  { v: '0.131', era: 'table' },
  { v: '0.133', era: 'table' },
  { v: '0.169', era: 'file' },
  { v: '0.171', era: 'file' },
] as const)('codex $v: a passing profile per provider', ({ v, era }) => {
  let f: Fakes;
  let home: Home;

  beforeAll(async () => {
    f = await startFakes();
    home = makeHome(f);
    const lmsTable = providerToml('lms', `${f.lms.url}/v1`);
    if (era === 'table') {
      // -p reads the tables; the file profile is selected with --profile-v2.
      home.write('config.toml', baseConfig(f.decoy) + `\n${lmsTable}` + tableProfile('oll', 'ollama', OLLAMA_MODEL) + tableProfile('lmstudio-coder', 'lms', LMS_MODEL));
      home.write('viafile.config.toml', fileProfile('ollama', 'gpt-oss:20b'));
    } else {
      home.write('config.toml', baseConfig(f.decoy));
      home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
      home.write('lmstudio-coder.config.toml', fileProfile('lms', LMS_MODEL, lmsTable));
    }
  });
  afterAll(async () => {
    await f.close();
    home.sb.cleanup();
  });

  test('test --all --json: every profile passes, each prompt reached its own server, exit 0', async () => {
    const r = await cli(v, home, ['test', '--all', '--json', '--timeout', '60']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    expect(doc).toMatchObject({ ok: true, codex: { version: `${v}.0`, layout: era } });
    const byName = rows(r);
    expect(byName.oll).toMatchObject({ status: 'pass', answer: 'OK', provider: 'ollama', model: OLLAMA_MODEL, reportedProvider: 'ollama', reportedModel: OLLAMA_MODEL, selectWith: '-p' });
    expect(byName['lmstudio-coder']).toMatchObject({ status: 'pass', answer: 'OK', provider: 'lms', model: LMS_MODEL, reportedProvider: 'lms', reportedModel: LMS_MODEL });
    // What codex was given: an argument array with the era's flags and the prompt after --.
    const args = byName.oll!.args!;
    expect(args.slice(0, 5)).toEqual(['exec', '--skip-git-repo-check', '--ephemeral', '-p', 'oll']);
    expect(args.slice(-2)).toEqual(['--', PROMPT]);
    // Custom ids fail fast (no retries); the built-in id cannot take that override.
    expect(byName['lmstudio-coder']!.args).toEqual(expect.arrayContaining(['model_providers.lms.stream_max_retries=0', 'model_providers.lms.request_max_retries=0']));
    expect(args.join(' ')).not.toContain('model_providers.ollama');

    if (era === 'table') {
      expect(byName.viafile).toMatchObject({ status: 'pass', selectWith: '--profile-v2', reportedModel: 'gpt-oss:20b' });
      expect(byName.viafile!.args!.slice(3, 5)).toEqual(['--profile-v2', 'viafile']);
      expect(doc.summary).toEqual({ pass: 3, fail: 0, skipped: 0, notRun: 0 });
    } else {
      expect(doc.summary).toEqual({ pass: 2, fail: 0, skipped: 0, notRun: 0 });
    }

    // The prompts: one per profile on the server the profile names, none on the decoy.
    const ollamaBodies = f.ollama.requests.filter((q) => q.path === '/v1/responses').map((q) => (q.json as { model: string }).model);
    expect(ollamaBodies.sort()).toEqual(era === 'table' ? ['gpt-oss:20b', OLLAMA_MODEL] : [OLLAMA_MODEL]);
    const lmsBodies = f.lms.requests.filter((q) => q.path === '/v1/responses').map((q) => q.json as { model: string; input: Array<{ role?: string; content?: Array<{ text?: string }> }> });
    expect(lmsBodies.map((b) => b.model)).toEqual([LMS_MODEL]);
    const users = lmsBodies[0]!.input.filter((i) => i.role === 'user');
    expect(users[users.length - 1]?.content?.[0]?.text).toBe(PROMPT);
    expect(f.decoy.requests).toEqual([]);
    // Pre-checks listed models; nothing was pulled or loaded.
    expect(f.ollama.calls()).toContain('GET /api/tags');
    expect(f.ollama.calls()).toContain('GET /api/version');
    expect(f.lms.calls()).toContain('GET /api/v1/models');
    for (const c of [...f.ollama.calls(), ...f.lms.calls()]) expect(c).not.toMatch(/pull|download|load|\/api\/generate|\/api\/chat/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('codex 0.169: failures, each caught and explained', () => {
  const v = '0.169';
  let f: Fakes;
  let home: Home;

  beforeAll(async () => {
    f = await startFakes();
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(() => {
    f.answer.ollama = { text: 'OK' };
    f.answer.lms = { text: 'OK' };
    f.reset();
    home = makeHome(f);
    home.write('config.toml', baseConfig(f.decoy));
    home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
    home.write('lmstudio-coder.config.toml', fileProfile('lms', LMS_MODEL, providerToml('lms', `${f.lms.url}/v1`)));
  });
  afterEach(() => home.sb.cleanup());

  test('an answer other than OK fails and shows what came back; the table names it; exit 1', async () => {
    f.answer.lms = { text: 'Sure! Here is the word: NOPE' };
    const r = await cli(v, home, ['test', 'oll', 'lmstudio-coder']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PROFILE\s+PROVIDER\s+MODEL\s+RESULT\s+TIME\s+DETAIL$/m);
    expect(r.stdout).toMatch(/^oll\s+ollama\s+qwen3:8b\s+pass\s+\d+\.\d s\s+"OK"$/m);
    expect(r.stdout).toMatch(/^lmstudio-coder\s+lms\s+qwen\/qwen3-coder-30b\s+FAIL\s+\d+\.\d s\s+wrong answer$/m);
    expect(r.stdout).toContain('lmstudio-coder: the model answered "Sure! Here is the word: NOPE" instead of exactly "OK".');
    expect(r.stdout).toContain('1 passed, 1 failed, 0 skipped');
    // Not a terminal: one plain line per finished profile on stderr, no escape codes.
    expect(r.stderr).toMatch(/^FAIL {4}lmstudio-coder \(lms qwen\/qwen3-coder-30b\) \d+\.\d s wrong answer$/m);
    expect(r.stderr).not.toContain('\x1b[');
    expect(responsesCalls(f.lms)).toHaveLength(1);
    expect(responsesCalls(f.ollama)).toHaveLength(1);
    expect(f.decoy.requests).toEqual([]);
  });

  test('a server that hangs: codex is killed at --timeout with its whole process tree, reported as a timeout', async () => {
    f.answer.ollama = { hang: true };
    const started = Date.now();
    const r = await cli(v, home, ['test', 'oll', '--timeout', '4', '--json']);
    const wall = Date.now() - started;
    expect(r.code).toBe(1);
    const row = rows(r).oll!;
    expect(row).toMatchObject({ status: 'fail', code: 'timeout', timedOut: true, reportedProvider: 'ollama' });
    expect(row.message).toMatch(/did not finish within 4 s/);
    expect(row.durationMs).toBeGreaterThanOrEqual(3950);
    expect(wall).toBeLessThan(30_000);
    expect(responsesCalls(f.ollama)).toHaveLength(1);
    // Nothing of that codex is left: no process still carries its -o file.
    const outFile = row.args![row.args!.indexOf('-o') + 1]!;
    expect(listProcesses().filter((p) => p.args.includes(outFile))).toEqual([]);
  });

  test('a profile whose file is missing: caught before the run, no request reaches any server', async () => {
    const r = await cli(v, home, ['test', 'ghost', '--json']);
    expect(r.code).toBe(1);
    const row = rows(r).ghost!;
    expect(row).toMatchObject({ status: 'skipped', code: 'profile_not_found' });
    expect(row.message).toContain(path.join(home.sb.codexHome, 'ghost.config.toml'));
    expect(row.message).toMatch(/silently run the base config/);
    expect(row.args).toBeUndefined();
    expect(f.ollama.requests).toEqual([]);
    expect(f.lms.requests).toEqual([]);
    expect(f.decoy.requests).toEqual([]);
  });

  test('a model that is not installed: skipped with the reason, never pulled, never prompted', async () => {
    home.write('absent.config.toml', fileProfile('ollama', 'llama3.3:70b'));
    const r = await cli(v, home, ['test', 'absent', '--json']);
    expect(r.code).toBe(1);
    const row = rows(r).absent!;
    expect(row).toMatchObject({ status: 'skipped', code: 'model_missing' });
    expect(row.message).toContain('does not have `llama3.3:70b`');
    expect(row.message).toContain('`qwen3:8b`');
    expect(row.fix).toContain('ollama pull llama3.3:70b');
    expect(f.ollama.calls()).toContain('GET /api/tags');
    expect(f.ollama.calls()).not.toContain('POST /api/pull');
    expect(responsesCalls(f.ollama)).toEqual([]);
    expect(f.decoy.requests).toEqual([]);
  });

  test('the provider is down: skipped before the run (0.169 would retry forever)', async () => {
    const port = await refusedPort();
    home.write('gone.config.toml', fileProfile('ollama-box', OLLAMA_MODEL, providerToml('ollama-box', `http://127.0.0.1:${port}/v1`)));
    const started = Date.now();
    const r = await cli(v, home, ['test', 'gone', '--json']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    const row = rows(r).gone!;
    expect(row).toMatchObject({ status: 'skipped', code: 'provider_down', provider: 'ollama-box' });
    expect(row.message).toContain(`http://127.0.0.1:${port}`);
    expect(row.fix).toMatch(/ollama serve/);
    expect(f.decoy.requests).toEqual([]);
  });

  test('a legacy [profiles.NAME] table beside NAME.config.toml: skipped as codex would refuse it; points to migrate', async () => {
    fs.appendFileSync(path.join(home.sb.codexHome, 'config.toml'), tableProfile('oll', 'ollama', OLLAMA_MODEL));
    const r = await cli(v, home, ['test', '--all', '--json']);
    expect(r.code).toBe(1);
    const byName = rows(r);
    expect(byName.oll).toMatchObject({ status: 'skipped', code: 'legacy_profile' });
    expect(byName.oll!.message).toContain('[profiles.oll]');
    expect(byName.oll!.fix).toContain('codex-profiles migrate');
    // The other profile is fine and still runs.
    expect(byName['lmstudio-coder']).toMatchObject({ status: 'pass' });
    expect(responsesCalls(f.ollama)).toEqual([]);
    expect(f.decoy.requests).toEqual([]);
  });

  test('a legacy top-level profile = "..." selector breaks every run on 0.169: all skipped', async () => {
    home.write('config.toml', baseConfig(f.decoy, 'profile = "oll"'));
    const r = await cli(v, home, ['test', '--all', '--json']);
    expect(r.code).toBe(1);
    const byName = rows(r);
    expect(Object.values(byName).map((x) => x.code)).toEqual(['legacy_profile', 'legacy_profile']);
    expect(byName.oll!.message).toContain('profile = "oll"');
    expect(f.ollama.requests).toEqual([]);
    expect(f.lms.requests).toEqual([]);
    expect(f.decoy.requests).toEqual([]);
  });

  test('a model without tool support: codex runs, the server refuses, the failure is explained', async () => {
    f.answer.ollama = {
      httpError: { status: 400, body: { error: { message: `registry.ollama.ai/library/${OLLAMA_MODEL} does not support tools`, type: 'api_error', param: null, code: null } } },
    };
    const r = await cli(v, home, ['test', 'oll', '--json', '--timeout', '30']);
    expect(r.code).toBe(1);
    const row = rows(r).oll!;
    expect(row).toMatchObject({ status: 'fail', code: 'no_tool_support' });
    expect(row.fix).toMatch(/tool support/);
  });

  test('a context too small for codex (the server ends the stream with context_length_exceeded): explained', async () => {
    f.answer.lms = { fail: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } };
    const r = await cli(v, home, ['test', 'lmstudio-coder', '--json', '--timeout', '30']);
    expect(r.code).toBe(1);
    const row = rows(r)['lmstudio-coder']!;
    expect(row).toMatchObject({ status: 'fail', code: 'context_too_small', reportedProvider: 'lms' });
    expect(row.fix).toMatch(/context/);
    expect(responsesCalls(f.lms)).toHaveLength(1);
  });

  test('hosted profiles are not run without --include-hosted; with it they are (a loopback fake marked hosted)', async () => {
    home.write('cloud.config.toml', fileProfile('openai', 'gpt-5.4'));
    const without = await cli(v, home, ['test', 'cloud', 'lmstudio-coder', '--json']);
    expect(without.code).toBe(0);
    expect(rows(without).cloud).toMatchObject({ status: 'not-run', code: 'hosted' });
    expect(rows(without).cloud!.args).toBeUndefined();
    expect(responsesCalls(f.lms)).toHaveLength(1);

    // CODEX_PROFILES_HOSTED_PROVIDERS makes the LM Studio fake count as hosted: not run, then run on request.
    f.lms.requests.length = 0;
    const hostedEnv = { ...home.env, CODEX_PROFILES_HOSTED_PROVIDERS: 'lms' };
    // Named alone without the flag: nothing can run, so it refuses (exit 2) instead of a silent 0.
    const skipped = await runCli(['test', 'lmstudio-coder', '--json', '--codex-bin', codexBin(v)], { env: hostedEnv });
    expect(skipped.code).toBe(2);
    expect(parseJson(skipped).error).toMatchObject({ code: 'HOSTED_NOT_ALLOWED', hint: expect.stringContaining('--include-hosted') });
    expect(f.lms.requests).toEqual([]);
    const included = await runCli(['test', 'lmstudio-coder', '--include-hosted', '--json', '--codex-bin', codexBin(v)], { env: hostedEnv });
    expect(included.code).toBe(0);
    expect(rows(included)['lmstudio-coder']).toMatchObject({ status: 'pass' });
    expect(responsesCalls(f.lms)).toHaveLength(1);
    expect(f.decoy.requests).toEqual([]);
  });

  test('invalid TOML: exit 2 with file:line:col, nothing run', async () => {
    home.write('oll.config.toml', 'model = "qwen3:8b"\nmodel_provider = \n');
    const r = await cli(v, home, ['test', '--all']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(home.sb.codexHome, 'oll.config.toml')}:2:`);
    expect(f.ollama.requests).toEqual([]);
    expect(f.lms.requests).toEqual([]);
  });

  test('usage: no names and no --all is exit 2 and lists the profiles', async () => {
    const r = await cli(v, home, ['test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name the profiles to test, or pass --all');
    expect(r.stderr).toContain('lmstudio-coder, oll');
  });
});

describe('codex 0.169: scheduling', () => {
  test('same server one at a time, different servers in parallel (each first prompt waits for the other server)', async () => {
    // Each server holds its first prompt until the other server has one: sequential servers would
    // dead-lock here (and time out); parallel servers release each other.
    let ollamaSeen!: () => void;
    let lmsSeen!: () => void;
    const ollamaFirst = new Promise<void>((r) => (ollamaSeen = r));
    const lmsFirst = new Promise<void>((r) => (lmsSeen = r));
    const f = await startFakes({
      ollamaHttp: {
        gate: (req) => {
          if (req.path !== '/v1/responses') return undefined;
          ollamaSeen();
          return lmsFirst;
        },
      },
      lmsHttp: {
        gate: (req) => {
          if (req.path !== '/v1/responses') return undefined;
          lmsSeen();
          return ollamaFirst;
        },
      },
    });
    const home = makeHome(f);
    try {
      home.write('config.toml', baseConfig(f.decoy));
      const lmsTable = providerToml('lms', `${f.lms.url}/v1`);
      home.write('o1.config.toml', fileProfile('ollama', OLLAMA_MODEL));
      home.write('o2.config.toml', fileProfile('ollama', 'gpt-oss:20b'));
      home.write('l1.config.toml', fileProfile('lms', LMS_MODEL, lmsTable));
      home.write('l2.config.toml', fileProfile('lms', 'google/gemma-3-12b', lmsTable));
      const r = await cli('0.169', home, ['test', '--all', '--json', '--timeout', '40']);
      expect(r.code).toBe(0);
      expect(parseJson(r).summary).toEqual({ pass: 4, fail: 0, skipped: 0, notRun: 0 });
      expect(responsesCalls(f.ollama)).toHaveLength(2);
      expect(responsesCalls(f.lms)).toHaveLength(2);
      // One GPU per server: never two prompts at once on the same one.
      expect(f.ollama.maxInFlight('/v1/responses')).toBe(1);
      expect(f.lms.maxInFlight('/v1/responses')).toBe(1);
      expect(f.decoy.requests).toEqual([]);
    } finally {
      await f.close();
      home.sb.cleanup();
    }
  });
});

describe('codex 0.133 (table era): failures', () => {
  test('Ollama 0.12.0: skipped as too old for the Responses API, no prompt sent; a wrong answer on LM Studio fails', async () => {
    const f = await startFakes({ ollamaVersion: '0.12.0' });
    const home = makeHome(f);
    try {
      f.answer.lms = { text: 'NOPE' };
      home.write('config.toml', baseConfig(f.decoy) + `\n${providerToml('lms', `${f.lms.url}/v1`)}` + tableProfile('old', 'ollama', OLLAMA_MODEL) + tableProfile('lm', 'lms', LMS_MODEL));
      const r = await cli('0.133', home, ['test', '--all', '--json']);
      expect(r.code).toBe(1);
      const byName = rows(r);
      expect(byName.old).toMatchObject({ status: 'skipped', code: 'ollama_too_old' });
      expect(byName.old!.message).toContain('Ollama 0.12.0');
      expect(byName.old!.message).toContain('0.13.4');
      expect(byName.lm).toMatchObject({ status: 'fail', code: 'wrong_answer', answer: 'NOPE', reportedProvider: 'lms' });
      expect(f.ollama.calls()).toContain('GET /api/version');
      expect(responsesCalls(f.ollama)).toEqual([]);
      expect(f.ollama.calls()).not.toContain('POST /api/pull');
      expect(responsesCalls(f.lms)).toHaveLength(1);
      expect(f.decoy.requests).toEqual([]);
    } finally {
      await f.close();
      home.sb.cleanup();
    }
  });

  test('-p NAME with no [profiles.NAME] table: skipped before codex runs', async () => {
    const f = await startFakes();
    const home = makeHome(f);
    try {
      home.write('config.toml', baseConfig(f.decoy));
      const r = await cli('0.133', home, ['test', 'nosuch', '--json']);
      expect(r.code).toBe(1);
      expect(rows(r).nosuch).toMatchObject({ status: 'skipped', code: 'profile_not_found' });
      expect(rows(r).nosuch!.message).toContain('no [profiles.nosuch] table and there is no nosuch.config.toml');
      expect(f.decoy.requests).toEqual([]);
      expect(f.ollama.requests).toEqual([]);
    } finally {
      await f.close();
      home.sb.cleanup();
    }
  });
});

describe('codex detection kept on disk (the built CLI, a codex stub that logs its runs)', () => {
  test('a second `test` starts no codex before its work; a replaced codex is detected again; doctor always detects', async () => {
    const home = makeHome(undefined);
    try {
      home.write('config.toml', 'model = "m"\n');
      const bin = path.join(home.sb.root, 'bin');
      fs.mkdirSync(bin);
      const log = path.join(home.sb.root, 'calls.log');
      const help169 = fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'exec-help-0.169.txt'), 'utf8');
      const codex = writeCodexStub(bin, { versionText: 'codex-cli 0.169.0', help: help169, logFile: log });
      const calls = () => fs.readFileSync(log, 'utf8').trim().split('\n').length;
      const run = (args: string[]) => runCli([...args, '--json', '--codex-bin', codex], { env: home.env });

      // A name with no profile: skipped before any run, so the stub only sees detection.
      const first = await run(['test', 'nosuch']);
      expect(parseJson<{ codex: { version: string } }>(first).codex.version).toBe('0.169.0');
      expect(calls()).toBe(2); // --version, exec --help
      expect(fs.existsSync(path.join(home.sb.home, '.cache', 'codex-profiles', 'codex-detect.json'))).toBe(true);
      expect(fs.readdirSync(home.sb.codexHome)).toEqual(['config.toml']); // nothing of ours in CODEX_HOME

      const second = await run(['test', 'nosuch']);
      expect(parseJson<{ codex: { version: string }; results: Row[] }>(second)).toMatchObject({ codex: { version: '0.169.0' }, results: [{ status: 'skipped' }] });
      expect(calls()).toBe(2);

      writeCodexStub(bin, { versionText: 'codex-cli 0.170.0', help: help169, logFile: log });
      const third = await run(['test', 'nosuch']);
      expect(parseJson<{ codex: { version: string } }>(third).codex.version).toBe('0.170.0');
      expect(calls()).toBe(4);

      await run(['doctor']);
      expect(calls()).toBe(6);
    } finally {
      home.sb.cleanup();
    }
  });
});
