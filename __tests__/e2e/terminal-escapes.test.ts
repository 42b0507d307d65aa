/**
 * Issue 17: a hostile provider serves model names full of terminal escapes (OSC window title,
 * CSI screen clear, C1 controls). add, setup, list and audit print those names: nothing a
 * terminal would interpret may reach stdout or stderr (src/ui/terminal-text.ts, applied by
 * src/ui/output.ts to every line).
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { CODEX_BINS, decoyBaseConfig } from '../helpers/codex-bins.js';
import { startFakeOllama, type FakeOllama } from '../helpers/fake-ollama.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

// OSC 0 (window title, BEL-terminated), CSI 2J (clear), C1 CSI (U+009B) and C1 OSC/ST, a bare CR.
const HOSTILE = 'evil\x1b]0;pwned\x07\x1b[2J\u009b31m\u009d0;t\u009c\rx:1b';
// Every C0 control but newline (tab is harmless), DEL and C1.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let ollama: FakeOllama;
let sb: Sandbox;

beforeAll(async () => {
  // Small context and no tools: add and setup warn about the model, by name.
  ollama = await startFakeOllama({ models: [{ name: HOSTILE, capabilities: ['completion'], contextLength: 2048 }] });
});
afterAll(async () => ollama.close());
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), decoyBaseConfig('http://127.0.0.1:9/v1'));
});
afterEach(() => sb.cleanup());

const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sb) });

function expectClean(r: CliResult): void {
  expect(r.stdout + r.stderr).toContain('evil');
  expect(CONTROL.exec(r.stdout)).toBeNull();
  expect(CONTROL.exec(r.stderr)).toBeNull();
  // Shown, not hidden: the escape is visible as text.
  expect(r.stdout + r.stderr).toMatch(/\\x1b/);
}

test('add warns about the model by name, then list and audit print it: no control byte on screen', async () => {
  const add = await cli(['add', HOSTILE, '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169'], '--name', 'evil', '--allow-no-tools', '--yes']);
  expect(add.code).toBe(0);
  expectClean(add);
  const list = await cli(['list']);
  expectClean(list);
  const audit = await cli(['audit', '--codex-bin', CODEX_BINS['0.169']]);
  expectClean(audit);
});

test('setup --yes: the discovery report and the warnings name the model, escaped', async () => {
  const setup = await cli(['setup', '--yes', '--allow-no-tools', '--provider', 'ollama', '--models', HOSTILE, '--ollama-url', ollama.url, '--codex-bin', CODEX_BINS['0.169']]);
  expect(setup.code).toBe(0);
  expectClean(setup);
  expect(fs.readdirSync(sb.codexHome).filter((f) => f.endsWith('.config.toml'))).toHaveLength(1);
});
