/**
 * `codex-profiles audit` end to end: the built CLI with the real codex binaries, fake Ollama /
 * LM Studio servers on 127.0.0.1 and temporary homes. Every config has the local `decoy` as its
 * base provider. The non-loopback provider in these configs (192.0.2.10, TEST-NET-1) is hosted
 * by definition, so it is never contacted: the audit only reads its table.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  baseConfig,
  cli,
  fileProfile,
  LMS_MODEL,
  makeHome,
  OLLAMA_MODEL,
  parseJson,
  providerToml,
  responsesCalls,
  startFakes,
  tableProfile,
  type Fakes,
  type Home,
} from '../helpers/checks-home.js';
import { refusedPort } from '../helpers/fake-http.js';

interface Finding {
  rule: string;
  severity: 'error' | 'warn' | 'info';
  file: string;
  line?: number;
  column?: number;
  profile?: string;
  message: string;
  fix: string;
}

interface AuditDoc {
  ok: boolean;
  findings: Finding[];
  smoke: { results: Array<{ name: string; status: string; code?: string; toolCall?: { status: string } }>; summary: Record<string, number> } | null;
  summary: { error: number; warn: number; info: number };
  codex: { version: string; layout: string };
}

const byRule = (doc: AuditDoc, rule: string) => doc.findings.filter((f) => f.rule === rule);

/** 1-based line of the first line of `text` that starts with `prefix`. */
function lineOf(text: string, prefix: string): number {
  const i = text.split('\n').findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`no line starting with ${prefix}`);
  return i + 1;
}

describe('audit, codex 0.169', () => {
  const v = '0.169';
  let f: Fakes;
  let home: Home;

  beforeAll(async () => {
    f = await startFakes({
      ollamaModels: [
        { name: OLLAMA_MODEL, contextLength: 131072, loaded: true, loadedContextLength: 65536 },
        { name: 'chatonly:1b', capabilities: ['completion'], contextLength: 131072, loaded: true, loadedContextLength: 65536 },
        { name: 'small:3b', contextLength: 8192 },
      ],
    });
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(() => {
    f.reset();
    f.answer.ollama = { text: 'OK' };
    f.answer.lms = { text: 'OK' };
    home = makeHome(f);
    // Web search off for every profile (config.toml's top level), as add writes it per profile.
    home.write('config.toml', baseConfig(f.decoy, 'web_search = "disabled"'));
    home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
    home.write('coder.config.toml', fileProfile('lms', LMS_MODEL, providerToml('lms', `${f.lms.url}/v1`)));
  });
  afterEach(() => home.sb.cleanup());

  test('a clean home: no findings, the smoke test passes for every local profile, exit 0', async () => {
    const r = await cli(v, home, ['audit', '--json']);
    expect(r.code).toBe(0);
    const doc = parseJson<AuditDoc>(r);
    expect(doc.findings).toEqual([]);
    expect(doc.ok).toBe(true);
    expect(doc.codex).toMatchObject({ version: '0.169.0', layout: 'file' });
    expect(doc.smoke?.results.map((x) => [x.name, x.status])).toEqual([
      ['coder', 'pass'],
      ['oll', 'pass'],
    ]);
    // Per profile: the OK check, then the tool-call check (a call, then the answer); on by default.
    expect(responsesCalls(f.ollama)).toHaveLength(3);
    expect(responsesCalls(f.lms)).toHaveLength(3);
    expect(doc.smoke?.results.map((x) => x.toolCall?.status)).toEqual(['pass', 'pass']);
    expect(f.decoy.requests).toEqual([]);

    const text = await cli(v, home, ['audit']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No findings.');
    expect(text.stdout).toMatch(/^oll\s+ollama\s+qwen3:8b\s+pass/m);
    expect(text.stdout).toContain('0 errors, 0 warnings, 0 notes');
  });

  test('--no-smoke: static checks only, no prompt is sent anywhere', async () => {
    const r = await cli(v, home, ['audit', '--no-smoke', '--json']);
    expect(r.code).toBe(0);
    expect(parseJson<AuditDoc>(r).smoke).toBeNull();
    expect(responsesCalls(f.ollama)).toEqual([]);
    expect(responsesCalls(f.lms)).toEqual([]);
    expect(f.ollama.calls()).toContain('GET /api/tags');
  });

  test('legacy config under 0.169: the [profiles.*] table and the profile selector are errors with file:line and point to migrate', async () => {
    const config = baseConfig(f.decoy, 'profile = "oll"\nweb_search = "disabled"') + tableProfile('oll', 'ollama', OLLAMA_MODEL) + tableProfile('old', 'ollama', OLLAMA_MODEL);
    home.write('config.toml', config);
    const r = await cli(v, home, ['audit', '--json']);
    expect(r.code).toBe(1);
    const doc = parseJson<AuditDoc>(r);
    const cfg = home.path('config.toml');
    expect(byRule(doc, 'legacy-profile-selector')).toEqual([
      expect.objectContaining({ severity: 'error', file: cfg, line: lineOf(config, 'profile = '), fix: expect.stringContaining('codex-profiles migrate') }),
    ]);
    const tables = byRule(doc, 'legacy-profile-table');
    expect(tables.map((t) => [t.profile, t.line])).toEqual([
      ['oll', lineOf(config, '[profiles.oll]')],
      ['old', lineOf(config, '[profiles.old]')],
    ]);
    expect(tables[0]!.message).toContain('refuses `-p oll` while it exists beside oll.config.toml');
    expect(tables[1]!.message).toContain('silently runs the base config');
    // The smoke test could not run anything (codex refuses such a config); no duplicate findings for that.
    expect(byRule(doc, 'smoke-test')).toEqual([]);
    expect(doc.smoke?.results.every((x) => x.code === 'legacy_profile')).toBe(true);
    expect(responsesCalls(f.ollama)).toEqual([]);
    expect(f.decoy.requests).toEqual([]);

    const text = await cli(v, home, ['audit', '--no-smoke']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^error  legacy-profile-selector  ${cfg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${lineOf(config, 'profile = ')}$`, 'm'));
    expect(text.stdout).toContain('fix: Run `codex-profiles migrate`');
  });

  test('provider and model rules: each finding with its file, line, severity and fix', async () => {
    const port = await refusedPort();
    // The built-in ids point at a refused port: oss_provider = "lmstudio" has no LM Studio (no server, no lms).
    // PATH: an empty folder, so that an `lms` / `ollama` installed on this machine is not found.
    const emptyBin = path.join(home.sb.root, 'empty-bin');
    fs.mkdirSync(emptyBin);
    const env = { ...home.env, PATH: emptyBin, CODEX_OSS_BASE_URL: '', CODEX_OSS_PORT: String(port) };
    const config =
      baseConfig(f.decoy, 'oss_provider = "lmstudio"') +
      `\n${providerToml('ollama', f.ollama.url + '/v1')}` +
      `\n${providerToml('chatty', f.ollama.url + '/v1').replace('wire_api = "responses"', 'wire_api = "chat"')}` +
      `\n${providerToml('gpu', 'http://192.0.2.10:11434/v1')}` +
      `\n${providerToml('oll-local', f.ollama.url + '/v1')}`;
    home.write('config.toml', config);
    fs.rmSync(home.path('oll.config.toml'));
    home.write('ghostprov.config.toml', fileProfile('nowhere', OLLAMA_MODEL));
    home.write('absent.config.toml', fileProfile('oll-local', 'llama3.3:70b'));
    home.write('notools.config.toml', fileProfile('oll-local', 'chatonly:1b'));
    home.write('tiny.config.toml', fileProfile('oll-local', 'small:3b'));
    home.write('remote.config.toml', fileProfile('gpu', 'gpt-oss:120b'));
    home.write('gpt-oss:20b.config.toml', fileProfile('oll-local', OLLAMA_MODEL));
    const r = await cli(v, home, ['audit', '--no-smoke', '--json'], env);
    expect(r.code).toBe(1);
    const doc = parseJson<AuditDoc>(r);
    const cfg = home.path('config.toml');

    expect(byRule(doc, 'builtin-provider-redefined')).toEqual([
      expect.objectContaining({ severity: 'error', file: cfg, line: lineOf(config, '[model_providers.ollama]'), fix: expect.stringContaining('[model_providers.ollama-local]') }),
    ]);
    expect(byRule(doc, 'wire-api-chat')).toEqual([
      expect.objectContaining({ severity: 'error', file: cfg, line: lineOf(config, 'wire_api = "chat"'), fix: expect.stringContaining('wire_api = "responses"') }),
    ]);
    expect(byRule(doc, 'unknown-provider')).toEqual([
      expect.objectContaining({ severity: 'error', profile: 'ghostprov', file: home.path('ghostprov.config.toml'), line: 2 }),
    ]);
    expect(byRule(doc, 'model-not-installed')).toEqual([
      expect.objectContaining({ severity: 'error', profile: 'absent', file: home.path('absent.config.toml'), line: 1, fix: expect.stringContaining('ollama pull llama3.3:70b') }),
    ]);
    expect(byRule(doc, 'model-no-tools')).toEqual([expect.objectContaining({ severity: 'error', profile: 'notools' })]);
    expect(byRule(doc, 'model-context-small')).toEqual([expect.objectContaining({ severity: 'warn', profile: 'tiny' })]);
    expect(byRule(doc, 'model-context-small')[0]!.message).toContain('8k');
    expect(byRule(doc, 'non-loopback-provider')).toEqual([
      expect.objectContaining({ severity: 'warn', file: cfg, line: lineOf(config, 'base_url = "http://192.0.2.10') }),
    ]);
    expect(byRule(doc, 'hosted-profile')).toEqual([expect.objectContaining({ severity: 'info', profile: 'remote' })]);
    expect(byRule(doc, 'invalid-profile-name')).toEqual([
      expect.objectContaining({ severity: 'error', profile: 'gpt-oss:20b', file: home.path('gpt-oss:20b.config.toml') }),
    ]);
    expect(byRule(doc, 'oss-provider-missing')).toEqual([
      expect.objectContaining({ severity: 'warn', file: cfg, line: lineOf(config, 'oss_provider') }),
    ]);
    // Errors first; the summary counts match.
    const sev = doc.findings.map((x) => x.severity);
    expect(sev).toEqual([...sev].sort((a, b) => ['error', 'warn', 'info'].indexOf(a) - ['error', 'warn', 'info'].indexOf(b)));
    expect(doc.summary.error).toBe(doc.findings.filter((x) => x.severity === 'error').length);
    // Read-only: models were listed, nothing pulled, no prompt sent.
    expect(f.ollama.calls()).toContain('GET /api/tags');
    for (const c of f.ollama.calls()) expect(c).not.toMatch(/^POST \/(api\/pull|v1\/responses)/);
  });

  test('a smoke-test failure is an error finding on the profile file', async () => {
    f.answer.lms = { text: 'NOPE' };
    const r = await cli(v, home, ['audit', '--json']);
    expect(r.code).toBe(1);
    const doc = parseJson<AuditDoc>(r);
    expect(doc.findings).toEqual([
      expect.objectContaining({ rule: 'smoke-test', severity: 'error', profile: 'coder', file: home.path('coder.config.toml'), message: expect.stringContaining('"NOPE"') }),
    ]);
    expect(doc.smoke?.summary).toEqual({ pass: 1, fail: 1, skipped: 0, notRun: 0 });
  });

  test('where prompts go: locality per profile; web search left on and an administrator pin are warnings with their fix', async () => {
    // config.toml without web_search: the profile file decides, and oll's leaves it on.
    home.write('config.toml', baseConfig(f.decoy));
    home.write('coder.config.toml', `${fileProfile('lms', LMS_MODEL)}web_search = "disabled"\n\n${providerToml('lms', `${f.lms.url}/v1`)}`);
    home.write('box.config.toml', `${fileProfile('box', 'm')}web_search = "disabled"\n\n${providerToml('box', 'http://gpu-box:11434/v1')}`);
    const sys = home.env.CODEX_PROFILES_SYSTEM_CONFIG_DIR!;
    fs.mkdirSync(sys, { recursive: true });
    fs.writeFileSync(path.join(sys, 'managed_config.toml'), 'model_provider = "openai"\n');
    const r = await cli(v, home, ['audit', '--no-smoke', '--json']);
    const doc = parseJson<AuditDoc & { profiles: Array<{ name: string; locality: { locality: string; reason: string } }> }>(r);
    expect(Object.fromEntries(doc.profiles.map((p) => [p.name, p.locality.locality]))).toEqual({ box: 'network', coder: 'this-machine', oll: 'this-machine' });
    expect(byRule(doc, 'web-search-on')).toEqual([
      expect.objectContaining({ severity: 'warn', profile: 'oll', file: home.path('oll.config.toml'), fix: expect.stringContaining('web_search = "disabled"') }),
    ]);
    expect(byRule(doc, 'admin-pin')).toEqual([expect.objectContaining({ severity: 'warn', file: path.join(sys, 'managed_config.toml'), message: expect.stringContaining('model_provider = "openai"') })]);
    const text = await cli(v, home, ['audit', '--no-smoke']);
    expect(text.stdout).toMatch(/box: prompts go to another host \(provider `box`: the server is on another machine \(gpu-box\)/);
    expect(responsesCalls(f.ollama)).toEqual([]);
  });

  test('invalid TOML: a toml-syntax finding with line and column, exit 2', async () => {
    home.write('coder.config.toml', 'model = "x"\nmodel_provider = = "lms"\n');
    const r = await cli(v, home, ['audit', '--json']);
    expect(r.code).toBe(2);
    const doc = parseJson<AuditDoc>(r);
    expect(byRule(doc, 'toml-syntax')).toEqual([expect.objectContaining({ severity: 'error', file: home.path('coder.config.toml'), line: 2, column: expect.any(Number) })]);
    expect(doc.smoke).toBeNull();
    expect(responsesCalls(f.ollama)).toEqual([]);
  });
});

describe('audit, codex 0.133 (table era)', () => {
  test('[profiles.*] tables are what this codex reads: no legacy findings; the smoke test runs them with -p', async () => {
    const f = await startFakes();
    const home = makeHome(f);
    try {
      home.write('config.toml', baseConfig(f.decoy, 'profile = "oll"\nweb_search = "disabled"') + tableProfile('oll', 'ollama', OLLAMA_MODEL));
      // --no-tools: the OK check only (one prompt), no tool-call check.
      const r = await cli('0.133', home, ['audit', '--json', '--no-tools']);
      expect(r.code).toBe(0);
      const doc = parseJson<AuditDoc>(r);
      expect(doc.smoke?.results[0]?.toolCall).toBeUndefined();
      expect(doc.codex.layout).toBe('table');
      expect(doc.findings).toEqual([]);
      expect(doc.smoke?.results).toEqual([expect.objectContaining({ name: 'oll', status: 'pass' })]);
      expect(responsesCalls(f.ollama)).toHaveLength(1);
      expect(f.decoy.requests).toEqual([]);
    } finally {
      await f.close();
      home.sb.cleanup();
    }
  });
});
