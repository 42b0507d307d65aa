/**
 * Issue 17: a profile name starting with `-` (`-rf`) was accepted, and then could be neither
 * tested nor removed (it reads as flags). New names like that are refused with a suggestion;
 * one already on disk is listed and can be removed with `remove -- -rf` or `--name=-rf`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseJson, runCli } from '../helpers/cli.js';
import { decoyBaseConfig } from '../helpers/codex-bins.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let ollama: FakeOllama;
let sb: Sandbox;
const CONFIG = decoyBaseConfig('http://127.0.0.1:9/v1');

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'gpt-oss:20b', contextLength: 131072 }] });
});
afterAll(async () => ollama.close());
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), CONFIG);
});
afterEach(() => sb.cleanup());

const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sb) });
const files = () => fs.readdirSync(sb.codexHome).sort();

test.each(['-rf', 'a b', 'x:y'])('add --name=%s is refused with a suggested name; nothing is written', async (name) => {
  const r = await cli(['add', 'gpt-oss:20b', '--provider', 'ollama', '--ollama-url', ollama.url, '--layout', 'file', `--name=${name}`, '--yes']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`"${name}" is not a profile name Codex accepts on a command line`);
  expect(r.stderr).toMatch(/not starting with '-'/);
  expect(r.stderr).toMatch(/e\.g\. --name [A-Za-z0-9_][A-Za-z0-9_-]*\./);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(files()).toEqual(['config.toml']);
  expect(fs.readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).toBe(CONFIG);
});

test.each([[['remove', '--yes', '--', '-rf']], [['remove', '--name=-rf', '--yes']], [['rm', '--yes', '--json', '--name=-rf']]])(
  'a -rf profile already on disk is listed, and %j removes it (and only it)',
  async (args) => {
    fs.writeFileSync(path.join(sb.codexHome, '-rf.config.toml'), 'model = "gpt-oss:20b"\nmodel_provider = "ollama"\n');
    fs.writeFileSync(path.join(sb.codexHome, 'rf.config.toml'), 'model = "gpt-oss:20b"\nmodel_provider = "ollama"\n');
    const list = parseJson(await cli(['list', '--json']));
    expect(list.profiles.map((p: { name: string }) => p.name).sort()).toEqual(['-rf', 'rf']);
    const r = await cli(args);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(files().filter((f) => f.endsWith('.toml'))).toEqual(['config.toml', 'rf.config.toml']);
  },
);

test('the audit flags such a profile and says how to remove it', async () => {
  fs.writeFileSync(path.join(sb.codexHome, '-rf.config.toml'), 'model = "gpt-oss:20b"\nmodel_provider = "ollama"\n');
  const r = await cli(['audit', '--json', '--codex-bin', path.join(sb.root, 'no-codex')]);
  expect(JSON.stringify(parseJson(r))).toMatch(/"rule": ?"invalid-profile-name"[^}]*codex-profiles remove -- -rf/);
});
