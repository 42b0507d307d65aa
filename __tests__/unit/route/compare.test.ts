/**
 * compare without codex: the pure pieces (profile list, privacy rule, lanes, verification,
 * diffs, report) and runCompare with a stand-in for runCodexExec. The real binaries run in
 * __tests__/e2e/compare.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../../../src/context.js';
import type { CodexInfo } from '../../../src/codex/detect.js';
import type { ExecOptions, ExecResult } from '../../../src/codex/exec.js';
import { loadHome } from '../../../src/config/profiles.js';
import { CliError } from '../../../src/errors.js';
import { classify } from '../../../src/route/classify.js';
import { answerDiff, buildDiffs, decidePrivacy, findProfiles, parseProfileList, planLanes, previewLines, readPrompt, renderReport, verifyRun, type CompareOptions, type CompareReport, type PlannedRun, type RunReport } from '../../../src/route/compare.js';
import { runCompare } from '../../../src/run/compare.js';
import { HOSTED_PROVIDERS_ENV, type ProviderJudgement } from '../../../src/route/hosted.js';
import type { Output } from '../../../src/ui/output.js';
import { FAKE } from '../../helpers/fake-secrets.js';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';
import { codexInfo } from '../../helpers/codex-info.js';

const FILE_CODEX: CodexInfo = codexInfo('0.169.0');
const TABLE_CODEX: CodexInfo = codexInfo('0.133.0');

function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

async function usageErrorAsync(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('parseProfileList', () => {
  test('commas and repeated flags, trimmed', () => {
    expect(parseProfileList(['a, b', 'c,'])).toEqual(['a', 'b', 'c']);
  });
  test('fewer than two, duplicates and invalid names are usage errors', () => {
    expect(usageError(() => parseProfileList(['a'])).message).toBe('compare needs at least two targets: --profiles A,B[,C...], or --local KIND:MODEL / --hosted MODEL beside them.');
    expect(usageError(() => parseProfileList(['a,,'])).exitCode).toBe(2);
    expect(usageError(() => parseProfileList(['a,b,a'])).message).toBe('Profile `a` is listed twice in --profiles.');
    const bad = usageError(() => parseProfileList(['a,gpt-oss:20b']));
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toContain('`gpt-oss:20b` is not a profile name');
  });
});

describe('readPrompt', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());

  test('argument, or a file without its byte order mark', async () => {
    expect(await readPrompt({ prompt: 'hi there' })).toEqual({ text: 'hi there', source: 'argument' });
    const file = path.join(sb.root, 'p.txt');
    fs.writeFileSync(file, '\ufeffline 1\nline 2\n');
    expect(await readPrompt({ file })).toEqual({ text: 'line 1\nline 2\n', source: file });
  });
  test('none, both, empty, unreadable: usage errors', async () => {
    expect((await usageErrorAsync(readPrompt({}))).message).toBe('Nothing to compare: give a prompt or --file.');
    expect((await usageErrorAsync(readPrompt({ prompt: 'x', file: 'y' }))).message).toBe('Give the prompt either as an argument or with --file, not both.');
    expect((await usageErrorAsync(readPrompt({ prompt: '  \n' }))).message).toBe('The prompt is empty.');
    const missing = path.join(sb.root, 'nope.txt');
    expect((await usageErrorAsync(readPrompt({ file: missing }))).message).toBe(`Cannot read ${missing}: no such file.`);
  });
});

describe('findProfiles: where the installed codex reads -p', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
    fs.mkdirSync(sb.codexHome);
  });
  afterEach(() => sb.cleanup());

  test('file era: a missing NAME.config.toml is refused (codex would silently run the base config)', async () => {
    fs.writeFileSync(path.join(sb.codexHome, 'a.config.toml'), 'model_provider = "ollama"\n');
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), '[profiles.b]\nmodel_provider = "ollama"\n');
    const state = await loadHome(sb.codexHome);
    expect(findProfiles(state, FILE_CODEX, ['a']).map((p) => p.path)).toEqual([path.join(sb.codexHome, 'a.config.toml')]);
    const err = usageError(() => findProfiles(state, FILE_CODEX, ['a', 'b', 'c']));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      'Not comparing, nothing was run:\n' +
        '  `b`: [profiles.b] in config.toml (line 1) is a legacy profile table that codex 0.169.0 does not read: `-p b` silently runs the base config instead.\n' +
        `  \`c\`: ${path.join(sb.codexHome, 'c.config.toml')} does not exist; codex 0.169.0 would silently run the base config (possibly a hosted model) instead.`,
    );
    expect(err.hint).toBe('Profiles this Codex can run: a.');
  });

  test('file era: a leftover [profiles.NAME] next to NAME.config.toml, or a `profile = ` selector, is refused (codex 0.169 errors on both)', async () => {
    fs.writeFileSync(path.join(sb.codexHome, 'a.config.toml'), 'model_provider = "ollama"\n');
    fs.writeFileSync(path.join(sb.codexHome, 'b.config.toml'), 'model_provider = "ollama"\n');
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), 'profile = "a"\n\n[profiles.b]\nmodel_provider = "ollama"\n');
    const state = await loadHome(sb.codexHome);
    const err = usageError(() => findProfiles(state, FILE_CODEX, ['a', 'b']));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      'Not comparing, nothing was run:\n' +
        '  `b`: [profiles.b] in config.toml (line 3) is a legacy profile table: codex 0.169.0 refuses `-p b` while it exists beside b.config.toml.\n' +
        '  `profile = "a"` in config.toml is a legacy selector: codex 0.169.0 refuses to run at all while it is there (with or without -p).',
    );
    // The table era reads both without complaint.
    expect(findProfiles(state, TABLE_CODEX, ['b']).map((p) => p.layout)).toEqual(['table']);
  });

  test('table era: the [profiles.NAME] table is what counts, not the file', async () => {
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), '[profiles.t]\nmodel_provider = "ollama"\n');
    fs.writeFileSync(path.join(sb.codexHome, 'f.config.toml'), 'model_provider = "ollama"\n');
    const state = await loadHome(sb.codexHome);
    expect(findProfiles(state, TABLE_CODEX, ['t']).map((p) => p.layout)).toEqual(['table']);
    const err = usageError(() => findProfiles(state, TABLE_CODEX, ['t', 'f']));
    expect(err.message).toContain('`f`: f is a profile file (f.config.toml), which codex 0.133.0 reads only with --profile-v2; `-p f` reads [profiles.f] in config.toml.');
    expect(err.message).toMatch(/^Not comparing, nothing was run:\n {2}`f`: /);
  });
});

const judgement = (over: Partial<ProviderJudgement> = {}): ProviderJudgement => ({
  provider: 'fake',
  providerSource: 'profile',
  model: 'fake-model',
  baseUrl: 'http://127.0.0.1:1/v1',
  hosted: false,
  locality: 'this-machine',
  reason: 'provider `fake` is on a loopback address',
  ...over,
});

describe('decidePrivacy', () => {
  const secret = `deploy with key ${FAKE.awsAccessKeyId} please`;
  const profiles = [
    { name: 'local', hosted: false, reason: 'loopback' },
    { name: 'cloud', hosted: true, reason: 'provider `cloudish` is listed in CODEX_PROFILES_HOSTED_PROVIDERS', locality: 'cloud' },
  ];

  test('a hosted prompt goes to everyone as it is', () => {
    const d = decidePrivacy({ prompt: 'why is the sky blue', classification: classify('why is the sky blue'), profiles, allowHosted: false, redact: false });
    expect(d).toEqual({
      action: 'run',
      prompts: new Map([
        ['local', { text: 'why is the sky blue', sent: 'original' }],
        ['cloud', { text: 'why is the sky blue', sent: 'original' }],
      ]),
      redacted: null,
      warnings: [],
      notes: [],
    });
  });

  test('a local prompt to local profiles only: runs', () => {
    const d = decidePrivacy({ prompt: secret, classification: classify(secret), profiles: [profiles[0]!, { name: 'l2', hosted: false, reason: '' }], allowHosted: false, redact: false });
    expect(d.action).toBe('run');
    if (d.action === 'run') expect([...d.prompts.values()].every((p) => p.text === secret && p.sent === 'original')).toBe(true);
  });

  test('a local prompt and a hosted profile: refused, naming the finding, the profile, and classify --redact', () => {
    const d = decidePrivacy({ prompt: secret, classification: classify(secret), profiles, allowHosted: false, redact: false });
    expect(d.action).toBe('refuse');
    if (d.action !== 'refuse') return;
    expect(d.message).toBe(
      'Not comparing: the prompt is classified local (1 finding: aws-access-key-id at 1:17), and sent to cloud (cloud) it leaves this machine. Nothing was sent.\n' +
        '  cloud: provider `cloudish` is listed in CODEX_PROFILES_HOSTED_PROVIDERS',
    );
    expect(d.hint).toContain('codex-profiles classify --redact');
    expect(d.hint).toContain('add --redact');
    expect(d.hint).toContain('add --include-hosted');
    // The secret itself is not repeated in the message.
    expect(d.message + d.hint).not.toContain(FAKE.awsAccessKeyId);
  });

  test('a local prompt and a profile on another host (network): refused like a hosted one, unless --include-hosted', () => {
    const box = { name: 'box', hosted: true, reason: 'provider `box`: the server is on another machine (gpu-box)', locality: 'network' };
    const d = decidePrivacy({ prompt: secret, classification: classify(secret), profiles: [profiles[0]!, box], allowHosted: false, redact: false });
    expect(d.action).toBe('refuse');
    if (d.action === 'refuse') expect(d.message).toContain('sent to box (network) it leaves this machine. Nothing was sent.');
    expect(decidePrivacy({ prompt: secret, classification: classify(secret), profiles: [profiles[0]!, box], allowHosted: true, redact: false }).action).toBe('run');
  });

  test('--redact: hosted profiles get a redacted copy that classifies hosted; local ones the original', () => {
    const d = decidePrivacy({ prompt: secret, classification: classify(secret), profiles, allowHosted: false, redact: true });
    expect(d.action).toBe('run');
    if (d.action !== 'run') return;
    expect(d.prompts.get('local')).toEqual({ text: secret, sent: 'original' });
    expect(d.prompts.get('cloud')).toEqual({ text: 'deploy with key [AWS_ACCESS_KEY_1] please', sent: 'redacted' });
    expect(d.redacted).toBe('deploy with key [AWS_ACCESS_KEY_1] please');
    expect(classify(d.redacted!).verdict).toBe('hosted');
    expect(d.warnings).toEqual([]);
    expect(d.notes[0]).toMatch(/^--redact: the prompt is classified local .*the hosted profile cloud gets a redacted copy \(1 value replaced/);
  });

  test('--allow-hosted: runs with the original everywhere, and a warning suggesting --redact', () => {
    const d = decidePrivacy({ prompt: secret, classification: classify(secret), profiles, allowHosted: true, redact: false });
    expect(d.action).toBe('run');
    if (d.action !== 'run') return;
    expect(d.prompts.get('cloud')).toEqual({ text: secret, sent: 'original' });
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(/^--include-hosted: the prompt is classified local .* sent as it is to cloud \(hosted\)\. Next time consider --redact/);
  });

  test('--redact with nothing to redact: a note, originals everywhere', () => {
    const d = decidePrivacy({ prompt: 'plain', classification: classify('plain'), profiles, allowHosted: false, redact: true });
    expect(d.action === 'run' && d.notes).toEqual(['--redact: the prompt has nothing to redact; every profile gets it as it is.']);
  });
});

describe('planLanes', () => {
  test('local profiles on one server share a lane; other servers and hosted profiles run apart', () => {
    const runs = [
      { profile: 'a', judgement: judgement({ baseUrl: 'http://127.0.0.1:11434/v1' }) },
      { profile: 'b', judgement: judgement({ baseUrl: 'http://127.0.0.1:1234/v1' }) },
      { profile: 'c', judgement: judgement({ baseUrl: 'http://localhost:11434' }) },
      { profile: 'h1', judgement: judgement({ provider: 'openai', baseUrl: undefined, hosted: true }) },
      { profile: 'h2', judgement: judgement({ provider: 'openai', baseUrl: undefined, hosted: true }) },
    ];
    expect(planLanes(runs)).toEqual([['a', 'c'], ['b'], ['h1'], ['h2']]);
  });
});

const plan = (over: Partial<PlannedRun> = {}): PlannedRun => ({
  profile: 'p',
  layout: 'file',
  path: '/h/p.config.toml',
  judgement: judgement(),
  prompt: 'x',
  promptSent: 'original',
  ...over,
});

const execResult = (over: Partial<ExecResult> = {}): ExecResult => ({
  ok: true,
  exitCode: 0,
  timedOut: false,
  finalMessage: 'OK',
  reportedProvider: 'fake',
  reportedModel: 'fake-model',
  stderr: '',
  stdout: '',
  durationMs: 10,
  args: [],
  ...over,
});

describe('verifyRun', () => {
  test('the profile\'s provider and model: no failure', () => {
    expect(verifyRun(plan(), execResult())).toBeNull();
  });
  test('another provider: provider_mismatch (the prompt went elsewhere)', () => {
    expect(verifyRun(plan(), execResult({ reportedProvider: 'openai' }))).toEqual({
      code: 'provider_mismatch',
      message: 'codex used provider `openai`, but profile `p` names `fake`: the prompt went to another provider.',
      fix: 'Check /h/p.config.toml and config.toml (codex-profiles list); a run without the profile falls back to the base config.',
    });
  });
  test('another model: model_mismatch; no model in the profile: any model is accepted', () => {
    expect(verifyRun(plan(), execResult({ reportedModel: 'gpt-5' }))?.code).toBe('model_mismatch');
    expect(verifyRun(plan({ judgement: judgement({ model: undefined }) }), execResult({ reportedModel: 'whatever' }))).toBeNull();
  });
  test('no provider line: provider_unverified', () => {
    expect(verifyRun(plan(), execResult({ reportedProvider: undefined }))?.code).toBe('provider_unverified');
  });
  test('a failed run keeps codex\'s own classified failure', () => {
    const failure = { code: 'timeout' as const, message: 'no answer within 3 s', fix: 'raise --timeout' };
    expect(verifyRun(plan(), execResult({ ok: false, timedOut: true, exitCode: null, failure }))).toBe(failure);
  });
});

const runReport = (profile: string, answer: string | null, over: Partial<RunReport> = {}): RunReport => ({
  profile,
  layout: 'file',
  path: `/h/${profile}.config.toml`,
  provider: 'fake',
  model: 'fake-model',
  hosted: false,
  hostedReason: 'loopback',
  promptSent: 'original',
  status: 'ok',
  durationMs: 1234,
  exitCode: 0,
  timedOut: false,
  reportedProvider: 'fake',
  reportedModel: 'fake-model',
  answer,
  file: answer === null ? null : `/out/${profile}.md`,
  failure: null,
  ...over,
});

describe('answers: preview and diff', () => {
  test('previewLines: the first lines, long ones cut, a count of the rest', () => {
    expect(previewLines('a\nb\r\nc\n\n')).toEqual(['a', 'b', 'c']);
    expect(previewLines('1\n2\n3\n4', 2)).toEqual(['1', '2', '… (2 more lines)']);
    expect(previewLines('x'.repeat(10), 6, 5)).toEqual(['xxxx…']);
  });

  test('answerDiff: a unified diff between NAME.md files; identical answers have none', () => {
    expect(answerDiff({ profile: 'a', answer: 'one\ntwo\nthree' }, { profile: 'b', answer: 'one\n2\nthree\n' })).toEqual({
      from: 'a',
      to: 'b',
      identical: false,
      patch: '--- a.md\n+++ b.md\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n',
    });
    expect(answerDiff({ profile: 'a', answer: 'same' }, { profile: 'b', answer: 'same\n' })).toEqual({ from: 'a', to: 'b', identical: true, patch: '' });
  });

  test('buildDiffs: the first answered profile against each other answered one; failures left out', () => {
    const runs = [
      runReport('a', null, { status: 'failed', failure: { code: 'timeout', message: 't' } }),
      runReport('b', 'B'),
      runReport('c', 'C'),
      runReport('d', 'B'),
    ];
    expect(buildDiffs(runs).map((d) => [d.from, d.to, d.identical])).toEqual([
      ['b', 'c', false],
      ['b', 'd', true],
    ]);
    expect(buildDiffs([runReport('a', 'A')])).toEqual([]);
  });
});

function report(runs: RunReport[]): CompareReport {
  return {
    ok: runs.every((r) => r.status === 'ok'),
    codexHome: '/h',
    codex: { bin: '/x/codex', version: '0.169.0', layout: 'file' },
    prompt: { text: 'p', source: 'argument', verdict: 'hosted', reasons: [], findings: [], redacted: null },
    outDir: '/out',
    runs,
    diffs: buildDiffs(runs),
  };
}

describe('renderReport', () => {
  test('a table, the first lines per profile, the diff and where the files are', () => {
    const lines = renderReport(report([runReport('a', 'LOCAL\nline 2'), runReport('b', 'HOSTED', { hosted: true, provider: 'cloudish', durationMs: 500 })]), ['a.md', 'b.md', 'compare.json']);
    expect(lines.join('\n')).toBe(
      [
        'Prompt: hosted (no sensitive content found by the rule set)',
        '',
        'PROFILE  WHERE   PROVIDER  MODEL       STATUS  TIME',
        'a        local   fake      fake-model  ok      1.2 s',
        'b        hosted  cloudish  fake-model  ok      0.5 s',
        '',
        '== a ==',
        '  LOCAL',
        '  line 2',
        '',
        '== b ==',
        '  HOSTED',
        '',
        'Diff a -> b:',
        '--- a.md',
        '+++ b.md',
        '@@ -1,2 +1,1 @@',
        '-LOCAL',
        '-line 2',
        '+HOSTED',
        '',
        'Saved in /out: a.md, b.md, compare.json',
      ].join('\n'),
    );
  });

  test('a failed run shows its error and fix; with one answer left there is nothing to diff', () => {
    const lines = renderReport(
      report([runReport('a', 'A'), runReport('b', null, { status: 'failed', durationMs: 3000, failure: { code: 'server_error', message: 'HTTP 500', fix: 'check the server' } })]),
      ['a.md', 'compare.json'],
    ).join('\n');
    expect(lines).toContain('b        local  fake      fake-model  failed: server_error  3.0 s');
    expect(lines).toContain('== b ==\n  error: HTTP 500\n  fix: check the server\n');
    expect(lines).toContain('Only one profile answered: nothing to compare.');
    expect(lines).not.toContain('Diff');
  });
});

// ------------------------------------------------------------------------------ runCompare

interface Captured {
  ctx: CommandContext;
  stdout: string[];
  stderr: string[];
}

function context(codexHome: string, json = false, env: NodeJS.ProcessEnv = {}): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = {
    jsonMode: json,
    line: (t = '') => {
      if (!json) stdout.push(t);
    },
    note: (t: string) => stderr.push(t),
    warn: (t: string) => stderr.push(`warning: ${t}`),
    json: (v: unknown) => stdout.push(JSON.stringify(v)),
  } as unknown as Output;
  return { ctx: { opts: { codexHome, json, dryRun: false, yes: false, color: false }, out, env }, stdout, stderr };
}

describe('runCompare (codex stood in for)', () => {
  let sb: Sandbox;
  let outDir: string;
  const provider = (id: string, port: number) => `[model_providers.${id}]\nname = "${id}"\nbase_url = "http://127.0.0.1:${port}/v1"\nwire_api = "responses"\n`;

  beforeEach(() => {
    sb = makeSandbox();
    outDir = path.join(sb.root, 'out');
    fs.mkdirSync(sb.codexHome);
    // a1 and a2 share a server; b is another local server; cloud is the hosted stand-in.
    fs.writeFileSync(path.join(sb.codexHome, 'a1.config.toml'), `model_provider = "srv-a"\nmodel = "m-a1"\n\n${provider('srv-a', 1111)}`);
    fs.writeFileSync(path.join(sb.codexHome, 'a2.config.toml'), `model_provider = "srv-a"\nmodel = "m-a2"\n\n${provider('srv-a', 1111)}`);
    fs.writeFileSync(path.join(sb.codexHome, 'b.config.toml'), `model_provider = "srv-b"\nmodel = "m-b"\n\n${provider('srv-b', 2222)}`);
    fs.writeFileSync(path.join(sb.codexHome, 'cloud.config.toml'), `model_provider = "cloudish"\nmodel = "m-c"\n\n${provider('cloudish', 3333)}`);
  });
  afterEach(() => sb.cleanup());

  const opts = (over: Partial<CompareOptions> = {}): CompareOptions => ({
    prompt: 'Say hi',
    profiles: ['a1,b'],
    out: outDir,
    timeoutSeconds: 5,
    allowHosted: false,
    redact: false,
    ...over,
  });
  const detect = async () => FILE_CODEX;
  const hostedEnv = { [HOSTED_PROVIDERS_ENV]: 'cloudish' };

  /** Answers like codex would, reporting the provider and model each profile names. */
  const answers: Record<string, { provider: string; model: string; text: string }> = {
    a1: { provider: 'srv-a', model: 'm-a1', text: 'answer from a1' },
    a2: { provider: 'srv-a', model: 'm-a2', text: 'answer from a2' },
    b: { provider: 'srv-b', model: 'm-b', text: 'answer from b' },
    cloud: { provider: 'cloudish', model: 'm-c', text: 'answer from cloud' },
  };

  test('answers saved as NAME.md plus compare.json; the diff is printed; exit 0', async () => {
    const calls: ExecOptions[] = [];
    const exec = async (o: ExecOptions) => {
      calls.push(o);
      const a = answers[o.profile!]!;
      return execResult({ finalMessage: a.text, reportedProvider: a.provider, reportedModel: a.model });
    };
    const { ctx, stdout } = context(sb.codexHome);
    expect(await runCompare(ctx, opts(), { exec, detect, progress: () => undefined })).toBe(0);
    expect(calls.map((c) => [c.profile, c.prompt, c.timeoutMs, c.codexHome])).toEqual([
      ['a1', 'Say hi', 5000, sb.codexHome],
      ['b', 'Say hi', 5000, sb.codexHome],
    ]);
    expect(fs.readdirSync(outDir).sort()).toEqual(['a1.md', 'b.md', 'compare.json']);
    expect(fs.readFileSync(path.join(outDir, 'a1.md'), 'utf8')).toBe('answer from a1\n');
    const saved = JSON.parse(fs.readFileSync(path.join(outDir, 'compare.json'), 'utf8')) as CompareReport;
    expect(saved.ok).toBe(true);
    expect(saved.diffs).toEqual([{ from: 'a1', to: 'b', identical: false, patch: '--- a1.md\n+++ b.md\n@@ -1,1 +1,1 @@\n-answer from a1\n+answer from b\n' }]);
    const text = stdout.join('\n');
    expect(text).toContain('Diff a1 -> b:\n--- a1.md\n+++ b.md');
    expect(text).toContain(`Saved in ${outDir}: a1.md, b.md, compare.json`);
  });

  test('profiles on one server run one after another; different servers in parallel (a gate, not timing)', async () => {
    const events: string[] = [];
    let release!: () => void;
    const bothStarted = new Promise<void>((r) => (release = r));
    const running = new Set<string>();
    const exec = async (o: ExecOptions) => {
      const name = o.profile!;
      events.push(`start ${name}`);
      running.add(name);
      // a1 waits until b has started: only parallel lanes let this finish before the timeout.
      if (running.has('a1') && running.has('b')) release();
      if (name === 'a1') {
        let timer: NodeJS.Timeout | undefined;
        const ok = await Promise.race([bothStarted.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 3000)))]);
        clearTimeout(timer);
        if (!ok) throw new Error('a1 and b did not run at the same time');
      }
      running.delete(name);
      events.push(`end ${name}`);
      const a = answers[name]!;
      return execResult({ finalMessage: a.text, reportedProvider: a.provider, reportedModel: a.model });
    };
    const { ctx } = context(sb.codexHome);
    expect(await runCompare(ctx, opts({ profiles: ['a1,a2,b'] }), { exec, detect, progress: () => undefined })).toBe(0);
    // a2 (same server as a1) starts only after a1 ended; b started while a1 was running.
    expect(events.indexOf('start a2')).toBeGreaterThan(events.indexOf('end a1'));
    expect(events.indexOf('start b')).toBeLessThan(events.indexOf('end a1'));
  });

  test('privacy: a local prompt to a hosted profile is refused before anything runs (exit 2)', async () => {
    const exec = jestFn();
    const { ctx } = context(sb.codexHome, false, hostedEnv);
    const err = await usageErrorAsync(runCompare(ctx, opts({ prompt: `key ${FAKE.awsAccessKeyId}`, profiles: ['a1,cloud'] }), { exec: exec.fn, detect }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('sent to cloud (cloud) it leaves this machine. Nothing was sent.');
    expect(err.hint).toContain('codex-profiles classify --redact');
    expect(exec.calls).toEqual([]);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  test('--redact: the hosted profile is sent the redacted copy, the local one the original', async () => {
    const calls: ExecOptions[] = [];
    const exec = async (o: ExecOptions) => {
      calls.push(o);
      const a = answers[o.profile!]!;
      return execResult({ finalMessage: a.text, reportedProvider: a.provider, reportedModel: a.model });
    };
    const { ctx, stdout, stderr } = context(sb.codexHome, true, hostedEnv);
    const prompt = `key ${FAKE.awsAccessKeyId}`;
    expect(await runCompare(ctx, opts({ prompt, profiles: ['a1,cloud'], redact: true, allowHosted: true }), { exec, detect, progress: () => undefined })).toBe(0);
    expect(Object.fromEntries(calls.map((c) => [c.profile, c.prompt]))).toEqual({ a1: prompt, cloud: 'key [AWS_ACCESS_KEY_1]' });
    const doc = JSON.parse(stdout.join('')) as CompareReport;
    expect(doc.prompt).toMatchObject({ verdict: 'local', redacted: 'key [AWS_ACCESS_KEY_1]' });
    expect(doc.runs.map((r) => [r.profile, r.hosted, r.promptSent])).toEqual([
      ['a1', false, 'original'],
      ['cloud', true, 'redacted'],
    ]);
    expect(stderr.join('\n')).toContain('--redact: the prompt is classified local');
  });

  test('hosted rule: a hosted profile is sent the prompt only after a yes that names the destination; a no leaves it not run', async () => {
    for (const answer of [false, true]) {
      const calls: string[] = [];
      const questions: string[] = [];
      const exec = async (o: ExecOptions) => {
        calls.push(o.profile!);
        const a = answers[o.profile!]!;
        return execResult({ finalMessage: a.text, reportedProvider: a.provider, reportedModel: a.model });
      };
      const { ctx, stdout } = context(sb.codexHome, false, hostedEnv);
      const ask = async (m: string) => (questions.push(m), answer);
      expect(await runCompare(ctx, opts({ profiles: ['a1,cloud'] }), { exec, detect, ask, progress: () => undefined })).toBe(0);
      expect(questions).toEqual([expect.stringContaining('cloud to m-c via cloudish (')]);
      expect(calls.sort()).toEqual(answer ? ['a1', 'cloud'] : ['a1']);
      if (!answer) expect(stdout.join('')).toMatch(/cloud\s+hosted\s+cloudish\s+m-c\s+not run: HOSTED_NOT_ALLOWED/);
    }
  });

  test('hosted rule: without a terminal (--json) the hosted profile is not run and says which flag to pass', async () => {
    const calls: string[] = [];
    const exec = async (o: ExecOptions) => {
      calls.push(o.profile!);
      const a = answers[o.profile!]!;
      return execResult({ finalMessage: a.text, reportedProvider: a.provider, reportedModel: a.model });
    };
    const { ctx, stdout } = context(sb.codexHome, true, hostedEnv);
    expect(await runCompare(ctx, opts({ profiles: ['a1,cloud'] }), { exec, detect, ask: async () => true, progress: () => undefined })).toBe(0);
    expect(calls).toEqual(['a1']);
    const doc = JSON.parse(stdout.join('')) as CompareReport;
    expect(doc.runs[1]).toMatchObject({ profile: 'cloud', status: 'not-run', failure: { code: 'HOSTED_NOT_ALLOWED', fix: expect.stringContaining('--include-hosted') } });
  });

  test('a missing profile file: refused before anything runs (exit 2)', async () => {
    const exec = jestFn();
    const { ctx } = context(sb.codexHome);
    const err = await usageErrorAsync(runCompare(ctx, opts({ profiles: ['a1,nosuch'] }), { exec: exec.fn, detect }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('nosuch.config.toml does not exist');
    expect(exec.calls).toEqual([]);
  });

  test('a provider mismatch fails the run (exit 1): no NAME.md for it, compare.json says why', async () => {
    const exec = async (o: ExecOptions) =>
      o.profile === 'b'
        ? execResult({ finalMessage: 'from the base config', reportedProvider: 'openai', reportedModel: 'gpt-5' })
        : execResult({ finalMessage: 'answer from a1', reportedProvider: 'srv-a', reportedModel: 'm-a1' });
    const { ctx, stdout } = context(sb.codexHome, true);
    expect(await runCompare(ctx, opts(), { exec, detect, progress: () => undefined })).toBe(1);
    const doc = JSON.parse(stdout.join('')) as CompareReport;
    expect(doc.ok).toBe(false);
    expect(doc.runs[1]).toMatchObject({ profile: 'b', status: 'failed', file: null, reportedProvider: 'openai', failure: { code: 'provider_mismatch' } });
    expect(doc.diffs).toEqual([]);
    expect(fs.readdirSync(outDir).sort()).toEqual(['a1.md', 'compare.json']);
  });

  test('an exception from the runner fails that run only (exit 1)', async () => {
    const exec = async (o: ExecOptions) => {
      if (o.profile === 'b') throw new Error('spawn EMFILE');
      return execResult({ finalMessage: 'answer from a1', reportedProvider: 'srv-a', reportedModel: 'm-a1' });
    };
    const { ctx, stdout } = context(sb.codexHome, true);
    expect(await runCompare(ctx, opts(), { exec, detect, progress: () => undefined })).toBe(1);
    const doc = JSON.parse(stdout.join('')) as CompareReport;
    expect(doc.runs.map((r) => [r.profile, r.status, r.failure?.message ?? null])).toEqual([
      ['a1', 'ok', null],
      ['b', 'failed', 'could not run codex: spawn EMFILE'],
    ]);
  });

  test('without --out: a new temporary folder, named in the output', async () => {
    const exec = async (o: ExecOptions) => {
      const a = answers[o.profile!]!;
      return execResult({ finalMessage: a.text, reportedProvider: a.provider, reportedModel: a.model });
    };
    const { ctx, stdout } = context(sb.codexHome, true);
    expect(await runCompare(ctx, opts({ out: undefined }), { exec, detect, progress: () => undefined })).toBe(0);
    const doc = JSON.parse(stdout.join('')) as CompareReport;
    try {
      expect(path.basename(doc.outDir)).toMatch(/^codex-profiles-compare-/);
      expect(fs.readdirSync(doc.outDir).sort()).toEqual(['a1.md', 'b.md', 'compare.json']);
    } finally {
      fs.rmSync(doc.outDir, { recursive: true, force: true });
    }
  });

  test('config.toml that is not valid TOML: exit 2 naming the file, nothing run', async () => {
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), 'model_provider = \n');
    const exec = jestFn();
    const { ctx } = context(sb.codexHome);
    const err = await usageErrorAsync(runCompare(ctx, opts(), { exec: exec.fn, detect }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^Not comparing: .*config\.toml/);
    expect(exec.calls).toEqual([]);
  });

  test('codex not found: exit 2, nothing run', async () => {
    const exec = jestFn();
    const { ctx } = context(sb.codexHome);
    const missing = async (): Promise<CodexInfo> => ({ ...FILE_CODEX, found: false, bin: undefined, warnings: ['codex was not found on PATH; ...'] });
    const err = await usageErrorAsync(runCompare(ctx, opts(), { exec: exec.fn, detect: missing }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('Cannot compare: codex was not found on PATH; ...');
    expect(exec.calls).toEqual([]);
  });

  test('--timeout must be positive', async () => {
    const { ctx } = context(sb.codexHome);
    expect((await usageErrorAsync(runCompare(ctx, opts({ timeoutSeconds: 0 }), { detect }))).message).toBe('--timeout needs a number of seconds greater than 0.');
  });
});

/** A recording exec that must never be called in refusal tests. */
function jestFn(): { fn: (o: ExecOptions) => Promise<ExecResult>; calls: ExecOptions[] } {
  const calls: ExecOptions[] = [];
  return {
    calls,
    fn: async (o) => {
      calls.push(o);
      return execResult();
    },
  };
}
