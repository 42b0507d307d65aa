import path from 'node:path';
import fs from 'node:fs';
/**
 * `codex-profiles doctor` end to end: the built CLI with the real codex binaries, fake servers
 * on 127.0.0.1, temporary homes. Doctor only lists (version, models): no prompt is ever sent.
 */
import {
  baseConfig,
  cli,
  codexBin,
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
} from '../helpers/checks-home.js';
import { runCli } from '../helpers/cli.js';
import { refusedPort } from '../helpers/fake-http.js';
import { startFakeVllm } from '../helpers/fake-vllm.js';
import { startFakeLlamaCpp } from '../helpers/fake-llamacpp.js';

interface DoctorDoc {
  ok: boolean;
  codex: { found: boolean; bin?: string; version?: string; layout: string; profileV2: boolean; ephemeral: boolean };
  codexHome: { path: string; source: string; exists: boolean };
  config: { path: string; exists: boolean; valid: boolean; errors: Array<{ file: string; line: number; column: number }>; profileFiles: number; profileTables: number };
  providers: Array<{ id: string; kind: string; url: string; source: string; status: string; version?: string; exposed: boolean; models: number; usedBy: string[] }>;
  problems: Array<{ severity: string; area: string; message: string; fix: string }>;
  profiles: Array<{ name: string; layout: string; locality: { locality: string; reason: string; place?: string } }>;
}

const provider = (doc: DoctorDoc, id: string) => doc.providers.find((p) => p.id === id);

describe('doctor', () => {
  let f: Fakes;
  beforeAll(async () => {
    f = await startFakes();
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(() => f.reset());

  test('codex 0.169, both providers up: codex, CODEX_HOME, config and each provider reported; exit 0', async () => {
    const home = makeHome(f);
    try {
      home.write('config.toml', baseConfig(f.decoy));
      home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
      home.write('coder.config.toml', fileProfile('lms', LMS_MODEL, providerToml('lms', `${f.lms.url}/v1`)));
      const r = await cli('0.169', home, ['doctor', '--json']);
      expect(r.code).toBe(0);
      const doc = parseJson<DoctorDoc>(r);
      expect(doc.codex).toMatchObject({ found: true, bin: codexBin('0.169'), version: '0.169.0', layout: 'file', profileV2: false, ephemeral: true });
      expect(doc.codexHome).toEqual({ path: home.sb.codexHome, source: 'CODEX_HOME', exists: true });
      expect(doc.config).toMatchObject({ path: home.path('config.toml'), exists: true, valid: true, errors: [], profileFiles: 2, profileTables: 0 });
      expect(provider(doc, 'ollama')).toMatchObject({ kind: 'ollama', url: `${f.ollama.url}/v1`, source: 'CODEX_OSS_BASE_URL', status: 'up', version: '0.13.5', exposed: false, models: 2, usedBy: ['oll'] });
      expect(provider(doc, 'lms')).toMatchObject({ kind: 'lmstudio', url: `${f.lms.url}/v1`, source: `${home.path('coder.config.toml')}:4`, status: 'up', exposed: false, models: 2, usedBy: ['coder'] });
      expect(provider(doc, 'decoy')).toMatchObject({ status: 'error', usedBy: [] });
      // CODEX_OSS_BASE_URL moves BOTH built-in ids: the built-in lmstudio now reaches an Ollama.
      expect(provider(doc, 'lmstudio')).toMatchObject({ kind: 'ollama', url: `${f.ollama.url}/v1`, status: 'up' });
      expect(doc.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ severity: 'warn', area: 'provider', message: expect.stringContaining('the built-in `lmstudio` provider points at') })]),
      );
      expect(doc.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(doc.ok).toBe(true);
      expect(responsesCalls(f.ollama)).toEqual([]);
      expect(responsesCalls(f.lms)).toEqual([]);
      expect(f.decoy.requests.filter((q) => q.path.endsWith('/responses'))).toEqual([]);

      const text = await cli('0.169', home, ['doctor']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`codex        ${codexBin('0.169')}  0.169.0`);
      expect(text.stdout).toContain('layout       profile files (NAME.config.toml, -p NAME)');
      expect(text.stdout).toContain(`CODEX_HOME   ${home.sb.codexHome} (from CODEX_HOME)`);
      expect(text.stdout).toMatch(/config.toml: valid; 2 profile files, 0 \[profiles\.\*\] tables/);
      expect(text.stdout).toMatch(new RegExp(`^ollama\\s+Ollama\\s+${f.ollama.url}/v1\\s+up\\s+0\\.13\\.5\\s+no\\s+2\\s+oll$`, 'm'));
      expect(text.stdout).toContain('Profiles (where prompts go):');
      expect(text.stdout).toMatch(/^ {2}oll: this machine \(built-in provider `ollama` runs on this machine/m);
    } finally {
      home.sb.cleanup();
    }
  });

  test('every server kind: a vLLM behind a profile\'s provider table, llama-server at its own address (LLAMA_ARG_PORT); read-only', async () => {
    const vllm = await startFakeVllm({ version: '0.11.0', models: [{ id: 'qwen3-coder', maxModelLen: 65536 }] });
    const llama = await startFakeLlamaCpp({});
    const home = makeHome(f, { LLAMA_ARG_PORT: new URL(llama.url).port });
    try {
      home.write('config.toml', baseConfig(f.decoy));
      home.write('gpu.config.toml', fileProfile('vllm-box', 'qwen3-coder', providerToml('vllm-box', `${vllm.url}/v1`)));
      const doc = parseJson<DoctorDoc>(await cli('0.169', home, ['doctor', '--json']));
      expect(provider(doc, 'vllm-box')).toMatchObject({ kind: 'vllm', url: `${vllm.url}/v1`, status: 'up', version: '0.11.0', models: 1, usedBy: ['gpu'] });
      expect(provider(doc, 'llamacpp')).toMatchObject({ kind: 'llamacpp', url: `${llama.url}/v1`, source: 'LLAMA_ARG_PORT', status: 'up', models: 1, usedBy: [] });
      expect(doc.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(vllm.calls().filter((c) => c.startsWith('POST'))).toEqual([]);
      expect(llama.calls().filter((c) => c.startsWith('POST') && c !== 'POST /v1/responses')).toEqual([]);
      const text = await cli('0.169', home, ['doctor']);
      expect(text.stdout).toMatch(new RegExp(`^llamacpp\\s+llama-server\\s+${llama.url}/v1\\s+up\\s`, 'm'));
    } finally {
      await vllm.close();
      await llama.close();
      home.sb.cleanup();
    }
  });

  test('problems that need fixing: old Ollama in use, a used provider down, legacy tables under 0.169; exit 1 with fixes', async () => {
    const old = await startFakes({ ollamaVersion: '0.12.0' });
    const home = makeHome(old);
    try {
      const port = await refusedPort();
      home.write('config.toml', baseConfig(old.decoy) + `\n${providerToml('lms-off', `http://127.0.0.1:${port}/v1`)}` + tableProfile('old', 'ollama', OLLAMA_MODEL));
      home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
      home.write('off.config.toml', fileProfile('lms-off', LMS_MODEL));
      const r = await cli('0.169', home, ['doctor', '--json']);
      expect(r.code).toBe(1);
      const doc = parseJson<DoctorDoc>(r);
      const errors = doc.problems.filter((p) => p.severity === 'error');
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ area: 'provider', message: expect.stringContaining('Ollama 0.12.0'), fix: expect.stringContaining('Update Ollama') }),
          expect.objectContaining({ area: 'provider', message: expect.stringContaining(`nothing answers at http://127.0.0.1:${port}/v1`) }),
          expect.objectContaining({ area: 'config', message: expect.stringContaining('1 [profiles.*] table (old)'), fix: expect.stringContaining('codex-profiles migrate') }),
        ]),
      );
      expect(provider(doc, 'lms-off')).toMatchObject({ status: 'down', usedBy: ['off'] });
      expect(doc.ok).toBe(false);
      expect(responsesCalls(old.ollama)).toEqual([]);
    } finally {
      await old.close();
      home.sb.cleanup();
    }
  });

  test('codex 0.131: the table layout, with --profile-v2 for files', async () => {
    const home = makeHome(f);
    try {
      home.write('config.toml', baseConfig(f.decoy) + tableProfile('oll', 'ollama', OLLAMA_MODEL));
      const r = await cli('0.131', home, ['doctor', '--json']);
      expect(r.code).toBe(0);
      const doc = parseJson<DoctorDoc>(r);
      expect(doc.codex).toMatchObject({ found: true, version: '0.131.0', layout: 'table', profileV2: true });
      expect(doc.config).toMatchObject({ profileFiles: 0, profileTables: 1 });
      expect(doc.problems.filter((p) => p.area === 'config')).toEqual([]);
      const text = await cli('0.131', home, ['doctor']);
      expect(text.stdout).toContain('layout       [profiles.NAME] tables (-p); NAME.config.toml with --profile-v2');
    } finally {
      home.sb.cleanup();
    }
  });

  test('no codex, no CODEX_HOME: both reported with what to do; exit 1', async () => {
    const home = makeHome(f);
    try {
      home.sb.cleanup();
      const r = await runCli(['doctor', '--json', '--codex-bin', `${home.sb.root}/nope/codex`], { env: home.env });
      expect(r.code).toBe(1);
      const doc = parseJson<DoctorDoc>(r);
      expect(doc.codex.found).toBe(false);
      expect(doc.codexHome.exists).toBe(false);
      expect(doc.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ severity: 'error', area: 'codex', fix: expect.stringContaining('npm install -g @openai/codex') }),
          expect.objectContaining({ severity: 'warn', area: 'home' }),
        ]),
      );
    } finally {
      home.sb.cleanup();
    }
  });

  test('invalid TOML: the report names file:line:col, exit 2', async () => {
    const home = makeHome(f);
    try {
      home.write('config.toml', 'model = "x"\n[model_providers.a\n');
      const r = await cli('0.169', home, ['doctor']);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(new RegExp(`${home.path('config.toml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: not valid TOML`));
      const json = parseJson<DoctorDoc>(await cli('0.169', home, ['doctor', '--json']));
      expect(json.config).toMatchObject({ valid: false, errors: [expect.objectContaining({ file: home.path('config.toml'), line: 2 })] });
    } finally {
      home.sb.cleanup();
    }
  });

  test('locality: every provider and every profile carries one, with the reason (a non-loopback host is listed, never contacted)', async () => {
    const home = makeHome(f);
    try {
      home.write('config.toml', baseConfig(f.decoy));
      home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
      home.write('box.config.toml', fileProfile('box', 'm', providerToml('box', 'http://gpu-box:11434/v1')));
      home.write('cl.config.toml', fileProfile('ollama', 'gpt-oss:120b-cloud'));
      home.write('h.config.toml', fileProfile('openai', 'gpt-5'));
      const doc = parseJson<DoctorDoc & { providers: Array<{ id: string; status: string; locality: { locality: string } }> }>(await cli('0.169', home, ['doctor', '--json']));
      expect(Object.fromEntries(doc.profiles.map((p) => [p.name, p.locality.locality]))).toEqual({ oll: 'this-machine', box: 'network', cl: 'cloud', h: 'cloud' });
      for (const p of doc.profiles) expect(p.locality.reason.length).toBeGreaterThan(0);
      expect(provider(doc, 'box')).toMatchObject({ status: 'not-probed', locality: { locality: 'network', place: 'gpu-box' } });
      expect(provider(doc, 'ollama')).toMatchObject({ locality: { locality: 'this-machine' } });
      expect(doc.providers.every((p) => (p as { locality?: unknown }).locality !== undefined)).toBe(true);
    } finally {
      home.sb.cleanup();
    }
  });

  test('a managed_config.toml pinning the provider is reported (system folder from the test variable, never /etc)', async () => {
    const home = makeHome(f);
    try {
      home.write('config.toml', baseConfig(f.decoy));
      const dir = home.env.CODEX_PROFILES_SYSTEM_CONFIG_DIR!;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'managed_config.toml'), 'model_provider = "openai"\n');
      const doc = parseJson<DoctorDoc>(await cli('0.169', home, ['doctor', '--json']));
      expect(doc.problems.find((p) => p.message.includes('pins model_provider = "openai"'))).toMatchObject({ severity: 'warn', area: 'config' });
    } finally {
      home.sb.cleanup();
    }
  });
});
