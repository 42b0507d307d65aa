/**
 * runCodexExec against the real Codex binaries pinned in devDependencies (0.131, 0.133, 0.169),
 * each with a temporary CODEX_HOME and HOME, and only fake servers on 127.0.0.1:
 * - `fake`: the provider the profile points at (custom id `fake`, wire_api "responses");
 * - `decoy`: the BASE config's provider, standing in for a hosted model. Nothing in this file
 *   uses the real `openai` provider: a run that ignores the profile lands on the decoy.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { detectCodex, type CodexInfo } from '../../src/codex/detect.js';
import { runCodexExec, type ExecOptions, type ExecResult } from '../../src/codex/exec.js';
import { codexBinPath } from '../helpers/codex-bins.js';
import { groupMembers, listProcesses, waitFor } from '../helpers/process-tree.js';
import { startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const PROMPT = 'Reply with exactly OK';
const NO_RETRIES = ['-c', 'model_providers.fake.stream_max_retries=0', '-c', 'model_providers.fake.request_max_retries=0'];

const VERSIONS = [
  { v: '0.131', layout: 'table', profileV2: true },
  { v: '0.133', layout: 'table', profileV2: true },
  { v: '0.169', layout: 'file', profileV2: false },
  { v: '0.171', layout: 'file', profileV2: false },
] as const;

function providerToml(id: string, baseUrl: string): string {
  return `[model_providers.${id}]\nname = "${id}"\nbase_url = "${baseUrl}"\nwire_api = "responses"\n`;
}

/** config.toml whose own provider is the decoy; profiles are added per era. */
function baseConfig(decoy: ResponsesServer): string {
  return `model = "decoy-model"\nmodel_provider = "decoy"\n\n${providerToml('decoy', decoy.baseUrl)}`;
}

/**
 * A minimal profile NAME in the layout this version's `-p` reads: a `[profiles.NAME]` table in
 * config.toml (<= 0.133) or `$CODEX_HOME/NAME.config.toml` (>= 0.134).
 */
function writeProfile(codexHome: string, layout: 'file' | 'table', name: string, baseUrl: string, provider = 'fake'): void {
  const keys = `model = "fake-model"\nmodel_provider = "${provider}"\n`;
  if (layout === 'file') {
    fs.writeFileSync(path.join(codexHome, `${name}.config.toml`), `${keys}\n${providerToml(provider, baseUrl)}`);
  } else {
    const config = path.join(codexHome, 'config.toml');
    const known = fs.readFileSync(config, 'utf8').includes(`[model_providers.${provider}]`);
    fs.appendFileSync(config, `${known ? '' : `\n${providerToml(provider, baseUrl)}`}\n[profiles.${name}]\n${keys}`);
  }
}

async function closedPort(): Promise<number> {
  const srv = http.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

interface InputItem {
  type?: string;
  role?: string;
  content?: Array<{ type?: string; text?: string }>;
}

describe.each(VERSIONS)('codex $v (real binary)', ({ v, layout, profileV2 }) => {
  const bin = codexBinPath(v);
  let sb: Sandbox;
  let env: NodeJS.ProcessEnv;
  let fake: ResponsesServer;
  let decoy: ResponsesServer;
  let codex: CodexInfo;

  const run = (opts: Partial<ExecOptions> = {}): Promise<ExecResult> =>
    runCodexExec({ codex, codexHome: sb.codexHome, profile: 'local', prompt: PROMPT, timeoutMs: 60000, env, ...opts });

  beforeAll(async () => {
    fake = await startResponsesServer({ text: 'OK' });
    decoy = await startResponsesServer({ text: 'DECOY' });
    sb = makeSandbox();
    env = sandboxEnv(sb);
    fs.mkdirSync(sb.codexHome);
    fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), baseConfig(decoy));
    writeProfile(sb.codexHome, layout, 'local', fake.baseUrl);
    codex = await detectCodex({ codexBin: bin, env });
  });

  afterAll(async () => {
    await fake.close();
    await decoy.close();
    sb.cleanup();
  });

  beforeEach(() => {
    fake.options = { text: 'OK' };
    fake.requests.length = 0;
    decoy.requests.length = 0;
  });

  test('detection reads the era from the real help', () => {
    expect(codex).toMatchObject({ found: true, bin, version: `${v}.0`, layout, profileFlag: '-p', profileV2, ephemeral: true });
    expect(codex.warnings).toEqual([]);
  });

  test('"Reply with exactly OK" through the profile: OK, the reported provider and model, one request', async () => {
    const r = await run();
    expect(r.failure).toBeUndefined();
    expect(r).toMatchObject({ ok: true, exitCode: 0, timedOut: false, finalMessage: 'OK', reportedProvider: 'fake', reportedModel: 'fake-model' });
    expect(r.args).toEqual(['exec', '--skip-git-repo-check', '--ephemeral', '-p', 'local', '-o', expect.any(String), '--', PROMPT]);

    expect(decoy.requests).toEqual([]);
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v1/responses']);
    const req = fake.requests[0]!;
    expect(req.headers.accept).toBe('text/event-stream');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toContain(`codex_exec/${v}.0`);
    expect(req.headers.authorization).toBeUndefined();
    const body = req.body as { model: string; stream: boolean; instructions?: string; input: InputItem[]; tools: Array<{ name?: string }> };
    expect(body.model).toBe('fake-model');
    expect(body.stream).toBe(true);
    expect(body.tools.map((t) => t.name)).toContain('exec_command');
    // The prompt is the last user message, alone: stdin was closed, so no <stdin> block.
    const users = body.input.filter((i) => i.type === 'message' && i.role === 'user');
    expect(users[users.length - 1]?.content).toEqual([{ type: 'input_text', text: PROMPT }]);
    // Codex's agent prompt: the `instructions` field up to 0.133, a developer message from 0.169.
    if (layout === 'file') {
      expect(body.instructions).toBeUndefined();
      expect(body.input[0]).toMatchObject({ role: 'developer' });
      expect(body.input[0]?.content?.[0]?.text).toMatch(/^You are a coding agent running in the Codex CLI/);
    } else {
      expect(body.instructions).toMatch(/^You are a coding agent running in the Codex CLI/);
    }
  });

  test('a fake answering "NOPE" gives finalMessage "NOPE"', async () => {
    fake.options = { text: 'NOPE' };
    const r = await run();
    expect(r).toMatchObject({ ok: true, finalMessage: 'NOPE', reportedProvider: 'fake' });
    expect(fake.requests).toHaveLength(1);
  });

  test('a hanging server: killed at the timeout, no process left behind', async () => {
    fake.options = { hang: true };
    const timeoutMs = 4000;
    let pgid = 0;
    let whileHanging: ReturnType<typeof groupMembers> = [];
    const r = await run({
      timeoutMs,
      onSpawn: ({ pid }) => {
        pgid = pid;
        // Once the request has arrived, codex (wrapper + native binary) is waiting on us.
        void waitFor(() => fake.requests.length > 0, timeoutMs - 500).then((arrived) => {
          if (arrived) whileHanging = groupMembers(pgid);
        });
      },
    });
    expect(fake.requests).toHaveLength(1);
    expect(r.timedOut).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBeNull();
    expect(r.failure?.code).toBe('timeout');
    expect(r.reportedProvider).toBe('fake');
    // While it hung, the group held the node wrapper and the native codex it spawned.
    expect(whileHanging.map((p) => p.pid)).toContain(pgid);
    expect(whileHanging.some((p) => p.pid !== pgid && /\/codex(\.exe)? exec /.test(p.args))).toBe(true);
    // Afterwards nothing of it is left: not in its group, not anywhere with its -o file.
    const outFile = r.args[r.args.indexOf('-o') + 1]!;
    expect(groupMembers(pgid)).toEqual([]);
    expect(listProcesses().filter((p) => p.args.includes(outFile))).toEqual([]);
    expect(r.durationMs).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(r.durationMs).toBeLessThan(timeoutMs + 10000);
  });

  test('the model is missing (Ollama 404): model_missing', async () => {
    fake.options = {
      httpError: { status: 404, body: { error: { message: 'model "fake-model" not found, try pulling it first', type: 'api_error', param: null, code: null } } },
    };
    const r = await run({ extraArgs: NO_RETRIES });
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.failure?.code).toBe('model_missing');
    expect(r.failure?.fix).toMatch(/ollama pull fake-model/);
    expect(fake.requests).toHaveLength(1);
  });

  test('the provider is down: provider_down', async () => {
    const port = await closedPort();
    writeProfile(sb.codexHome, layout, 'down', `http://127.0.0.1:${port}/v1`, 'down');
    const retries = ['-c', 'model_providers.down.stream_max_retries=0', '-c', 'model_providers.down.request_max_retries=0'];
    // 0.169+ never gives up on a refused connection ("Reconnecting... waiting for network"), so
    // only our timeout ends it; whether it printed that line by then depends on the machine's
    // load, so the verdict comes from the refused URL. 0.131/0.133 exit by themselves: the
    // timeout is only a safety net there.
    const downUrl = `http://127.0.0.1:${port}/v1`;
    const r = await run({ profile: 'down', timeoutMs: layout === 'file' ? 4000 : 45000, extraArgs: layout === 'file' ? [] : retries, providerUrl: downUrl });
    expect(r.ok).toBe(false);
    expect(r.failure?.code).toBe('provider_down');
    expect(r.timedOut).toBe(layout === 'file');
    expect(decoy.requests).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  if (layout === 'table') {
    test('-p with no [profiles.NAME] table: codex itself refuses (profile_not_found)', async () => {
      const r = await run({ profile: 'nosuch' });
      expect(r.skipped).toBeUndefined();
      expect(r.exitCode).toBe(1);
      expect(r.failure).toMatchObject({ code: 'profile_not_found', message: 'Codex has no profile `nosuch`: config.toml has no [profiles.nosuch] table.' });
      expect(decoy.requests).toEqual([]);
    });
  } else {
    test('a missing profile file: runCodexExec refuses by default (codex would fall back silently)', async () => {
      const r = await run({ profile: 'nosuch' });
      expect(r).toMatchObject({ ok: false, skipped: true, failure: { code: 'profile_not_found' } });
      expect(r.failure?.message).toContain(path.join(sb.codexHome, 'nosuch.config.toml'));
      expect(fake.requests).toEqual([]);
      expect(decoy.requests).toEqual([]);
    });

    test('the silent fallback itself: -p NAME without NAME.config.toml runs the BASE config (exit 0)', async () => {
      const r = await run({ profile: 'nosuch', allowMissingProfileFile: true });
      // Exit 0 and an answer — from the base provider, not the profile. Only the header tells.
      expect(r).toMatchObject({ ok: true, exitCode: 0, finalMessage: 'DECOY', reportedProvider: 'decoy', reportedModel: 'decoy-model' });
      expect(decoy.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v1/responses']);
      expect((decoy.requests[0]?.body as { model: string }).model).toBe('decoy-model');
      expect(fake.requests).toEqual([]);
    });

    test('-p NAME while config.toml still has [profiles.NAME]: legacy_profile with codex\'s message', async () => {
      const legacy = makeSandbox();
      try {
        fs.mkdirSync(legacy.codexHome);
        fs.writeFileSync(path.join(legacy.codexHome, 'config.toml'), baseConfig(decoy));
        writeProfile(legacy.codexHome, 'table', 'mine', fake.baseUrl);
        writeProfile(legacy.codexHome, 'file', 'mine', fake.baseUrl);
        const r = await runCodexExec({ codex, codexHome: legacy.codexHome, profile: 'mine', prompt: PROMPT, timeoutMs: 60000, env: sandboxEnv(legacy) });
        expect(r.exitCode).toBe(1);
        expect(r.failure?.code).toBe('legacy_profile');
        const home = legacy.codexHome;
        expect(r.failure?.message).toBe(
          `--profile \`mine\` cannot be used while ${home}/config.toml contains legacy \`profile = "mine"\` or \`[profiles.mine]\` config; ` +
            `move those settings into ${home}/mine.config.toml and remove the legacy profile selector/table. ` +
            'See https://developers.openai.com/codex/config-advanced#profiles for more information.',
        );
        expect(fake.requests).toEqual([]);
        expect(decoy.requests).toEqual([]);
      } finally {
        legacy.cleanup();
      }
    });
  }
});
