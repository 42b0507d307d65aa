/** Doctor's report and problems (buildDoctorReport is pure), its provider list and probing. */
import { buildDoctorReport, probeTargets, providerTargets, renderDoctor, type DoctorProvider } from '../../../src/verify/doctor.js';
import type { CodexInfo } from '../../../src/codex/detect.js';
import { FILE_CODEX, homeWith, probeOf, V2_CODEX } from './fixtures.js';
import { decoyConfig } from '../../helpers/codex-info.js';

const DECOY = decoyConfig();
const HOME = { path: '/h/.codex', source: 'CODEX_HOME', exists: true };

function prov(extra: Partial<DoctorProvider>): DoctorProvider {
  return { id: 'ollama', kind: 'ollama', url: 'http://localhost:11434/v1', source: 'built-in default', probed: true, status: 'up', version: '0.13.5', exposed: false, models: 2, usedBy: [], ...extra };
}

async function report(files: Record<string, string>, providers: DoctorProvider[], codex: CodexInfo = FILE_CODEX, env: NodeJS.ProcessEnv = {}, home = HOME) {
  const state = await homeWith({ 'config.toml': DECOY, ...files });
  return buildDoctorReport({ codex, home, state, providers, env });
}

describe('buildDoctorReport', () => {
  test('all well: no problems, ok; the facts are in the report', async () => {
    const r = await report({ 'a.config.toml': 'model = "m"\nmodel_provider = "ollama"\n' }, [prov({ usedBy: ['a'] })]);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.codex).toMatchObject({ found: true, version: '0.169.0', layout: 'file', profileV2: false });
    expect(r.config).toMatchObject({ exists: true, valid: true, errors: [], profileFiles: 1, profileTables: 0 });
    expect(renderDoctor(r)).toContain('No problems found.');
  });

  test('no codex: an error with the install command', async () => {
    const r = await report({}, [], { ...FILE_CODEX, found: false, bin: undefined, version: undefined, warnings: ['codex was not found on PATH; ...'] });
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'error', area: 'codex', message: expect.stringContaining('not found'), fix: expect.stringContaining('npm install -g @openai/codex') })]);
    expect(r.ok).toBe(false);
  });

  test('detection warnings and a missing CODEX_HOME are warnings, not errors', async () => {
    const r = await report({}, [], { ...FILE_CODEX, warnings: ['help said nothing'] }, {}, { path: '/nope', source: 'default', exists: false });
    expect(r.problems.map((p) => [p.severity, p.area])).toEqual([
      ['warn', 'codex'],
      ['warn', 'home'],
    ]);
    expect(r.ok).toBe(true);
  });

  test('invalid TOML: an error per file, with file:line:col', async () => {
    const r = await report({ 'a.config.toml': 'x = \n' }, []);
    expect(r.config.valid).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'error', area: 'config', message: expect.stringMatching(/a\.config\.toml:1:\d+: not valid TOML/) })]);
  });

  test('legacy profiles under 0.134+: one error pointing to migrate; under 0.133 none', async () => {
    const files = { 'config.toml': 'profile = "t"\n' + DECOY + '\n[profiles.t]\nmodel = "m"\n' };
    const r = await report(files, []);
    expect(r.problems).toEqual([
      expect.objectContaining({ severity: 'error', area: 'config', message: expect.stringContaining('`profile = "t"` (breaks every run) and 1 [profiles.*] table (t)'), fix: expect.stringContaining('codex-profiles migrate') }),
    ]);
    expect(r.config.legacySelector).toBe('t');
    expect((await report(files, [], V2_CODEX)).problems).toEqual([]);
  });

  test('a provider down: an error when a profile uses it, info when nobody does; not installed and unused: info', async () => {
    const used = await report({}, [prov({ status: 'down', reason: 'connection refused', usedBy: ['a'] })]);
    expect(used.problems).toEqual([expect.objectContaining({ severity: 'error', area: 'provider', message: expect.stringContaining('used by a'), fix: expect.stringContaining('ollama serve') })]);
    const unused = await report({}, [prov({ status: 'down' })]);
    expect(unused.problems.map((p) => p.severity)).toEqual(['info']);
    const absent = await report({}, [prov({ id: 'lmstudio', kind: 'lmstudio', status: 'down', notInstalled: true })]);
    expect(absent.problems).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('LM Studio (provider `lmstudio`) is not installed') })]);
  });

  test('Codex does not read OLLAMA_HOST: said in the fix when the built-in ollama is down and OLLAMA_HOST is set', async () => {
    const r = await report({}, [prov({ status: 'down', usedBy: ['a'] })], FILE_CODEX, { OLLAMA_HOST: '10.0.0.2:11434' });
    expect(r.problems[0]!.fix).toContain('Codex does not read OLLAMA_HOST (10.0.0.2:11434)');
  });

  test('old Ollama, a non-Ollama answer, an exposed server, the built-in lmstudio pointing at an Ollama', async () => {
    const r = await report({}, [
      prov({ version: '0.12.0', usedBy: ['a'] }),
      prov({ id: 'box', kind: 'unknown', status: 'error', reason: 'HTTP 404', url: 'http://127.0.0.1:8000/v1', source: '/h/config.toml:9' }),
      prov({ id: 'gpu', url: 'http://192.168.1.2:11434/v1', probed: false, status: 'not-probed', exposed: true, usedBy: ['g'] }),
      prov({ id: 'lmstudio', kind: 'ollama', source: 'CODEX_OSS_BASE_URL' }),
    ]);
    expect(r.problems.map((p) => [p.severity, p.message.slice(0, 40)])).toEqual([
      ['error', 'Ollama 0.12.0 at http://localhost:11434/'],
      ['warn', 'provider `box`: something answers at htt'],
      ['warn', 'Ollama (provider `gpu`) at http://192.16'],
      ['warn', 'the built-in `lmstudio` provider points '],
    ]);
    expect(r.problems[2]!.message).toContain('not contacted by doctor');
  });

  test('CODEX_OSS_PORT that is not a port: a warning', async () => {
    const r = await report({}, [], FILE_CODEX, { CODEX_OSS_PORT: 'abc' });
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warn', message: expect.stringContaining('CODEX_OSS_PORT') })]);
  });
});

describe('providerTargets and probeTargets', () => {
  test('both built-in ids at codex URLs, then each custom id once, with where it is defined and who uses it', async () => {
    const state = await homeWith({
      'config.toml': DECOY + '[model_providers.box]\nname = "LM Studio"\nbase_url = "http://127.0.0.1:4000/v1"\nwire_api = "responses"\n[model_providers.ollama]\nname = "x"\nbase_url = "http://127.0.0.1:1/v1"\n',
      'a.config.toml': 'model = "m"\nmodel_provider = "box"\n',
      'b.config.toml': 'model = "m"\nmodel_provider = "ollama"\n',
      'c.config.toml': 'model = "m"\nmodel_provider = "gpu"\n[model_providers.gpu]\nname = "gpu"\nbase_url = "http://192.168.1.2:11434/v1"\n',
    });
    const targets = providerTargets(state, { CODEX_OSS_PORT: '5000' });
    expect(targets.map((t) => [t.id, t.kind, t.url, t.source, t.usedBy])).toEqual([
      ['ollama', 'ollama', 'http://localhost:5000/v1', 'CODEX_OSS_PORT', ['b']],
      ['lmstudio', 'lmstudio', 'http://localhost:5000/v1', 'CODEX_OSS_PORT', []],
      ['decoy', 'unknown', 'http://127.0.0.1:9/v1', `${state.configPath}:3`, []],
      ['box', 'lmstudio', 'http://127.0.0.1:4000/v1', `${state.configPath}:7`, ['a']],
      ['gpu', 'ollama', 'http://192.168.1.2:11434/v1', `${state.profileFiles.get('c')!.path}:3`, ['c']],
      // Every other server kind of the registry at its own address: nothing points there yet.
      ['vllm', 'vllm', 'http://127.0.0.1:8000/v1', 'vLLM default address', []],
      ['llamacpp', 'llamacpp', 'http://127.0.0.1:8080/v1', 'llama-server default address', []],
    ]);

    const calls: Array<[string, string, boolean]> = [];
    const providers = await probeTargets(targets, async (url, kind, useCli) => {
      calls.push([url, kind, useCli]);
      return url.endsWith(':4000') ? probeOf('lmstudio', url, []) : probeOf('unknown', url, [], { status: 'down' });
    });
    // Non-loopback: listed, never probed; one probe per URL and kind; the CLI fallback only for built-in ids.
    expect(calls).toEqual([
      ['http://localhost:5000', 'ollama', true],
      ['http://localhost:5000', 'lmstudio', true],
      ['http://127.0.0.1:9', 'unknown', false],
      ['http://127.0.0.1:4000', 'lmstudio', false],
      ['http://127.0.0.1:8000', 'vllm', false],
      ['http://127.0.0.1:8080', 'llamacpp', false],
    ]);
    expect(providers.find((p) => p.id === 'gpu')).toMatchObject({ probed: false, status: 'not-probed', exposed: true });
    expect(providers.find((p) => p.id === 'box')).toMatchObject({ probed: true, status: 'up', kind: 'lmstudio' });
  });

  test('a kind\'s own address honours its environment (LLAMA_ARG_PORT) and is not listed twice when a table points there', async () => {
    const state = await homeWith({ 'config.toml': DECOY + '[model_providers.box]\nname = "box"\nbase_url = "http://localhost:8000/v1"\n' });
    const targets = providerTargets(state, { LLAMA_ARG_PORT: '9123' });
    expect(targets.filter((t) => t.defaultAddress).map((t) => [t.id, t.url, t.source])).toEqual([['llamacpp', 'http://127.0.0.1:9123/v1', 'LLAMA_ARG_PORT']]);
    expect(targets.find((t) => t.id === 'box')).toMatchObject({ kind: 'vllm', url: 'http://localhost:8000/v1' });
  });

  test('a default-address row is a problem only once something answers there', async () => {
    const row = (status: DoctorProvider['status']) => prov({ id: 'vllm', kind: 'vllm', url: 'http://127.0.0.1:8000/v1', source: 'vLLM default address', status, defaultAddress: true });
    expect((await report({}, [row('down')])).problems).toEqual([]);
    expect((await report({}, [row('error')])).problems).toEqual([]);
    expect((await report({}, [{ ...row('up'), exposed: true }])).problems).toEqual([expect.objectContaining({ severity: 'warn', message: expect.stringContaining('vLLM (provider `vllm`) at http://127.0.0.1:8000/v1 is reachable over the network') })]);
  });
});
