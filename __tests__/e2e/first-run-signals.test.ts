/**
 * Issue 11, "The README's first run": what a new user hit. The built CLI; a codex stand-in that
 * logs every invocation (__tests__/helpers/codex-stub.ts) where no real run is needed, the real
 * codex 0.169 where it is (Ctrl-C while a prompt is in flight); fake servers on 127.0.0.1.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, parseJson, REPO_ROOT, runCli } from '../helpers/cli.js';
import { CODEX_BINS } from '../helpers/codex-bins.js';
import { writeCodexStub, type CodexStubConfig } from '../helpers/codex-stub.js';
import { providerToml } from '../helpers/checks-home.js';
import { isAlive, listProcesses, waitFor } from '../helpers/process-tree.js';
import { PtySession } from '../helpers/pty.js';
import { startResponsesServer, type ResponsesServer } from '../helpers/responses-sse.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

const HELP_0169 = fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'exec-help-0.169.txt'), 'utf8');

let sb: Sandbox;
let env: NodeJS.ProcessEnv;
let server: ResponsesServer;
let log: string;

function stub(extra: Partial<CodexStubConfig> = {}): string {
  const dir = fs.mkdtempSync(path.join(sb.root, 'bin-'));
  return writeCodexStub(dir, { versionText: 'codex-cli 0.169.0', help: HELP_0169, logFile: log, ...extra });
}

/** Invocations of the stand-in that would have run codex for real (anything but the detection). */
function codexRuns(): string[][] {
  if (!fs.existsSync(log)) return [];
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  return lines.filter((a) => !(a[0] === '--version' || (a[0] === 'exec' && a[1] === '--help')));
}

function writeProfile(name: string, body: string): void {
  fs.writeFileSync(path.join(sb.codexHome, `${name}.config.toml`), body);
}

beforeAll(async () => {
  server = await startResponsesServer({ text: 'OK' });
});
afterAll(async () => server.close());
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
  env = sandboxEnv(sb);
  log = path.join(sb.root, 'codex-runs.jsonl');
  server.requests.length = 0;
  server.options = { text: 'OK' };
  // The base provider is a local decoy too: a run that ignored the profile would still stay here.
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), `model = "decoy"\nmodel_provider = "here"\n\n${providerToml('here', server.baseUrl)}`);
  writeProfile('local', `model = "local-model"\nmodel_provider = "here"\n`);
  writeProfile('hosted', `model = "gpt-5"\nmodel_provider = "openai"\n`);
});
afterEach(() => sb.cleanup());

describe('bare command and -v', () => {
  test('no command: the command list, then the error (exit 2)', async () => {
    const r = await runCli([], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Commands:\n\s+codex-profiles setup/);
    expect(r.stderr.indexOf('Commands:')).toBeLessThan(r.stderr.indexOf('error: Name a command; see the list above.'));
  });

  test('-v prints the version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['-v'], { env });
    expect({ code: r.code, out: r.stdout.trim(), err: r.stderr }).toEqual({ code: 0, out: version, err: '' });
  });
});

describe('help width', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

  // Piped, the CLI does not make the stdout stream to ask for a width (src/cli.ts terminalColumns).
  test('in a 60-column terminal help wraps at 60; piped, at 100', async () => {
    const pty = new PtySession([process.execPath, CLI, 'add', '--help'], env, undefined, 60);
    expect(await pty.exitCode).toBe(0);
    expect(pty.plain).toContain('codex-profiles add <model>');
    expect(widest(pty.plain)).toBeLessThanOrEqual(60);
    const piped = await runCli(['add', '--help'], { env });
    expect(piped.code).toBe(0);
    expect(widest(piped.stdout)).toBeGreaterThan(60);
    expect(widest(piped.stdout)).toBeLessThanOrEqual(100);
  });
});

describe('a reader that closes the pipe early (| head -1)', () => {
  /** stdout is a real pipe; after the first chunk our end is destroyed, as `head -1` does. */
  function closeAfterFirstChunk(args: string[], e: NodeJS.ProcessEnv = env): Promise<{ code: number | null; signal: string | null; stderr: string; got: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let got = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', (d) => {
        got = String(d);
        child.stdout.destroy();
      });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stderr, got }));
    });
  }

  // More than a pipe buffer (64 KiB) of output, so the CLI is still writing when the pipe closes.
  const many = 1500;

  test('list: ends quietly, exit 0, no stack trace', async () => {
    for (let i = 0; i < many; i++) writeProfile(`profile-number-${i}`, `model = "some-rather-long-model-name-${i}:latest"\nmodel_provider = "here"\n`);
    const r = await closeAfterFirstChunk(['list']);
    expect(r.got.length).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  });

  test('audit --no-smoke: ends quietly, exit 0', async () => {
    for (let i = 0; i < many; i++) writeProfile(`hosted-number-${i}`, `model = "gpt-5"\nmodel_provider = "openai"\n`);
    const r = await closeAfterFirstChunk(['audit', '--no-smoke', '--codex-bin', stub()]);
    expect(r.got.length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  });

  // yargs' own output (help, version) is written straight to the descriptor (src/system/stdout.ts):
  // a reader gone before the first byte makes that write fail with EPIPE at once. A FIFO whose
  // read end is closed before the CLI starts makes that certain, with no race.
  test.each(['--help', '--version', 'add --help'])('%s with the reader already gone: exit 0, nothing on stderr', async (line) => {
    const fifo = path.join(sb.root, 'gone.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writer = fs.openSync(fifo, fs.constants.O_WRONLY);
    fs.closeSync(reader);
    const child = spawn(process.execPath, [CLI, ...line.split(' ')], { env, stdio: ['ignore', writer, 'pipe'] });
    fs.closeSync(writer);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });

  test('classify: ends quietly, exit 0', async () => {
    const file = path.join(sb.root, 'prompt.txt');
    fs.writeFileSync(file, Array.from({ length: 4000 }, (_, i) => `contact person${i}@acme-fake.com`).join('\n'));
    const r = await closeAfterFirstChunk(['classify', '--file', file]);
    expect(r.got.length).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  });
});

describe('--dry-run runs no codex and sends nothing', () => {
  test('test --dry-run: the command line, the provider and where the prompt would go; nothing run', async () => {
    const bin = stub();
    const r = await runCli(['test', '--all', '--dry-run', '--json', '--codex-bin', bin], { env });
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    expect(doc.dryRun).toBe(true);
    const byName = Object.fromEntries(doc.results.map((x: { name: string }) => [x.name, x]));
    expect(byName.local).toMatchObject({ status: 'would-run', provider: 'here', model: 'local-model', destination: { kind: 'this machine' } });
    expect(byName.local.command).toEqual([bin, 'exec', '--skip-git-repo-check', '--ephemeral', '-p', 'local', '-o', expect.stringMatching(/last-message\.txt$/), '-c', 'model_providers.here.stream_max_retries=0', '-c', 'model_providers.here.request_max_retries=0', '--', 'Reply with exactly OK']);
    expect(byName.hosted).toMatchObject({ status: 'not-run', destination: { kind: 'hosted', place: 'api.openai.com', label: 'gpt-5 via openai (hosted: api.openai.com)' } });

    const human = await runCli(['test', 'local', 'hosted', '--include-hosted', '--dry-run', '--codex-bin', bin], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Dry run: codex was not started and no prompt was sent.');
    expect(human.stdout).toContain('gpt-5 via openai (hosted: api.openai.com)');
    expect(human.stdout).toMatch(/exec --skip-git-repo-check --ephemeral -p hosted -o \S+ -- 'Reply with exactly OK'/);
    expect(server.requests).toEqual([]);
    expect(codexRuns()).toEqual([]);
  });

  test('test --dry-run and the consent question judge a profile as the run does (canRun): an unknown provider is skipped, not "would-run" or "hosted"', async () => {
    writeProfile('broken', 'model_provider = "nowhere"\nmodel = "m"\n');
    const bin = stub();
    const dry = await runCli(['test', 'broken', '--dry-run', '--json', '--codex-bin', bin], { env });
    expect(dry.code).toBe(0);
    expect(parseJson(dry).results[0]).toMatchObject({ name: 'broken', status: 'skipped', code: 'unknown_provider' });
    const run = await runCli(['test', 'broken', '--json', '--codex-bin', bin], { env });
    expect(run.code).toBe(1);
    expect(parseJson(run).results[0]).toMatchObject({ name: 'broken', status: 'skipped', code: 'unknown_provider' });
    expect(codexRuns()).toEqual([]);
  });

  test('compare --dry-run, also to a hosted profile: the plan, no codex, no request, no answers folder', async () => {
    const out = path.join(sb.root, 'answers');
    const r = await runCli(['compare', 'why is the sky blue', '--profiles', 'local,hosted', '--include-hosted', '--dry-run', '--out', out, '--json', '--codex-bin', stub()], { env });
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    expect(doc.runs.map((x: { profile: string; status: string; destination: { label: string } }) => [x.profile, x.status, x.destination.label])).toEqual([
      ['local', 'would-run', expect.stringMatching(/^local-model via here \(this machine: /)],
      ['hosted', 'would-run', 'gpt-5 via openai (hosted: api.openai.com)'],
    ]);
    expect(doc.runs[1].command.slice(-2)).toEqual(['--', 'why is the sky blue']);
    expect(fs.existsSync(out)).toBe(false);
    expect(server.requests).toEqual([]);
    expect(codexRuns()).toEqual([]);
  });

  test('audit --dry-run: the smoke part is shown, not run (no prompt, no codex)', async () => {
    const r = await runCli(['audit', '--dry-run', '--json', '--codex-bin', stub()], { env });
    const doc = parseJson(r);
    expect(doc.smoke).toBeNull();
    expect(doc.smokeDryRun.map((x: { name: string; status: string }) => [x.name, x.status])).toEqual([
      ['hosted', 'not-run'],
      ['local', 'would-run'],
    ]);
    expect(server.requests.filter((q) => q.method === 'POST')).toEqual([]);
    expect(codexRuns()).toEqual([]);
  });
});

describe('hosted profiles: one rule for test and compare', () => {
  test('add --hosted suggests a command that does what it says; without the flag `test hosted` refuses (exit 2)', async () => {
    fs.rmSync(path.join(sb.codexHome, 'hosted.config.toml'));
    const bin = stub();
    const add = await runCli(['add', 'gpt-5', '--hosted', '--name', 'hosted', '--yes', '--codex-bin', bin], { env });
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('codex-profiles test hosted --include-hosted');

    const r = await runCli(['test', 'hosted', '--json', '--codex-bin', bin], { env });
    expect(r.code).toBe(2);
    expect(parseJson(r).error).toMatchObject({ code: 'HOSTED_NOT_ALLOWED', message: expect.stringContaining('gpt-5 via openai (hosted: api.openai.com)'), hint: expect.stringContaining('--include-hosted') });
    const human = await runCli(['test', 'hosted', '--codex-bin', bin], { env });
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('pass --include-hosted (there is no terminal to ask on)');
    expect(codexRuns()).toEqual([]);
  });

  test('compare: a hosted profile without the flag is not sent the prompt; nothing else left: exit 2', async () => {
    writeProfile('hosted2', `model = "gpt-5-mini"\nmodel_provider = "openai"\n`);
    const r = await runCli(['compare', 'hello', '--profiles', 'hosted,hosted2', '--codex-bin', stub()], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hosted sends the prompt to gpt-5 via openai (hosted: api.openai.com)');
    expect(r.stderr).toContain('pass --include-hosted');
    expect(codexRuns()).toEqual([]);

    const mixed = await runCli(['compare', 'hello', '--profiles', 'local,hosted', '--json', '--codex-bin', stub({ provider: 'here', model: 'local-model' })], { env });
    expect(mixed.code).toBe(0);
    expect(parseJson(mixed).runs.map((x: { profile: string; status: string }) => [x.profile, x.status])).toEqual([
      ['local', 'ok'],
      ['hosted', 'not-run'],
    ]);
    expect(mixed.stderr).toContain('hosted not run');
    expect(codexRuns().map((a) => a[a.length - 1])).toEqual(['hello']);
    fs.rmSync(parseJson(mixed).outDir, { recursive: true, force: true });
  });
});

describe('Ctrl-C while codex runs', () => {
  /** Starts the CLI, sends SIGINT once `ready()` holds, and collects what it printed. */
  function interruptWhen(args: string[], ready: () => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      void waitFor(ready, 90_000).then((ok) => (ok ? child.kill('SIGINT') : child.kill('SIGKILL')));
    });
  }

  test('test (real codex 0.169, the prompt in flight): interrupted, codex stopped, one JSON document, exit 130', async () => {
    server.options = { hang: true };
    const r = await interruptWhen(['test', 'local', '--json', '--codex-bin', CODEX_BINS['0.169']], () => server.requests.some((q) => q.method === 'POST'));
    expect(r.code).toBe(130);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, interrupted: true });
    expect(doc.results[0]).toMatchObject({ name: 'local', status: 'not-run', code: 'interrupted' });
    expect(r.stderr).not.toMatch(/exit code none/);
    const outFile = doc.results[0].args[doc.results[0].args.indexOf('-o') + 1];
    expect(listProcesses().filter((p) => p.args.includes(outFile))).toEqual([]);
  }, 120_000);

  test('compare (the stand-in hangs with a child of its own): both stopped, exit 130, the second run never starts', async () => {
    writeProfile('local2', `model = "local-model"\nmodel_provider = "here"\n`);
    const pidFile = path.join(sb.root, 'grandchild.pid');
    const r = await interruptWhen(['compare', 'hello', '--profiles', 'local,local2', '--codex-bin', stub({ mode: 'hang', childPidFile: pidFile })], () => fs.existsSync(pidFile));
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^local\s+local\s+here\s+local-model\s+not run: interrupted/m);
    expect(r.stdout).toMatch(/^local2\s+local\s+here\s+local-model\s+not run: interrupted/m);
    expect(r.stdout).toContain('Interrupted (Ctrl-C)');
    expect(codexRuns()).toHaveLength(1);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isAlive(grandchild), 10_000)).toBe(true);
  }, 120_000);
});
