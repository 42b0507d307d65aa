/**
 * `codex-profiles run`: the fail-closed launcher, through the built CLI.
 * - With the REAL codex of each era: `run NAME -- exec ...` reaches the profile's fake server
 *   (never the decoy base provider) and codex's answer and exit code come through.
 * - With a codex stand-in (answers `--version` / `exec --help` like 0.169, logs every other start,
 *   exits 7 or with a trapped signal's code): the checks never start it for a missing profile, a
 *   down server or a missing model; its exit code and arguments pass through; SIGTERM is forwarded.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { baseConfig, codexBin, fileProfile, makeHome, providerToml, responsesCalls, startFakes, tableProfile, type Fakes, type Home } from '../helpers/checks-home.js';
import { CLI, parseJson, REPO_ROOT, runCli } from '../helpers/cli.js';
import { refusedPort } from '../helpers/fake-http.js';

/** The CLI with --codex-bin before `--` (after it, every word is codex's). */
function withBin(bin: string, args: string[]): string[] {
  const i = args.indexOf('--');
  return i < 0 ? [...args, '--codex-bin', bin] : [...args.slice(0, i), '--codex-bin', bin, ...args.slice(i)];
}

function cli(v: string, home: Home, args: string[]) {
  return runCli(withBin(codexBin(v), args), { env: home.env, timeoutMs: 120_000 });
}

let f: Fakes;
beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
});

describe.each([
  { v: '0.131', layout: 'table', flag: '-p' },
  { v: '0.133', layout: 'file', flag: '--profile-v2' },
  { v: '0.169', layout: 'file', flag: '-p' },
] as const)('real codex $v ($layout profile)', ({ v, layout, flag }) => {
  let home: Home;
  beforeAll(() => {
    home = makeHome(f);
    if (layout === 'table') home.write('config.toml', baseConfig(f.decoy) + tableProfile('oll', 'ollama', 'qwen3:8b'));
    else {
      home.write('config.toml', baseConfig(f.decoy));
      home.write('oll.config.toml', fileProfile('ollama', 'qwen3:8b'));
    }
  });
  afterAll(() => home.sb.cleanup());

  test('run NAME -- exec ...: the prompt reaches the profile\'s server, codex\'s answer and exit code come through', async () => {
    f.reset();
    const r = await cli(v, home, ['run', 'oll', '--', 'exec', '--skip-git-repo-check', 'Reply with exactly OK']);
    expect(r.stderr).toContain(`codex-profiles: oll: provider ollama, model qwen3:8b, on this machine (${f.ollama.url}/v1)`);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('OK');
    expect(responsesCalls(f.ollama).length).toBeGreaterThan(0);
    expect(f.decoy.requests).toEqual([]);
    // codex reported the profile's provider and model: the era's flag selected it
    expect(r.stderr).toMatch(/provider: ollama/);
    expect(r.stderr).toMatch(/model: qwen3:8b/);
    const dry = parseJson(await cli(v, home, ['run', 'oll', '--dry-run', '--json', '--', 'exec', 'hi']));
    expect(dry.command.slice(1, 3)).toEqual([flag, 'oll']);
    expect(dry.command.slice(-2)).toEqual(['exec', 'hi']);
  });

  test('a missing profile: exit 1, codex never asked anything (no silent hosted fallback)', async () => {
    f.reset();
    const r = await cli(v, home, ['run', 'nosuch', '--', 'exec', '--skip-git-repo-check', 'Reply with exactly OK']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not starting codex with profile nosuch/);
    expect(f.decoy.requests).toEqual([]);
    expect(responsesCalls(f.ollama)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A codex stand-in

const HELP_0169 = fs.readFileSync(path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'exec-help-0.169.txt'), 'utf8');

/** Writes the stand-in; every start that is not detection is logged (one JSON line of its args). */
function standIn(dir: string, log: string): string {
  const file = path.join(dir, 'codex');
  fs.writeFileSync(
    file,
    `#!${process.execPath}
'use strict';
const fs = require('fs');
const args = process.argv.slice(2);
if (args[0] === '--version') { process.stdout.write('codex-cli 0.169.0\\n'); process.exit(0); }
if (args[0] === 'exec' && args[1] === '--help') { process.stdout.write(${JSON.stringify(HELP_0169)}); process.exit(0); }
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
if (args.includes('wait-for-signal')) {
  process.on('SIGTERM', () => process.exit(42));
  fs.writeFileSync(${JSON.stringify(log)} + '.ready', '');
  setInterval(() => {}, 1000);
} else {
  process.stdout.write('stand-in ran\\n');
  process.exit(7);
}
`,
  );
  fs.chmodSync(file, 0o755);
  return file;
}

describe('codex stand-in', () => {
  let home: Home;
  let bin: string;
  let log: string;
  const starts = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : []);
  const run = (args: string[], opts: { cwd?: string } = {}) => runCli(withBin(bin, args), { env: home.env, cwd: opts.cwd, timeoutMs: 60_000 });

  beforeAll(async () => {
    home = makeHome(f);
    const down = await refusedPort();
    home.write('config.toml', baseConfig(f.decoy));
    home.write('oll.config.toml', fileProfile('ollama', 'qwen3:8b'));
    home.write('nomodel.config.toml', fileProfile('ollama', 'llama3.3:70b'));
    home.write('down.config.toml', fileProfile('gone', 'qwen3:8b', providerToml('gone', `http://127.0.0.1:${down}/v1`)));
    log = path.join(home.sb.root, 'starts.log');
    bin = standIn(home.sb.root, log);
  });
  afterAll(() => home.sb.cleanup());
  beforeEach(() => fs.rmSync(log, { force: true }));

  test('exit code, arguments and stdout pass through', async () => {
    const r = await run(['run', 'oll', '--', 'exec', '--json', 'a "quoted" prompt', '--', '-x']);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('stand-in ran\n');
    expect(starts()).toEqual([['-p', 'oll', '-c', 'model_provider="ollama"', '-c', 'model="qwen3:8b"', 'exec', '--json', 'a "quoted" prompt', '--', '-x']]);
  });

  test.each([
    ['nosuch', /does not exist; codex 0\.169\.0 would silently run the base config/],
    ['down', /Nothing answers at http:\/\/127\.0\.0\.1:\d+/],
    ['nomodel', /does not have `llama3\.3:70b`/],
  ])('%s: exit 1 with the reason, codex never started', async (name, reason) => {
    const r = await run(['run', name, '--', 'exec', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(reason);
    expect(starts()).toEqual([]);
    const j = parseJson(await run(['run', name, '--json']));
    expect(j).toMatchObject({ ok: false, started: false, profile: name });
    expect(starts()).toEqual([]);
  });

  test('.codex-profile from the current folder upward; none: exit 2 saying how to choose', async () => {
    const project = path.join(home.sb.root, 'project');
    const deep = path.join(project, 'src', 'deep');
    fs.mkdirSync(deep, { recursive: true });
    const none = await run(['run'], { cwd: deep });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the profile to run/);
    expect(none.stderr).toMatch(/\.codex-profile/);
    fs.writeFileSync(path.join(project, '.codex-profile'), '# this project runs locally\noll\n');
    const r = await run(['run', '--', 'exec', 'hi'], { cwd: deep });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`oll (from ${path.join(project, '.codex-profile')})`);
    expect(starts()[0]!.slice(0, 2)).toEqual(['-p', 'oll']);
  });

  test('SIGTERM to codex-profiles goes to codex; its exit code comes back', async () => {
    const child = spawn(process.execPath, [CLI, 'run', 'oll', '--codex-bin', bin, '--', 'wait-for-signal'], { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const code = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    // Wait for the stand-in to say it is running (an event, not a fixed sleep).
    while (!fs.existsSync(`${log}.ready`)) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await code).toBe(42);
  });
});
