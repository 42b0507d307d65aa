/**
 * `migrate` killed part-way (issue 17): never a lost profile, and the next command of any kind
 * finishes or undoes the interrupted run and says so. Deterministic kills come from the
 * CODEX_PROFILES_TEST_CRASH_AFTER seam (the writer SIGKILLs itself after N files); a bounded loop
 * of real SIGKILLs at varied moments checks the same invariant without the seam.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { CLI, runCli } from '../helpers/cli.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
});
afterEach(() => sb.cleanup());

const NAMES = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
const CONFIG = '# mine\nmodel = "o3"\n' + NAMES.map((n) => `\n[profiles.${n}]\nmodel = "model-${n}"\nmodel_provider = "ollama"\n`).join('');
const cfg = () => path.join(sb.codexHome, 'config.toml');
const migrateArgs = () => ['migrate', '--to', 'files', '--yes', '--codex-bin', path.join(sb.root, 'no-codex')];

/** Every profile is somewhere: in its file, or still a table. */
function lostProfiles(): string[] {
  const tables = (parse(fs.readFileSync(cfg(), 'utf8')) as { profiles?: Record<string, { model: string }> }).profiles ?? {};
  return NAMES.filter((n) => {
    if (tables[n]?.model === `model-${n}`) return false;
    const file = path.join(sb.codexHome, `${n}.config.toml`);
    return !(fs.existsSync(file) && (parse(fs.readFileSync(file, 'utf8')) as { model?: string }).model === `model-${n}`);
  });
}

test.each([0, 1, 4, 8, 9])('killed after %i file(s): nothing lost; the next command undoes or finishes it and says so', async (step) => {
  fs.writeFileSync(cfg(), CONFIG);
  const killed = await runCli(migrateArgs(), { env: sandboxEnv(sb, { CODEX_PROFILES_TEST_CRASH_AFTER: String(step) }) });
  expect(killed.code).toBeNull(); // died by the signal, before reporting anything
  expect(killed.stdout).not.toContain('Wrote');
  expect(lostProfiles()).toEqual([]);
  // config.toml is written after the profile files, so up to step 8 every table is still there.
  if (step <= 8) expect(fs.readFileSync(cfg(), 'utf8')).toBe(CONFIG);

  const next = await runCli(['list'], { env: sandboxEnv(sb) });
  expect(next.code).toBe(0);
  if (step === 9) {
    expect(next.stderr).toMatch(/an earlier codex-profiles migrate run \(pid \d+\) was interrupted after writing all 9 file\(s\); it is complete/);
    expect(fs.readFileSync(cfg(), 'utf8')).toBe('# mine\nmodel = "o3"\n');
  } else {
    expect(next.stderr).toMatch(/an earlier codex-profiles migrate run \(pid \d+\) was interrupted part-way; it was undone/);
    expect(fs.readFileSync(cfg(), 'utf8')).toBe(CONFIG);
    expect(fs.readdirSync(sb.codexHome).filter((f) => f.endsWith('.config.toml'))).toEqual([]);
  }
  expect(lostProfiles()).toEqual([]);
  expect(fs.existsSync(path.join(sb.codexHome, 'codex-profiles', 'journal.json'))).toBe(false);
  // The lock of the killed run did not hold anything up, and the migration now goes through.
  const again = await runCli(migrateArgs(), { env: sandboxEnv(sb) });
  expect(again.code).toBe(0);
  expect(lostProfiles()).toEqual([]);
}, 60_000);

test('real SIGKILLs at varied moments (bounded loop): no profile is ever lost', async () => {
  fs.writeFileSync(cfg(), CONFIG);
  const runs = 12;
  for (let i = 0; i < runs; i++) {
    // Alternate directions so every run has something to move.
    const to = i % 2 === 0 ? 'files' : 'tables';
    const child = spawn(process.execPath, [CLI, 'migrate', '--to', to, '--yes', '--codex-bin', path.join(sb.root, 'no-codex')], { env: sandboxEnv(sb), stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    // Varied moments: from start-up to the end of the writes (a run takes a few hundred ms).
    await new Promise((r) => setTimeout(r, 40 * i));
    child.kill('SIGKILL');
    await closed;
    // Whatever the moment, the next command leaves a consistent home.
    const next = await runCli(['list', '--json'], { env: sandboxEnv(sb) });
    expect(next.code).toBe(0);
    expect(lostProfiles()).toEqual([]);
    expect(fs.existsSync(path.join(sb.codexHome, 'codex-profiles', 'journal.json'))).toBe(false);
  }
}, 120_000);
