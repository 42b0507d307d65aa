/** The smoke test's selection, pre-checks and verdict, with a fake runner and fake probes. */
import { chooseProfile, configRejection, judgeRun, noRetryArgs, runSmoke, selectNames, summarize, type SmokeResult } from '../../../src/verify/smoke.js';
import { effectiveProvider } from '../../../src/verify/provider-of.js';
import type { ServerProbe } from '../../../src/verify/probe.js';
import type { ExecOptions, ExecResult } from '../../../src/codex/exec.js';
import type { HomeState } from '../../../src/config/profiles.js';
import { answered, FILE_CODEX, homeWith, model, OLD_CODEX, probeOf, V2_CODEX } from './fixtures.js';
import { decoyConfig } from '../../helpers/codex-info.js';

const DECOY = decoyConfig();
const OLLAMA = 'http://localhost:11434';

describe('chooseProfile: the profile must exist where this codex looks', () => {
  let state: HomeState;
  beforeAll(async () => {
    state = await homeWith({
      'config.toml': DECOY + '\n[profiles.both]\nmodel = "m"\n\n[profiles.tableonly]\nmodel = "m"\n',
      'both.config.toml': 'model = "m"\n',
      'fileonly.config.toml': 'model = "m"\n',
      'bad:name.config.toml': 'model = "m"\n',
    });
  });

  test('>= 0.134: the file, with -p', () => {
    expect(chooseProfile(state, FILE_CODEX, 'fileonly')).toMatchObject({ profile: { layout: 'file', name: 'fileonly' }, profileV2: false });
  });
  test('>= 0.134: a missing file would fall back silently -> profile_not_found with the path', () => {
    const r = chooseProfile(state, FILE_CODEX, 'ghost');
    expect(r).toMatchObject({ code: 'profile_not_found' });
    expect((r as { message: string }).message).toContain(`${state.home}/ghost.config.toml does not exist`);
  });
  test('>= 0.134: a table alone, or a table beside the file -> legacy_profile pointing to migrate', () => {
    const alone = chooseProfile(state, FILE_CODEX, 'tableonly') as { code: string; message: string; fix: string };
    expect(alone.code).toBe('legacy_profile');
    expect(alone.message).toMatch(/silently runs the base config/);
    expect(alone.fix).toContain('codex-profiles migrate');
    const both = chooseProfile(state, FILE_CODEX, 'both') as { code: string; message: string };
    expect(both.code).toBe('legacy_profile');
    expect(both.message).toMatch(/refuses `-p both`/);
  });
  test('>= 0.134: a name codex rejects -> invalid_profile_name', () => {
    expect(chooseProfile(state, FILE_CODEX, 'bad:name')).toMatchObject({ code: 'invalid_profile_name' });
  });
  test('>= 0.134: a profile = "X" selector breaks every run', async () => {
    const sel = await homeWith({ 'config.toml': 'profile = "a"\n' + DECOY, 'a.config.toml': 'model = "m"\n' });
    expect(chooseProfile(sel, FILE_CODEX, 'a')).toMatchObject({ code: 'legacy_profile', message: expect.stringContaining('profile = "a"') });
    // The same selector is fine up to 0.133.
    expect(chooseProfile(sel, V2_CODEX, 'a')).toMatchObject({ profileV2: true });
  });
  test('0.131-0.133: the table with -p (preferred when both exist, with a note), a file with --profile-v2', () => {
    expect(chooseProfile(state, V2_CODEX, 'tableonly')).toMatchObject({ profile: { layout: 'table' }, profileV2: false, warnings: [] });
    const both = chooseProfile(state, V2_CODEX, 'both') as { profile: { layout: string }; warnings: string[] };
    expect(both.profile.layout).toBe('table');
    expect(both.warnings[0]).toMatch(/both\.config\.toml exists too/);
    expect(chooseProfile(state, V2_CODEX, 'fileonly')).toMatchObject({ profile: { layout: 'file' }, profileV2: true });
    expect(chooseProfile(state, V2_CODEX, 'ghost')).toMatchObject({ code: 'profile_not_found', message: expect.stringContaining('no ghost.config.toml') });
  });
  test('<= 0.130: a file cannot be selected -> profile_file_unsupported', () => {
    expect(chooseProfile(state, OLD_CODEX, 'fileonly')).toMatchObject({ code: 'profile_file_unsupported' });
    expect(chooseProfile(state, OLD_CODEX, 'tableonly')).toMatchObject({ profileV2: false });
  });
});

describe('configRejection: what codex refuses to load at all', () => {
  test('a redefined built-in id, in config.toml or in the profile file', async () => {
    const s1 = await homeWith({ 'config.toml': DECOY + '[model_providers.ollama]\nname = "x"\nbase_url = "http://127.0.0.1:1/v1"\n', 'a.config.toml': 'model = "m"\n' });
    expect(configRejection(s1, s1.profiles[0]!)).toMatchObject({ code: 'config_error', message: expect.stringContaining('[model_providers.ollama]') });
    const s2 = await homeWith({ 'config.toml': DECOY, 'a.config.toml': 'model = "m"\n[model_providers.lmstudio]\nname = "x"\n' });
    expect(configRejection(s2, s2.profiles[0]!)).toMatchObject({ code: 'config_error', message: expect.stringContaining('a.config.toml') });
  });
  test('wire_api = "chat" anywhere in config.toml', async () => {
    const s = await homeWith({ 'config.toml': DECOY + '[model_providers.old]\nname = "o"\nbase_url = "http://127.0.0.1:1/v1"\nwire_api = "chat"\n', 'a.config.toml': 'model = "m"\n' });
    expect(configRejection(s, s.profiles[0]!)).toMatchObject({ code: 'config_error', fix: expect.stringContaining('responses') });
  });
  test('a clean config: nothing', async () => {
    const s = await homeWith({ 'config.toml': DECOY, 'a.config.toml': 'model = "m"\n' });
    expect(configRejection(s, s.profiles[0]!)).toBeUndefined();
  });
});

describe('pre-checks (runSmoke with a fake probe and runner)', () => {
  const ran: ExecOptions[] = [];
  const exec = async (opts: ExecOptions): Promise<ExecResult> => {
    ran.push(opts);
    return answered(opts, 'OK', opts.profile === 'custom' ? 'box' : 'ollama', opts.profile === 'custom' ? 'b' : 'qwen3:8b');
  };
  beforeEach(() => (ran.length = 0));
  const run = async (files: Record<string, string>, probe: (url: string) => ServerProbe, extra: { includeHosted?: boolean; names?: string[] } = {}) => {
    const state = await homeWith({ 'config.toml': DECOY, ...files });
    return runSmoke({ state, codex: FILE_CODEX, env: {}, all: !extra.names, names: extra.names, includeHosted: extra.includeHosted, timeoutMs: 1000 }, { exec, probe: async (url) => probe(url) });
  };
  const p = 'model = "qwen3:8b"\nmodel_provider = "ollama"\n';

  test('all good: runs once with -p, the prompt, no retry override for a built-in id', async () => {
    const r = await run({ 'a.config.toml': p }, (url) => probeOf('ollama', url, [model('ollama', 'qwen3:8b')]));
    expect(r.results[0]).toMatchObject({ name: 'a', status: 'pass', answer: 'OK', provider: 'ollama', model: 'qwen3:8b', providerUrl: `${OLLAMA}/v1`, selectWith: '-p' });
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ profile: 'a', profileV2: false, prompt: 'Reply with exactly OK', timeoutMs: 1000, extraArgs: [] });
    expect(r).toMatchObject({ ok: true, summary: { pass: 1, fail: 0, skipped: 0, notRun: 0 } });
  });
  test('provider down / not responding: skipped, never run', async () => {
    const r = await run({ 'a.config.toml': p }, (url) => probeOf('ollama', url, [], { status: 'down', reason: 'connection refused' }));
    expect(r.results[0]).toMatchObject({ status: 'skipped', code: 'provider_down', message: expect.stringContaining('connection refused'), fix: expect.stringContaining('ollama serve') });
    const t = await run({ 'a.config.toml': p }, (url) => probeOf('lmstudio', url, [], { status: 'not-responding' }));
    expect(t.results[0]).toMatchObject({ code: 'provider_down' });
    expect(ran).toEqual([]);
    expect(r.ok).toBe(false);
  });
  test('Ollama before 0.13.4 is too old (0.13.3 included); 0.13.4 runs; an unknown version runs with a note', async () => {
    for (const [version, code] of [['0.12.0', 'ollama_too_old'], ['0.13.3', 'ollama_too_old']] as const) {
      const r = await run({ 'a.config.toml': p }, (url) => probeOf('ollama', url, [model('ollama', 'qwen3:8b')], { version }));
      expect(r.results[0]).toMatchObject({ status: 'skipped', code, message: expect.stringContaining(`Ollama ${version}`) });
    }
    expect(ran).toEqual([]);
    const ok = await run({ 'a.config.toml': p }, (url) => probeOf('ollama', url, [model('ollama', 'qwen3:8b')], { version: '0.13.4' }));
    expect(ok.results[0]!.status).toBe('pass');
    const unknown = await run({ 'a.config.toml': p }, (url) => ({ ...probeOf('ollama', url, [model('ollama', 'qwen3:8b')]), version: undefined }));
    expect(unknown.results[0]).toMatchObject({ status: 'pass', warnings: [expect.stringContaining('did not say its version')] });
  });
  test('model not installed: skipped with what the server has and how to get it (never downloaded)', async () => {
    const r = await run({ 'a.config.toml': 'model = "llama3:70b"\nmodel_provider = "ollama"\n' }, (url) => probeOf('ollama', url, [model('ollama', 'qwen3:8b')]));
    expect(r.results[0]).toMatchObject({ status: 'skipped', code: 'model_missing', fix: expect.stringContaining('ollama pull llama3:70b') });
    expect(r.results[0]!.message).toContain('`qwen3:8b`');
    expect(ran).toEqual([]);
  });
  test('Ollama: `name` matches `name:latest`', async () => {
    const r = await run({ 'a.config.toml': 'model = "qwen3"\nmodel_provider = "ollama"\n' }, (url) => probeOf('ollama', url, [model('ollama', 'qwen3:latest')]));
    expect(ran).toHaveLength(1);
    expect(r.results[0]!.code).not.toBe('model_missing');
  });
  test('no tools: a failed pre-check (an error, as in audit and add), codex never started, even if it would answer OK', async () => {
    for (const provider of ['ollama', 'lmstudio'] as const) {
      const weak = model(provider, 'qwen3:8b', { capabilities: { tools: false, completion: true } });
      const r = await run({ 'a.config.toml': `model = "qwen3:8b"\nmodel_provider = "${provider}"\n` }, (url) => probeOf(provider, url, [weak]));
      expect(r.results[0]).toMatchObject({ status: 'skipped', code: 'no_tool_support', message: expect.stringContaining('`qwen3:8b`'), fix: expect.any(String) });
      expect(r.ok).toBe(false);
    }
    expect(ran).toEqual([]);
  });
  test('small context: run anyway (a warning), with a note that explains a failure', async () => {
    const weak = model('ollama', 'qwen3:8b', { contextLength: 8192, runtimeContextLength: 4096 });
    const r = await run({ 'a.config.toml': p }, (url) => probeOf('ollama', url, [weak]));
    expect(ran).toHaveLength(1);
    expect(r.results[0]!.warnings.join('\n')).toMatch(/8k tokens of context/);
  });
  test('a server of no kind we know: run, with a note that the model was not checked', async () => {
    const r = await run(
      { 'custom.config.toml': 'model = "b"\nmodel_provider = "box"\n[model_providers.box]\nname = "vllm"\nbase_url = "http://127.0.0.1:8000/v1"\nwire_api = "responses"\n' },
      (url) => probeOf('unknown', url, [], { status: 'error', reason: 'HTTP 404 on /api/tags' }),
    );
    expect(r.results[0]).toMatchObject({ status: 'pass', warnings: [expect.stringContaining('is no server kind codex-profiles knows')] });
    // A custom id: retries off, so an HTTP error fails at once.
    expect(ran[0]!.extraArgs).toEqual(['-c', 'model_providers.box.stream_max_retries=0', '-c', 'model_providers.box.request_max_retries=0']);
  });
  test('unknown provider id, no model: skipped before any probe', async () => {
    let probes = 0;
    // config.toml without a model: b has none at all (with config.toml's model it would inherit that).
    const noModel = DECOY.replace('model = "decoy-model"\n', '');
    const r = await run({ 'config.toml': noModel, 'a.config.toml': 'model = "m"\nmodel_provider = "nowhere"\n', 'b.config.toml': 'model_provider = "ollama"\n' }, (url) => {
      probes++;
      return probeOf('ollama', url);
    });
    expect(r.results.map((x) => [x.name, x.code])).toEqual([
      ['a', 'unknown_provider'],
      ['b', 'no_model'],
    ]);
    expect(probes).toBe(0);
  });
  test('hosted profiles: not run (and not probed) without includeHosted; run with it', async () => {
    let probes = 0;
    const files = { 'h.config.toml': 'model = "gpt-5.4"\nmodel_provider = "openai"\n' };
    const probe = (url: string) => {
      probes++;
      return probeOf('ollama', url);
    };
    const r = await run(files, probe);
    expect(r.results[0]).toMatchObject({ status: 'not-run', code: 'hosted', hosted: true, fix: expect.stringContaining('--include-hosted') });
    expect(r.ok).toBe(true);
    expect(ran).toEqual([]);
    await run(files, probe, { includeHosted: true });
    expect(ran.map((o) => o.profile)).toEqual(['h']);
    expect(probes).toBe(0);
  });
  test('an Ollama cloud model counts as hosted', async () => {
    const cloud = model('ollama', 'qwen3:8b', { remoteHost: 'https://ollama.com:443' });
    const r = await run({ 'a.config.toml': p }, (url) => probeOf('ollama', url, [cloud]));
    expect(r.results[0]).toMatchObject({ status: 'not-run', code: 'hosted', hosted: true });
    expect(ran).toEqual([]);
  });
  test('names: in the given order, once each; a missing one is skipped', async () => {
    const r = await run({ 'a.config.toml': p, 'b.config.toml': p }, (url) => probeOf('ollama', url, [model('ollama', 'qwen3:8b')]), { names: ['b', 'zzz', 'b', 'a'] });
    expect(r.results.map((x) => [x.name, x.status])).toEqual([
      ['b', 'pass'],
      ['zzz', 'skipped'],
      ['a', 'pass'],
    ]);
  });
});

describe('judgeRun: the verdict', () => {
  let state: HomeState;
  beforeAll(async () => {
    state = await homeWith({ 'config.toml': DECOY, 'a.config.toml': 'model = "qwen3:8b"\nmodel_provider = "ollama"\n' });
  });
  const base: SmokeResult = { name: 'a', hosted: false, status: 'skipped', warnings: [] };
  const opts = { profile: 'a', prompt: 'Reply with exactly OK' } as ExecOptions;
  const provider = () => effectiveProvider(state, state.profiles[0]!, {});

  test('exactly OK after trimming: pass', () => {
    expect(judgeRun(base, provider(), answered(opts, '  OK\n', 'ollama', 'qwen3:8b'))).toMatchObject({ status: 'pass', answer: '  OK\n' });
  });
  test('trivial formatting (case, a period, emphasis): pass, with a note showing the answer', () => {
    for (const text of ['ok', 'OK.', '**OK**']) {
      const r = judgeRun(base, provider(), answered(opts, text, 'ollama', 'qwen3:8b'));
      expect(r).toMatchObject({ status: 'pass', answer: text });
      expect(r.warnings.join('\n')).toContain(`answered ${JSON.stringify(text)}: counted as "OK"`);
    }
  });
  test('anything else: wrong_answer, showing what came back', () => {
    for (const text of ['OK!', 'Okay', 'Sure: OK', 'NOPE']) {
      const r = judgeRun(base, provider(), answered(opts, text, 'ollama', 'qwen3:8b'));
      expect(r).toMatchObject({ status: 'fail', code: 'wrong_answer', answer: text });
      expect(r.message).toContain(JSON.stringify(text));
    }
  });
  test('provider: or model: different from the profile: wrong_target, even with OK', () => {
    const r = judgeRun(base, provider(), answered(opts, 'OK', 'decoy', 'decoy-model'));
    expect(r).toMatchObject({ status: 'fail', code: 'wrong_target', reportedProvider: 'decoy', reportedModel: 'decoy-model' });
    expect(r.message).toMatch(/the prompt went somewhere else/);
    expect(judgeRun(base, provider(), answered(opts, 'OK', 'ollama', 'gpt-oss:20b'))).toMatchObject({ code: 'wrong_target' });
  });
  test('a failed run keeps codex\'s classified failure; a timeout is a fail with timedOut', () => {
    const failed = answered(opts, '', 'ollama', 'qwen3:8b', { ok: false, exitCode: 1, finalMessage: undefined, failure: { code: 'model_missing', message: 'gone', fix: 'pull it' } });
    expect(judgeRun(base, provider(), failed)).toMatchObject({ status: 'fail', code: 'model_missing', message: 'gone', fix: 'pull it' });
    const timedOut = answered(opts, '', 'ollama', 'qwen3:8b', { ok: false, exitCode: null, timedOut: true, finalMessage: undefined, failure: { code: 'timeout', message: 'codex did not finish within 3 s' } });
    expect(judgeRun(base, provider(), timedOut)).toMatchObject({ status: 'fail', code: 'timeout', timedOut: true, exitCode: null });
  });
  test('runCodexExec refused to start: skipped with its reason', () => {
    const refused: ExecResult = { ok: false, exitCode: null, timedOut: false, stderr: '', stdout: '', durationMs: 0, args: [], skipped: true, failure: { code: 'profile_not_found', message: 'no file' } };
    expect(judgeRun(base, provider(), refused)).toMatchObject({ status: 'skipped', code: 'profile_not_found' });
  });
  test('no header at all: passes on OK, with a note that the target was not confirmed', () => {
    const r = judgeRun(base, provider(), answered(opts, 'OK', 'x', 'y', { reportedProvider: undefined, reportedModel: undefined }));
    expect(r.status).toBe('pass');
    expect(r.warnings).toEqual([expect.stringContaining('could not be confirmed')]);
  });
});

describe('small pieces', () => {
  test('noRetryArgs: custom plain ids only', async () => {
    const state = await homeWith({
      'config.toml': DECOY + '[model_providers."odd.id"]\nname = "x"\nbase_url = "http://127.0.0.1:1/v1"\n',
      'a.config.toml': 'model = "m"\nmodel_provider = "ollama"\n',
      'b.config.toml': 'model = "m"\nmodel_provider = "odd.id"\n',
      'c.config.toml': 'model = "m"\n',
    });
    const [a, b, c] = state.profiles.map((p) => effectiveProvider(state, p, {}));
    expect(noRetryArgs(a!)).toEqual([]);
    expect(noRetryArgs(b!)).toEqual([]);
    expect(noRetryArgs(c!)).toEqual(['-c', 'model_providers.decoy.stream_max_retries=0', '-c', 'model_providers.decoy.request_max_retries=0']);
  });
  test('selectNames and summarize', async () => {
    const state = await homeWith({ 'config.toml': DECOY + '[profiles.t]\nmodel = "m"\n', 't.config.toml': 'model = "m"\n', 'u.config.toml': 'model = "m"\n' });
    expect(selectNames(state, undefined, true)).toEqual(['t', 'u']);
    expect(selectNames(state, ['u', 'u'], false)).toEqual(['u']);
    const r = (status: SmokeResult['status']): SmokeResult => ({ name: 'x', hosted: false, status, warnings: [] });
    expect(summarize([r('pass'), r('fail'), r('skipped'), r('not-run'), r('pass')])).toEqual({ pass: 2, fail: 1, skipped: 1, notRun: 1 });
  });
});
