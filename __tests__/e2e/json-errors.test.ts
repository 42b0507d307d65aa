/** `--json` errors: one document on stdout with a stable code, for every kind of failure. */
import fs from 'node:fs';
import path from 'node:path';
import { parseJson, runCli } from '../helpers/cli.js';
import { CODEX_BINS } from '../helpers/codex-bins.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
});
afterEach(() => sb.cleanup());

const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sb) });

test('a yargs usage mistake with --json is a JSON document with code USAGE, not text on stderr', async () => {
  const r = await cli(['list', '--json', '--bogus']);
  expect(r.code).toBe(2);
  expect(parseJson(r)).toEqual({
    ok: false,
    error: { code: 'USAGE', message: expect.stringContaining('bogus'), hint: expect.stringContaining('--help'), exitCode: 2 },
  });
  const unknown = await cli(['lsit', '--json']);
  expect(unknown.code).toBe(2);
  expect(parseJson(unknown).error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('unknown command "lsit"') });
  // Without --json the text stays on stderr and stdout stays empty.
  const text = await cli(['list', '--bogus']);
  expect(text.code).toBe(2);
  expect(text.stdout).toBe('');
  expect(text.stderr).toMatch(/error: Unknown argument: bogus\nRun 'codex-profiles --help' for usage./);
});

test('a config codex cannot parse: CONFIG_PARSE; no backup to restore: BACKUP_NOT_FOUND; every error has a hint field', async () => {
  const restore = await cli(['restore', '--json', '--yes']);
  expect(restore.code).toBe(2);
  expect(parseJson(restore)).toEqual({ ok: false, error: { code: 'BACKUP_NOT_FOUND', message: expect.stringContaining('no backups'), hint: null, exitCode: 2 } });

  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), 'model = \n');
  const add = await cli(['add', 'm', '--provider', 'ollama', '--allow-missing', '--url', 'http://127.0.0.1:9', '--codex-bin', CODEX_BINS['0.133'], '--yes', '--json', '--timeout', '200']);
  expect(add.code).toBe(2);
  expect(parseJson(add).error).toMatchObject({ code: 'CONFIG_PARSE', exitCode: 2, message: expect.stringContaining('not valid TOML') });
});
