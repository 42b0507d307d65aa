/**
 * The trust check (issue 18): `codex-profiles trust [DIR]`, doctor's and the launcher's verdict,
 * and what the REAL codex does with it. Every folder is a fresh temporary one; the machine's own
 * directories are never judged (a guard below proves the temporary root is not inside a git
 * repository, and GIT_CEILING_DIRECTORIES keeps git itself from looking above it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { baseConfig, codexBin, fileProfile, makeHome, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';
import { parseJson, runCli } from '../helpers/cli.js';
import { runCodexBin } from '../helpers/codex-bins.js';

let f: Fakes;
let home: Home;
let work: string;

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, env: { ...process.env, GIT_CEILING_DIRECTORIES: home.sb.root }, stdio: 'pipe' });
// --codex-bin right after the command: `run` hands everything after `--` to codex.
const cli = (args: string[], cwd = work) => runCli([args[0]!, '--codex-bin', codexBin('0.171'), ...args.slice(1)], { env: { ...home.env, GIT_CEILING_DIRECTORIES: home.sb.root }, cwd, timeoutMs: 120_000 });
const config = () => fs.readFileSync(home.path('config.toml'), 'utf8');

const HAND_WRITTEN = '# mine: keep\n[mcp_servers.docs]\ncommand = "docs-mcp"  # trailing comment\n';

beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
});
beforeEach(() => {
  f.reset();
  home = makeHome(f);
  home.write('config.toml', baseConfig(f.decoy) + '\n' + HAND_WRITTEN);
  work = fs.realpathSync(fs.mkdtempSync(path.join(home.sb.root, 'work-')));
  // The guard: the temporary root must not be inside a repository, or every verdict below lies.
  expect(spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: work, env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(home.sb.root) } }).status).not.toBe(0);
});
afterEach(() => home.sb.cleanup());

test('trust --dry-run: the diff of config.toml, nothing written', async () => {
  const before = config();
  const r = await cli(['trust', work, '--dry-run']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`+[projects."${work}"]`);
  expect(r.stdout).toContain('+trust_level = "trusted"');
  expect(r.stdout).toContain('Dry run: nothing was written.');
  expect(config()).toBe(before);
});

test('trust --yes --json: adds the entry surgically (every other byte stays), with a backup; doctor then says trusted', async () => {
  const before = config();
  const r = await cli(['trust', '--yes', '--json']);
  expect(r.code).toBe(0);
  const doc = parseJson(r);
  expect(doc).toMatchObject({ ok: true, dir: work, key: work, applied: true, before: { trusted: false, execRuns: false, tuiAsks: true }, after: { trusted: true, entry: { key: work, trustLevel: 'trusted', for: 'dir' } } });
  expect(doc.backupId).toEqual(expect.any(String));
  const after = config();
  expect(after.startsWith(before)).toBe(true);
  expect(after.slice(before.length)).toBe(`\n[projects."${work}"]\ntrust_level = "trusted"\n`);
  const d = await cli(['doctor', '--json']);
  expect(parseJson(d).trust).toMatchObject({ dir: work, trusted: true, execRuns: false });
  // Again: nothing to change.
  const again = await cli(['trust', '--yes']);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('Already trusted');
  expect(config()).toBe(after);
});

test('inside a git repository the repository root is the key, as Codex saves it; an untrusted entry is flipped in place', async () => {
  git(work, 'init', '-q');
  const sub = path.join(work, 'src', 'deep');
  fs.mkdirSync(sub, { recursive: true });
  const r = await cli(['trust', sub, '--yes', '--json']);
  expect(parseJson(r)).toMatchObject({ key: work, before: { gitRoot: work, execRuns: true }, after: { trusted: true, entry: { key: work, for: 'project-root' } } });

  // A folder Codex saved as untrusted: that entry decides, so it is the one changed (no second table).
  const other = fs.realpathSync(fs.mkdtempSync(path.join(home.sb.root, 'other-')));
  home.write('config.toml', config() + `\n[projects."${other}"]\ntrust_level = "untrusted"\n`);
  const u = await cli(['trust', other, '--yes']);
  expect(u.code).toBe(0);
  expect(config()).toContain(`[projects."${other}"]\ntrust_level = "trusted"\n`);
  expect(config().split(`[projects."${other}"]`)).toHaveLength(2);
});

test('doctor outside git and untrusted: what Codex will do, and the fix', async () => {
  const r = await cli(['doctor']);
  expect(r.stdout).toContain(`This folder: ${work} is not inside a git repository; no [projects] entry in config.toml covers it`);
  expect(r.stdout).toContain('`codex exec` refuses to start here');
  expect(r.stdout).toContain('the interactive codex asks whether to trust the folder before it starts');
  expect(r.stdout).toContain(`fix: \`codex-profiles trust ${work}\``);
});

test('the real codex agrees: a trusted entry does not let `codex exec` run outside git; a repository does', async () => {
  await cli(['trust', '--yes']);
  const run = (cwd: string) => runCodexBin('0.171', ['exec', '--ephemeral', '--', 'Reply with exactly OK'], { cwd, env: { ...home.env, GIT_CEILING_DIRECTORIES: home.sb.root } });
  const refused = await run(work);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('Not inside a trusted directory and --skip-git-repo-check was not specified.');
  expect(f.decoy.requests.filter((q) => q.path.endsWith('/responses'))).toEqual([]);
  git(work, 'init', '-q');
  const ok = await run(work);
  expect(ok.status).toBe(0);
  expect(f.decoy.requests.filter((q) => q.path.endsWith('/responses'))).toHaveLength(1);
});

test('the launcher says it before codex starts (dry run): exec outside git, and the trust question', async () => {
  home.write('oll.config.toml', fileProfile('ollama', 'qwen3:8b'));
  const exec = await cli(['run', 'oll', '--dry-run', '--', 'exec', 'hi']);
  expect(exec.code).toBe(0);
  expect(exec.stderr).toContain(`${work} is not inside a git repository: \`codex exec\` will refuse to start`);
  const tui = await cli(['run', 'oll', '--dry-run', '--json']);
  expect(parseJson(tui).trust).toMatchObject({ dir: work, trusted: false, tuiAsks: true });
  const tuiText = await cli(['run', 'oll', '--dry-run']);
  expect(tuiText.stderr).toContain('is not trusted for Codex yet: codex will first ask whether to trust it');
  await cli(['trust', '--yes']);
  const trusted = await cli(['run', 'oll', '--dry-run']);
  expect(trusted.stderr).not.toContain('trust');
});

test('trust on something that is not a folder: exit 2, nothing written', async () => {
  const before = config();
  const r = await cli(['trust', path.join(work, 'missing'), '--yes']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('is not a folder');
  expect(config()).toBe(before);
});
