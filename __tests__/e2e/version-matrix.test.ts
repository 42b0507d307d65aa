/**
 * The tool against the REAL Codex of each era (pinned npm aliases): 0.131.0 and 0.133.0 read
 * `[profiles.NAME]` tables, 0.169.0 reads `NAME.config.toml`. For each:
 * - detection picks the layout (migrate --json reports it);
 * - profiles written by `add` for an Ollama model and an LM Studio model answer "OK" through
 *   `codex exec -p NAME`, from the right fake, with the right model, and nothing goes elsewhere;
 * - a legacy config (tables + `profile = "X"`, as old guides wrote it): on 0.169 it fails before
 *   `migrate` and works after, with every unrelated byte of config.toml unchanged; on 0.131 and
 *   0.133 it works as it is, and migrate leaves it alone.
 *
 * Everything is local: a temporary CODEX_HOME and HOME, fake servers on 127.0.0.1, and a base
 * config whose own provider is a local decoy (a run that ignored the profile would land there,
 * never on a hosted model). The built-in `ollama` provider is pointed at the fake Ollama with
 * CODEX_OSS_BASE_URL (seen working on all three versions).
 */
import fs from 'node:fs';
import path from 'node:path';
import { detectCodex, type CodexInfo } from '../../src/codex/detect.js';
import { runCodexExec, type ExecResult } from '../../src/codex/exec.js';
import { parseJson, runCli } from '../helpers/cli.js';
import { CODEX_BINS, LAYOUT_OF, type CodexVersion } from '../helpers/codex-bins.js';
import type { FakeServer } from '../helpers/fake-http.js';
import { startFakeLmStudio, type FakeLmStudio } from '../helpers/fake-lmstudio.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const PROMPT = 'Reply with exactly OK';
const OLLAMA_MODEL = 'gpt-oss:20b';
const LM_MODEL = 'qwen/qwen3-coder-30b';

let ollama: FakeOllama;
let lmstudio: FakeLmStudio;
let decoy: ResponsesServer;
let sb: Sandbox;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: OLLAMA_MODEL, contextLength: 131072 }] });
  lmstudio = await startFakeLmStudio({ models: [{ key: LM_MODEL, maxContextLength: 262144 }] });
  decoy = await startResponsesServer({ text: 'DECOY' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), lmstudio.close(), decoy.close()]);
});
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
  ollama.requests.length = 0;
  lmstudio.requests.length = 0;
  decoy.requests.length = 0;
});
afterEach(() => sb.cleanup());

/** One environment for our CLI and for codex: the built-in local providers point at the fake Ollama. */
const env = () => sandboxEnv(sb, { CODEX_OSS_BASE_URL: `${ollama.url}/v1`, CODEX_OSS_PORT: undefined, OLLAMA_HOST: undefined });
const cli = (args: string[]) => runCli(args, { env: env() });
const cfgPath = () => path.join(sb.codexHome, 'config.toml');
const cfg = () => fs.readFileSync(cfgPath(), 'utf8');

const BASE = (decoyUrl: string) =>
  `# base settings\nmodel = "decoy-model"\nmodel_provider = "decoy"\n\n[model_providers.decoy]\nname = "decoy"\nbase_url = "${decoyUrl}"\nwire_api = "responses"\n`;

function responses(server: FakeServer | ResponsesServer): { model?: string }[] {
  const reqs = server.requests as { method: string; path: string; json?: unknown; body?: unknown }[];
  return reqs
    .filter((q) => q.method === 'POST' && q.path.split('?')[0]!.endsWith('/responses'))
    .map((q) => (q.json ?? q.body) as { model?: string });
}

/** Runs codex and checks the answer came from `fake` for `model`, and nothing went anywhere else. */
async function expectAnswer(codex: CodexInfo, profile: string | undefined, fake: FakeServer, model: string, extraArgs: string[] = []): Promise<ExecResult> {
  const servers: (FakeServer | ResponsesServer)[] = [ollama, lmstudio, decoy];
  const before = servers.map((s) => responses(s).length);
  const r = await runCodexExec({ codex, codexHome: sb.codexHome, profile, prompt: PROMPT, timeoutMs: 30_000, env: env(), extraArgs });
  expect(r.failure).toBeUndefined();
  expect(r).toMatchObject({ ok: true, exitCode: 0, finalMessage: 'OK', reportedModel: model });
  servers.forEach((s, i) => {
    const got = responses(s).slice(before[i]);
    if (s === fake) expect(got.map((b) => b.model)).toEqual([model]);
    else expect(got).toEqual([]);
  });
  return r;
}

/**
 * A config.toml as guides for old Codex wrote it: `[profiles.*]` tables and a `profile = "oss"`
 * selector, among settings that have nothing to do with profiles. `pieces.profiles` and
 * `pieces.selector` are what migrate should take out; everything else must stay byte for byte.
 */
function legacyConfig() {
  const head = `# ~/.codex/config.toml, set up from a guide for Codex 0.12x\nmodel = "decoy-model"\nmodel_provider = "decoy"\n`;
  const selector = 'profile = "oss"\n';
  const tail1 = `approval_policy = "never"   # no prompts\n\n[model_providers.decoy]\nname = "decoy"\nbase_url = "${decoy.baseUrl}"\nwire_api = "responses"\n\n# LM Studio on this machine\n[model_providers.lms]\nname = "LM Studio"\nbase_url = "${lmstudio.url}/v1"\nwire_api = "responses"\n\n[history]\npersistence = "none"\n`;
  const ossBlock = `\n# Local models\n[profiles.oss]\nmodel_provider = "ollama"\nmodel = "${OLLAMA_MODEL}"\nmodel_context_window = 131072\n`;
  const coderBlock = `\n# Qwen coder in LM Studio (provider defined above)\n[profiles.coder]   # the big one\nmodel_provider = "lms"\nmodel = "${LM_MODEL}"\n\n[profiles.coder.tools]\nweb_search = false\n`;
  const tail2 = `\n[projects."/home/me/src"]\ntrust_level = "trusted"\n`;
  return {
    text: head + selector + tail1 + ossBlock + coderBlock + tail2,
    migrated: head + tail1 + tail2,
    ossFile: `# Local models\nmodel_provider = "ollama"\nmodel = "${OLLAMA_MODEL}"\nmodel_context_window = 131072\n`,
    coderFile: `# Qwen coder in LM Studio (provider defined above)\n# the big one\nmodel_provider = "lms"\nmodel = "${LM_MODEL}"\n\n[tools]\nweb_search = false\n`,
  };
}

describe.each(Object.keys(CODEX_BINS) as CodexVersion[])('codex %s (real binary)', (version) => {
  const bin = CODEX_BINS[version];
  const layout = LAYOUT_OF[version];
  let codex: CodexInfo;
  beforeEach(async () => {
    // In the sandbox's environment (cached per binary after the first call).
    codex = await detectCodex({ codexBin: bin, env: env() });
  });

  test(`detection: ${layout === 'file' ? 'profile files' : 'profile tables'}, and migrate defaults to them`, async () => {
    expect(codex).toMatchObject({ found: true, version: `${version}.0`, layout, profileFlag: '-p', profileV2: layout === 'table' });
    fs.writeFileSync(cfgPath(), BASE(decoy.baseUrl));
    const r = await cli(['migrate', '--codex-bin', bin, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(parseJson(r)).toMatchObject({ to: layout === 'file' ? 'files' : 'tables', codex: { version: `${version}.0`, layout }, migrated: [], changed: [] });
  });

  test('profiles written by add for Ollama and LM Studio answer OK through codex exec -p NAME', async () => {
    fs.writeFileSync(cfgPath(), BASE(decoy.baseUrl));
    const a = await cli(['add', OLLAMA_MODEL, '--provider', 'ollama', '--ollama-url', ollama.url, '--name', 'oss', '--codex-bin', bin, '--yes', '--json']);
    expect(a.code).toBe(0);
    expect(parseJson(a).profile).toMatchObject({ name: 'oss', provider: 'ollama', layout });
    const b = await cli(['add', LM_MODEL, '--provider', 'lmstudio', '--lmstudio-url', lmstudio.url, '--name', 'coder', '--codex-bin', bin, '--yes', '--json']);
    expect(b.code).toBe(0);
    const lmProvider = parseJson(b).profile.provider as string;
    expect(lmProvider).toMatch(/^lmstudio/);

    const files = fs.readdirSync(sb.codexHome).filter((f) => f.endsWith('.config.toml')).sort();
    if (layout === 'file') expect(files).toEqual(['coder.config.toml', 'oss.config.toml']);
    else {
      expect(files).toEqual([]);
      expect(cfg()).toContain('[profiles.oss]');
      expect(cfg()).toContain('[profiles.coder]');
    }
    expect(cfg().startsWith(BASE(decoy.baseUrl))).toBe(true);

    const o = await expectAnswer(codex, 'oss', ollama, OLLAMA_MODEL);
    expect(o.reportedProvider).toBe('ollama');
    const l = await expectAnswer(codex, 'coder', lmstudio, LM_MODEL);
    expect(l.reportedProvider).toBe(lmProvider);
  });

  if (layout === 'file') {
    test('a legacy config fails before migrate and works after it; every unrelated byte of config.toml is unchanged', async () => {
      const legacy = legacyConfig();
      fs.writeFileSync(cfgPath(), legacy.text);

      // Before: -p NAME is refused because of the table; without -p the selector breaks the run.
      const p = await runCodexExec({ codex, codexHome: sb.codexHome, profile: 'oss', prompt: PROMPT, timeoutMs: 30_000, env: env(), allowMissingProfileFile: true });
      expect(p.ok).toBe(false);
      expect(p.failure?.code).toBe('legacy_profile');
      expect(p.stderr).toContain('--profile `oss` cannot be used while');
      const plain = await runCodexExec({ codex, codexHome: sb.codexHome, prompt: PROMPT, timeoutMs: 30_000, env: env() });
      expect(plain.ok).toBe(false);
      expect(plain.stderr).toContain('legacy `profile = "oss"` config is no longer supported');
      expect([...responses(ollama), ...responses(lmstudio), ...responses(decoy)]).toEqual([]);

      const m = await cli(['migrate', '--codex-bin', bin, '--yes', '--json']);
      expect(m.code).toBe(0);
      const out = parseJson(m);
      expect(out).toMatchObject({ ok: true, to: 'files', applied: true, left: [], conflicts: [] });
      expect(out.selector).toMatchObject({ profile: 'oss', action: 'removed', run: 'codex -p oss', posixAlias: "alias codex='codex -p oss'" });

      expect(cfg()).toBe(legacy.migrated);
      expect(fs.readFileSync(path.join(sb.codexHome, 'oss.config.toml'), 'utf8')).toBe(legacy.ossFile);
      expect(fs.readFileSync(path.join(sb.codexHome, 'coder.config.toml'), 'utf8')).toBe(legacy.coderFile);

      // After: both profiles answer from their own fake; `model_provider = "lms"` still finds
      // [model_providers.lms] in config.toml; without -p the base config (the decoy) runs again.
      await expectAnswer(codex, 'oss', ollama, OLLAMA_MODEL);
      const coder = await expectAnswer(codex, 'coder', lmstudio, LM_MODEL);
      expect(coder.reportedProvider).toBe('lms');
      const base = await runCodexExec({ codex, codexHome: sb.codexHome, prompt: PROMPT, timeoutMs: 30_000, env: env() });
      expect(base).toMatchObject({ ok: true, finalMessage: 'DECOY', reportedProvider: 'decoy' });
    });
  } else {
    test('a legacy config works as it is and migrate leaves it alone; --to files is read by --profile-v2, and back', async () => {
      const legacy = legacyConfig();
      fs.writeFileSync(cfgPath(), legacy.text);
      await expectAnswer(codex, 'coder', lmstudio, LM_MODEL);
      // The selector is this era's default profile.
      await expectAnswer(codex, undefined, ollama, OLLAMA_MODEL);

      const none = await cli(['migrate', '--codex-bin', bin, '--yes', '--json']);
      expect(none.code).toBe(0);
      expect(parseJson(none)).toMatchObject({ to: 'tables', migrated: [], changed: [], selector: { action: 'kept' } });
      expect(cfg()).toBe(legacy.text);

      const toFiles = await cli(['migrate', '--to', 'files', '--codex-bin', bin, '--yes']);
      expect(toFiles.code).toBe(0);
      expect(toFiles.stderr).toContain('--profile-v2');
      expect(cfg()).toBe(legacy.migrated);
      await expectAnswer(codex, undefined, lmstudio, LM_MODEL, ['--profile-v2', 'coder']);

      const back = await cli(['migrate', '--codex-bin', bin, '--yes', '--json']);
      expect(back.code).toBe(0);
      expect(parseJson(back).migrated.map((x: { name: string }) => x.name)).toEqual(['coder', 'oss']);
      await expectAnswer(codex, 'oss', ollama, OLLAMA_MODEL);
    });
  }
});
