/** Every audit rule: a case where it fires (with file, line, severity, fix) and a near miss where it does not. */
import { AUDIT_RULES, buildAuditContext, runRules, smokeFindings, type Finding } from '../../../src/verify/audit.js';
import type { ServerProbe } from '../../../src/verify/probe.js';
import type { SmokeReport, SmokeResult } from '../../../src/verify/smoke.js';
import type { CodexInfo } from '../../../src/codex/detect.js';
import type { AdminPins } from '../../../src/codex/admin-pins.js';
import { startFix } from '../../../src/discover/fixes.js';
import { FILE_CODEX, homeWith, model, OLD_CODEX, probeOf, V2_CODEX } from './fixtures.js';
import { decoyConfig } from '../../helpers/codex-info.js';

const DECOY = decoyConfig();
const OLLAMA = 'http://localhost:11434';

const fired = new Set<string>();
afterAll(() => {
  // Each rule was shown to fire at least once in this file.
  expect([...fired].sort()).toEqual(AUDIT_RULES.map((r) => r.id).sort());
});

interface Opts {
  codex?: CodexInfo;
  env?: NodeJS.ProcessEnv;
  probe?: (url: string) => ServerProbe;
  ossProbe?: (url: string) => ServerProbe;
  adminPins?: AdminPins;
}

const healthy = (url: string) => probeOf('ollama', url, [model('ollama', 'qwen3:8b')]);

async function audit(files: Record<string, string>, o: Opts = {}): Promise<Finding[]> {
  const state = await homeWith({ 'config.toml': DECOY, ...files });
  const probed: string[] = [];
  const ctx = await buildAuditContext(
    state,
    o.codex ?? FILE_CODEX,
    o.env ?? {},
    async (url) => {
      probed.push(url);
      return (o.probe ?? healthy)(url);
    },
    async (url) => (o.ossProbe ?? healthy)(url),
  );
  if (o.adminPins) ctx.adminPins = o.adminPins;
  const findings = runRules(ctx);
  for (const f of findings) fired.add(f.rule);
  return findings;
}
const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
const P = 'model = "qwen3:8b"\nmodel_provider = "ollama"\n';
/** P as add writes it now: web search off. */
const P_OFF = `${P}web_search = "disabled"\n`;

test('a clean home: no findings', async () => {
  expect(await audit({ 'a.config.toml': P_OFF })).toEqual([]);
});

test('toml-syntax: file, line and column; a valid file: none', async () => {
  const fs = await audit({ 'a.config.toml': 'model = \n' });
  expect(only(fs, 'toml-syntax')).toEqual([expect.objectContaining({ severity: 'error', line: 1, column: expect.any(Number), file: expect.stringMatching(/a\.config\.toml$/) })]);
  expect(only(await audit({ 'a.config.toml': P }), 'toml-syntax')).toEqual([]);
});

test('a finding is a diagnostic too: code = the rule id, place = file, line and column', async () => {
  const [f] = only(await audit({ 'a.config.toml': 'model = \n' }), 'toml-syntax');
  expect(f).toMatchObject({ code: 'toml-syntax', place: { file: f!.file, line: 1, col: f!.column } });
  expect(f!.column).toEqual(expect.any(Number));
});

test('legacy-profile-table: an error from 0.134 (line of the table); what 0.133 reads: none', async () => {
  const files = { 'config.toml': DECOY + '\n[profiles.t]\nmodel = "qwen3:8b"\nmodel_provider = "ollama"\n' };
  expect(only(await audit(files), 'legacy-profile-table')).toEqual([
    expect.objectContaining({ severity: 'error', line: 8, profile: 't', message: expect.stringContaining('silently runs the base config'), fix: expect.stringContaining('codex-profiles migrate') }),
  ]);
  expect(only(await audit(files, { codex: V2_CODEX }), 'legacy-profile-table')).toEqual([]);
});

test('legacy-profile-selector: an error from 0.134; fine up to 0.133', async () => {
  const files = { 'config.toml': 'profile = "a"\n' + DECOY, 'a.config.toml': P };
  expect(only(await audit(files), 'legacy-profile-selector')).toEqual([expect.objectContaining({ severity: 'error', line: 1, fix: expect.stringContaining('migrate') })]);
  expect(only(await audit(files, { codex: V2_CODEX }), 'legacy-profile-selector')).toEqual([]);
});

test('profile-file-unsupported: a file profile under codex <= 0.130; 0.131+ reads it', async () => {
  expect(only(await audit({ 'a.config.toml': P }, { codex: OLD_CODEX }), 'profile-file-unsupported')).toEqual([expect.objectContaining({ severity: 'error', profile: 'a' })]);
  expect(only(await audit({ 'a.config.toml': P }, { codex: V2_CODEX }), 'profile-file-unsupported')).toEqual([]);
});

test('builtin-provider-redefined: [model_providers.lmstudio] in a profile file; a custom id: none', async () => {
  const fs = await audit({ 'a.config.toml': P + '[model_providers.lmstudio]\nname = "x"\nbase_url = "http://127.0.0.1:1234/v1"\n' });
  expect(only(fs, 'builtin-provider-redefined')).toEqual([expect.objectContaining({ severity: 'error', line: 3, file: expect.stringMatching(/a\.config\.toml$/) })]);
  expect(only(await audit({ 'a.config.toml': P + '[model_providers.lmstudio-local]\nname = "x"\nbase_url = "http://127.0.0.1:1234/v1"\n' }), 'builtin-provider-redefined')).toEqual([]);
});

test('wire-api-chat: the line of wire_api; "responses": none', async () => {
  const table = (w: string) => `[model_providers.box]\nname = "b"\nbase_url = "http://127.0.0.1:8000/v1"\nwire_api = "${w}"\n`;
  expect(only(await audit({ 'config.toml': DECOY + table('chat') }), 'wire-api-chat')).toEqual([expect.objectContaining({ severity: 'error', line: 10, fix: expect.stringContaining('"responses"') })]);
  expect(only(await audit({ 'config.toml': DECOY + table('responses') }), 'wire-api-chat')).toEqual([]);
});

test('invalid-profile-name: error from 0.134, warn before; a plain name: none', async () => {
  expect(only(await audit({ 'gpt-oss:20b.config.toml': P }), 'invalid-profile-name')).toEqual([expect.objectContaining({ severity: 'error', profile: 'gpt-oss:20b' })]);
  expect(only(await audit({ 'config.toml': DECOY + '\n[profiles."a.b"]\nmodel = "qwen3:8b"\n' }, { codex: V2_CODEX }), 'invalid-profile-name')).toEqual([
    expect.objectContaining({ severity: 'warn', profile: 'a.b' }),
  ]);
  expect(only(await audit({ 'gpt-oss_20b.config.toml': P }), 'invalid-profile-name')).toEqual([]);
});

test('unknown-provider: on the model_provider line of the profile, or of config.toml; a defined id: none', async () => {
  expect(only(await audit({ 'a.config.toml': 'model = "m"\nmodel_provider = "olama"\n' }), 'unknown-provider')).toEqual([
    expect.objectContaining({ severity: 'error', profile: 'a', line: 2, fix: expect.stringContaining('[model_providers.olama]') }),
  ]);
  expect(only(await audit({ 'config.toml': 'model_provider = "nope"\n' }), 'unknown-provider')).toEqual([expect.objectContaining({ line: 1, file: expect.stringMatching(/config\.toml$/) })]);
  expect(only(await audit({ 'a.config.toml': P }), 'unknown-provider')).toEqual([]);
});

test('model-unset: a local profile without a model anywhere; with one (or inherited): none', async () => {
  const noModel = DECOY.replace('model = "decoy-model"\n', '');
  expect(only(await audit({ 'config.toml': noModel, 'a.config.toml': 'model_provider = "ollama"\n' }), 'model-unset')).toEqual([expect.objectContaining({ severity: 'error', profile: 'a' })]);
  expect(only(await audit({ 'a.config.toml': 'model_provider = "ollama"\n' }), 'model-unset')).toEqual([]);
  // Hosted: codex's own default model is fine there.
  expect(only(await audit({ 'config.toml': noModel, 'h.config.toml': 'model_provider = "openai"\n' }), 'model-unset')).toEqual([]);
});

test('provider-unreachable: an error for a down server (as in doctor), with doctor\'s fix; up: none', async () => {
  const down = (url: string) => probeOf('ollama', url, [], { status: 'down', reason: 'connection refused' });
  expect(only(await audit({ 'a.config.toml': P }, { probe: down }), 'provider-unreachable')).toEqual([
    expect.objectContaining({ severity: 'error', fix: startFix('ollama'), profile: 'a', message: expect.stringContaining(OLLAMA) }),
  ]);
  expect(startFix('ollama')).toContain('ollama serve');
  expect(only(await audit({ 'a.config.toml': P }), 'provider-unreachable')).toEqual([]);
});

test('ollama-too-old: 0.12.0 is an error; 0.13.4 is not', async () => {
  const at = (version: string) => (url: string) => probeOf('ollama', url, [model('ollama', 'qwen3:8b')], { version });
  expect(only(await audit({ 'a.config.toml': P }, { probe: at('0.12.0') }), 'ollama-too-old')).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('0.13.4') })]);
  expect(only(await audit({ 'a.config.toml': P }, { probe: at('0.13.4') }), 'ollama-too-old')).toEqual([]);
});

test('model-not-installed: on the model line, with the pull command; installed (or an unknown server): none', async () => {
  expect(only(await audit({ 'a.config.toml': 'model = "llama3:70b"\nmodel_provider = "ollama"\n' }), 'model-not-installed')).toEqual([
    expect.objectContaining({ severity: 'error', line: 1, fix: expect.stringContaining('ollama pull llama3:70b') }),
  ]);
  const lms = (url: string) => probeOf('lmstudio', url, [model('lmstudio', 'other')]);
  expect(only(await audit({ 'a.config.toml': 'model = "qwen/x"\nmodel_provider = "lmstudio"\n' }, { probe: lms }), 'model-not-installed')[0]!.fix).toContain('lms get qwen/x');
  expect(only(await audit({ 'a.config.toml': P }), 'model-not-installed')).toEqual([]);
  const unknown = (url: string) => probeOf('unknown', url, [], { status: 'error' });
  expect(only(await audit({ 'a.config.toml': 'model = "x"\nmodel_provider = "ollama"\n' }, { probe: unknown }), 'model-not-installed')).toEqual([]);
});

test('model-no-tools: an error on Ollama and LM Studio alike (one verdict per fact); tools or unknown: none', async () => {
  const noTools = (provider: 'ollama' | 'lmstudio', id: string, tools?: boolean) => (url: string) =>
    probeOf(provider, url, [model(provider, id, { capabilities: { tools, completion: true } })]);
  expect(only(await audit({ 'a.config.toml': P }, { probe: noTools('ollama', 'qwen3:8b', false) }), 'model-no-tools')).toEqual([expect.objectContaining({ severity: 'error' })]);
  expect(only(await audit({ 'a.config.toml': 'model = "k"\nmodel_provider = "lmstudio"\n' }, { probe: noTools('lmstudio', 'k', false) }), 'model-no-tools')).toEqual([
    expect.objectContaining({ severity: 'error' }),
  ]);
  expect(only(await audit({ 'a.config.toml': P }, { probe: noTools('ollama', 'qwen3:8b', undefined) }), 'model-no-tools')).toEqual([]);
});

test('model-context-small: the model runs with 4k; 64k: none', async () => {
  const small = (url: string) => probeOf('ollama', url, [model('ollama', 'qwen3:8b', { runtimeContextLength: 4096, sources: { runtimeContextLength: '/api/ps context_length (loaded now)' } })]);
  expect(only(await audit({ 'a.config.toml': P }, { probe: small }), 'model-context-small')).toEqual([
    expect.objectContaining({ severity: 'warn', message: expect.stringContaining('4k'), fix: expect.stringContaining('OLLAMA_CONTEXT_LENGTH') }),
  ]);
  expect(only(await audit({ 'a.config.toml': P }), 'model-context-small')).toEqual([]);
  // Not loaded, no num_ctx, no OLLAMA_CONTEXT_LENGTH: the server's 4k default applies.
  const unknown = (url: string) => probeOf('ollama', url, [model('ollama', 'qwen3:8b', { runtimeContextLength: undefined })]);
  expect(only(await audit({ 'a.config.toml': P }, { probe: unknown }), 'model-context-small')).toEqual([
    expect.objectContaining({ severity: 'warn', message: expect.stringContaining('default context'), fix: expect.stringContaining('OLLAMA_CONTEXT_LENGTH') }),
  ]);
});

test('context-window-too-large: model_context_window above the model maximum; within: none', async () => {
  expect(only(await audit({ 'a.config.toml': P + 'model_context_window = 262144\n' }), 'context-window-too-large')).toEqual([expect.objectContaining({ severity: 'warn', line: 3 })]);
  expect(only(await audit({ 'a.config.toml': P + 'model_context_window = 65536\n' }), 'context-window-too-large')).toEqual([]);
});

test('context-window-above-runtime: model_context_window above what the server runs, with where that came from', async () => {
  // The fixture model: 128k maximum, loaded with 64k (/api/ps).
  const ps = (url: string) => probeOf('ollama', url, [model('ollama', 'qwen3:8b', { sources: { runtimeContextLength: '/api/ps context_length' } })]);
  const over = only(await audit({ 'a.config.toml': P + 'model_context_window = 131072\n' }, { probe: ps }), 'context-window-above-runtime');
  expect(over).toEqual([expect.objectContaining({ severity: 'warn', line: 3, message: expect.stringContaining('64k tokens (/api/ps context_length)'), fix: expect.stringContaining('model_context_window = 65536') })]);
  expect(only(await audit({ 'a.config.toml': P + 'model_context_window = 65536\n' }, { probe: ps }), 'context-window-above-runtime')).toEqual([]);
  // Above the model's own maximum: the other rule says it, once.
  expect(only(await audit({ 'a.config.toml': P + 'model_context_window = 262144\n' }, { probe: ps }), 'context-window-above-runtime')).toEqual([]);
});

test('non-loopback-provider: a LAN base_url, or CODEX_OSS_BASE_URL elsewhere; loopback: none', async () => {
  const lan = '[model_providers.gpu]\nname = "g"\nbase_url = "http://192.168.1.20:11434/v1"\nwire_api = "responses"\n';
  const probed: string[] = [];
  const fs = await audit({ 'config.toml': DECOY + lan, 'g.config.toml': 'model = "x"\nmodel_provider = "gpu"\n' }, { probe: (url) => (probed.push(url), healthy(url)) });
  expect(only(fs, 'non-loopback-provider')).toEqual([expect.objectContaining({ severity: 'warn', line: 9, message: expect.stringContaining('192.168.1.20') })]);
  // Hosted by definition: never contacted.
  expect(probed.some((u) => u.includes('192.168.1.20'))).toBe(false);
  expect(only(await audit({ 'a.config.toml': P }, { env: { CODEX_OSS_BASE_URL: 'http://10.0.0.5:11434/v1' } }), 'non-loopback-provider')).toEqual([
    expect.objectContaining({ file: '(environment)', message: expect.stringContaining('10.0.0.5') }),
  ]);
  expect(only(await audit({ 'a.config.toml': P }, { env: { CODEX_OSS_BASE_URL: 'http://127.0.0.1:11434/v1' } }), 'non-loopback-provider')).toEqual([]);
});

test('web-search-on: a local profile without web_search = "disabled" (file and table); disabled, hosted or an old codex: none', async () => {
  const on = only(await audit({ 'a.config.toml': 'model = "qwen3:8b"\nmodel_provider = "ollama"\n' }), 'web-search-on');
  expect(on).toEqual([expect.objectContaining({ severity: 'warn', profile: 'a', fix: expect.stringContaining('web_search = "disabled"') })]);
  expect(on[0]!.fix).toContain('codex-profiles add qwen3:8b --name a --force');
  const live = only(await audit({ 'a.config.toml': 'model = "qwen3:8b"\nmodel_provider = "ollama"\nweb_search = "live"\n' }), 'web-search-on');
  expect(live).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining('web_search = "live"') })]);
  const table = only(await audit({ 'config.toml': DECOY + '\n[profiles.t]\nmodel = "qwen3:8b"\nmodel_provider = "ollama"\n' }, { codex: V2_CODEX }), 'web-search-on');
  expect(table).toEqual([expect.objectContaining({ profile: 't', line: 8, fix: expect.stringContaining('[profiles.t]') })]);
  expect(only(await audit({ 'a.config.toml': P_OFF }), 'web-search-on')).toEqual([]);
  expect(only(await audit({ 'h.config.toml': 'model = "gpt-5.4"\nmodel_provider = "openai"\n' }), 'web-search-on')).toEqual([]);
  expect(only(await audit({ 'config.toml': DECOY + '\n[profiles.t]\nmodel = "qwen3:8b"\nmodel_provider = "ollama"\n' }, { codex: OLD_CODEX }), 'web-search-on')).toEqual([]);
});

test('admin-pin: a managed model_provider pin over local profiles; a requirements-only value or no pin: none', async () => {
  const file = '/etc/codex/managed_config.toml';
  const pinned: AdminPins = { dir: '/etc/codex', files: [file], pins: [{ file, key: 'model_provider', value: 'openai', overridesProfiles: true }], errors: [] };
  expect(only(await audit({ 'a.config.toml': P }, { adminPins: pinned }), 'admin-pin')).toEqual([
    expect.objectContaining({ severity: 'warn', file, message: expect.stringContaining('model_provider = "openai" is pinned by the administrator') }),
  ]);
  expect(only(await audit({ 'a.config.toml': P }, { adminPins: pinned }), 'admin-pin')[0]!.message).toContain('the local profile a does not run as written');
  const soft: AdminPins = { ...pinned, pins: [{ file: '/etc/codex/requirements.toml', key: 'web_search', value: 'disabled', overridesProfiles: false }] };
  expect(only(await audit({ 'a.config.toml': P }, { adminPins: soft }), 'admin-pin')).toEqual([]);
  expect(only(await audit({ 'a.config.toml': P }), 'admin-pin')).toEqual([]);
});

test('hosted-profile: info for a profile on openai; a local one: none', async () => {
  expect(only(await audit({ 'h.config.toml': 'model = "gpt-5.4"\nmodel_provider = "openai"\n' }), 'hosted-profile')).toEqual([expect.objectContaining({ severity: 'info', profile: 'h' })]);
  expect(only(await audit({ 'a.config.toml': P }), 'hosted-profile')).toEqual([]);
});

test('oss-provider-missing: not installed is a warn, an unknown value an error; running (or installed): none', async () => {
  const cfg = (v: string) => ({ 'config.toml': `oss_provider = "${v}"\n` + DECOY });
  const missing = (url: string) => probeOf('lmstudio', url, [], { status: 'down', notes: [{ level: 'info', code: 'NOT_INSTALLED', message: 'x' }] });
  expect(only(await audit(cfg('lmstudio'), { ossProbe: missing }), 'oss-provider-missing')).toEqual([expect.objectContaining({ severity: 'warn', line: 1, message: expect.stringContaining('LM Studio is not installed') })]);
  expect(only(await audit(cfg('vllm')), 'oss-provider-missing')).toEqual([expect.objectContaining({ severity: 'error' })]);
  expect(only(await audit(cfg('ollama')), 'oss-provider-missing')).toEqual([]);
  const installedDown = (url: string) => probeOf('ollama', url, [], { status: 'down', notes: [{ level: 'info', code: 'START_SERVER', message: 'x' }] });
  expect(only(await audit(cfg('ollama'), { ossProbe: installedDown }), 'oss-provider-missing')).toEqual([]);
});

describe('smokeFindings', () => {
  const result = (name: string, status: SmokeResult['status'], code?: string): SmokeResult => ({ name, hosted: false, status, code, message: 'm', warnings: [], path: `/h/${name}.config.toml` });
  const report = (results: SmokeResult[]): SmokeReport => ({ ok: false, results, summary: { pass: 0, fail: 0, skipped: 0, notRun: 0 }, durationMs: 0 });
  const err = (rule: string, profile?: string): Finding => ({ rule, code: rule, severity: 'error', file: '/h/config.toml', message: '', fix: '', ...(profile ? { profile } : {}) });

  test('a failed run is an error on the profile file; a pass or not-run is nothing', () => {
    const fs = smokeFindings(report([result('a', 'fail', 'wrong_answer'), result('b', 'pass'), result('c', 'not-run', 'hosted')]), [], '/h/config.toml');
    expect(fs).toEqual([expect.objectContaining({ rule: 'smoke-test', severity: 'error', profile: 'a', file: '/h/a.config.toml' })]);
  });
  test('a skip a static error already explains (for the profile, or config-wide) is not repeated', () => {
    const fs = smokeFindings(
      report([result('a', 'skipped', 'model_missing'), result('b', 'skipped', 'legacy_profile'), result('c', 'skipped', 'provider_down'), result('d', 'skipped', 'model_missing'), result('e', 'skipped', 'no_tool_support')]),
      [err('model-not-installed', 'a'), err('legacy-profile-selector'), err('provider-unreachable', 'c'), err('model-no-tools', 'e')],
      '/h/config.toml',
    );
    expect(fs.map((f) => f.profile)).toEqual(['d']);
    expect(fs[0]!.message).not.toContain('model_missing'); // codes stay in --json (rule, code fields)
  });
});

test('renderFindings: a fix shared by several findings is printed once; hosted profiles are not "hosted: hosted:"', async () => {
  const { renderFindings } = await import('../../../src/verify/audit.js');
  const f = (profile: string): Finding => ({ rule: 'model-context-small', code: 'model-context-small', severity: 'warn', file: `/h/${profile}.config.toml`, profile, message: 'not loaded', fix: 'start the server with OLLAMA_CONTEXT_LENGTH=65536' });
  const text = renderFindings([f('a'), f('b'), f('c')]);
  expect(text.match(/OLLAMA_CONTEXT_LENGTH=65536/g)).toHaveLength(1);
  expect(text).toContain('fix: as for a above');
  const hosted = only(await audit({ 'hosted.config.toml': 'model = "gpt-5"\nmodel_provider = "openai"\n' }), 'hosted-profile');
  expect(hosted[0]!.message).not.toMatch(/^hosted:/);
});
