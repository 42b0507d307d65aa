/**
 * examples/ansible/playbook.yml with the real `ansible-playbook` against localhost (connection
 * local), in a temporary HOME and CODEX_HOME, with a fake Ollama on 127.0.0.1 and the real codex
 * 0.169 deciding the layout: the first run is "changed", the second "ok", and check mode after a
 * hand edit reports the drift and changes nothing.
 *
 * Under CI=true a missing ansible-playbook FAILS this test (.ci/run installs it from Debian's
 * ansible-core), so CI never skips it silently; on a workstation without it, it is skipped.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findOnPath } from '../../src/system/which.js';
import { baseConfig, codexBin, makeHome, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';
import { CLI, REPO_ROOT } from '../helpers/cli.js';

const PLAYBOOK = path.join(REPO_ROOT, 'examples', 'ansible', 'playbook.yml');
const ansible = findOnPath('ansible-playbook', process.env);
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';

if (!ansible && inCi) {
  test('ansible-playbook is installed (CI runs the Ansible example; .ci/run installs ansible-core)', () => {
    throw new Error('ansible-playbook is not on PATH under CI=true: run .ci/run (apt-get install ansible-core), do not skip this test.');
  });
}

const describeIf = ansible ? describe : describe.skip;

function playbook(home: Home, extraVars: Record<string, unknown>, check: boolean): Promise<{ code: number | null; out: string }> {
  const args = ['-i', 'localhost,', '-c', 'local', PLAYBOOK, '-e', JSON.stringify(extraVars), ...(check ? ['--check'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(ansible!, args, {
      env: { ...home.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_LOCAL_TEMP: path.join(home.sb.root, 'ansible-tmp'), ANSIBLE_PYTHON_INTERPRETER: 'auto_silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

function recap(out: string): { ok: number; changed: number; failed: number } {
  const m = /localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/.exec(out);
  if (!m) throw new Error(`no PLAY RECAP in:\n${out}`);
  return { ok: Number(m[1]), changed: Number(m[2]), failed: Number(m[3]) };
}

describeIf('examples/ansible with the real ansible-playbook', () => {
  let f: Fakes;
  let home: Home;
  let vars: Record<string, unknown>;
  beforeAll(async () => {
    f = await startFakes();
    home = makeHome(f);
    home.write('config.toml', baseConfig(f.decoy));
    const src = path.join(home.sb.root, 'profiles.toml');
    fs.writeFileSync(src, `version = 1\n[profiles.oll]\nserver = "ollama"\nmodel = "qwen3:8b"\nurl = "${f.ollama.url}"\n`);
    vars = { fleet_src: src, codex_home: home.sb.codexHome, codex_profiles: [process.execPath, CLI], codex_bin: codexBin('0.169') };
  });
  afterAll(async () => {
    await f.close();
    home.sb.cleanup();
  });

  test('first run changed, second run ok, check mode after a hand edit reports the drift', async () => {
    const first = await playbook(home, vars, false);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/TASK \[Apply the fleet file\][^\n]*\nchanged: \[localhost\]/);
    expect(recap(first.out).failed).toBe(0);
    const profile = path.join(home.sb.codexHome, 'oll.config.toml');
    expect(fs.readFileSync(profile, 'utf8')).toContain('model = "qwen3:8b"');

    const second = await playbook(home, vars, false);
    expect(second.code).toBe(0);
    expect(recap(second.out)).toMatchObject({ changed: 0, failed: 0 });

    const inSync = await playbook(home, vars, true);
    expect(inSync.code).toBe(0);
    expect(recap(inSync.out)).toMatchObject({ changed: 0, failed: 0 });

    const edited = fs.readFileSync(profile, 'utf8').replace('model = "qwen3:8b"', 'model = "gpt-oss:20b"');
    fs.writeFileSync(profile, edited);
    const drift = await playbook(home, vars, true);
    expect(drift.code).toBe(0);
    expect(recap(drift.out)).toMatchObject({ changed: 1, failed: 0 });
    expect(drift.out).toMatch(/TASK \[Check the home against the fleet file\][\s\S]*changed: \[localhost\]/);
    expect(drift.out).toContain('oll differs from the file');
    expect(fs.readFileSync(profile, 'utf8')).toBe(edited); // check mode changed nothing
  }, 240_000);
});
