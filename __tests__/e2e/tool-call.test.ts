/**
 * `codex-profiles test --tools` end to end: the built CLI and the REAL codex binaries (0.131,
 * 0.133, 0.169, 0.171) against a fake Ollama on 127.0.0.1 that plays four kinds of model
 * (__tests__/helpers/tool-models.ts), one per installed model:
 * - `coder:7b` calls `exec_command` and answers with the output: pass;
 * - `texty:7b` prints the call as JSON text: `tool_call_as_text`;
 * - `lazy:7b` answers without acting: `no_tool_call`;
 * - `forget:7b` runs the command and answers "Done.": `nonce_missing`.
 * Every home has the decoy as its base provider, so a run that ignored the profile would land there.
 */
import { baseConfig, cli, fileProfile, makeHome, startFakes, tableProfile, type Fakes, type Home } from '../helpers/checks-home.js';
import { parseJson } from '../helpers/cli.js';
import { toolModelHandler, type ToolModelKind } from '../helpers/tool-models.js';

const KINDS: Record<string, ToolModelKind> = { 'coder:7b': 'tool-caller', 'texty:7b': 'json-text', 'lazy:7b': 'ignorer', 'forget:7b': 'forgetful' };
const PROFILES = { good: 'coder:7b', astext: 'texty:7b', lazy: 'lazy:7b', forget: 'forget:7b' } as const;

interface ToolCall {
  status: string;
  code?: string;
  message?: string;
  fix?: string;
  answer?: string;
  commands: Array<{ command: string; exitCode: number | null }>;
  args?: string[];
}
interface Row {
  name: string;
  status: string;
  code?: string;
  answer?: string;
  toolCall?: ToolCall;
}

interface Body {
  model: string;
  tools?: Array<{ name?: string; type?: string; parameters?: { properties?: Record<string, unknown> } }>;
  input: Array<{ type?: string; role?: string; output?: string; content?: Array<{ text?: string }> }>;
}

describe.each([
  { v: '0.131', era: 'table' },
  { v: '0.133', era: 'table' },
  { v: '0.169', era: 'file' },
  { v: '0.171', era: 'file' },
] as const)('codex $v: test --tools', ({ v, era }) => {
  let f: Fakes;
  let home: Home;

  beforeAll(async () => {
    f = await startFakes({
      ollamaModels: Object.keys(KINDS).map((name) => ({ name, contextLength: 131072, loaded: true, loadedContextLength: 65536 })),
      ollamaHttp: { responses: toolModelHandler((model) => KINDS[model] ?? 'ignorer') },
    });
    home = makeHome(f);
    const entries = Object.entries(PROFILES);
    if (era === 'table') {
      home.write('config.toml', baseConfig(f.decoy) + entries.map(([n, m]) => tableProfile(n, 'ollama', m)).join(''));
    } else {
      home.write('config.toml', baseConfig(f.decoy));
      for (const [n, m] of entries) home.write(`${n}.config.toml`, fileProfile('ollama', m));
    }
  });
  afterAll(async () => {
    await f.close();
    home.sb.cleanup();
  });

  test('a tool-capable model passes; JSON-as-text, ignoring and forgetting models fail with their codes; exit 1', async () => {
    const r = await cli(v, home, ['test', ...Object.keys(PROFILES), '--tools', '--json', '--timeout', '90']);
    expect(r.code).toBe(1);
    const doc = parseJson<{ ok: boolean; results: Row[]; summary: Record<string, number> }>(r);
    const by = Object.fromEntries(doc.results.map((x) => [x.name, x]));
    expect(doc.ok).toBe(false);
    expect(doc.summary).toEqual({ pass: 1, fail: 3, skipped: 0, notRun: 0 });

    // Both checks per profile: the OK check passed everywhere; the tool-call check decides.
    for (const row of Object.values(by)) expect(row.answer).toBe('OK');
    const good = by.good!;
    expect(good.status).toBe('pass');
    expect(good.toolCall).toMatchObject({ status: 'pass' });
    expect(good.toolCall!.commands).toHaveLength(1);
    expect(good.toolCall!.commands[0]!.command).toMatch(/cat nonce-[0-9a-f]{4}\.txt/);
    expect(good.toolCall!.commands[0]!.exitCode).toBe(0);
    expect(good.toolCall!.answer).toMatch(/^codex-profiles-[0-9a-f]{16}$/);
    expect(good.toolCall!.args).toEqual(expect.arrayContaining(['--json', '-s', 'read-only']));

    expect(by.astext).toMatchObject({ status: 'fail', code: 'tool_call_as_text', toolCall: { status: 'fail', code: 'tool_call_as_text', commands: [] } });
    expect(by.lazy).toMatchObject({ status: 'fail', code: 'no_tool_call', toolCall: { status: 'fail', code: 'no_tool_call', commands: [] } });
    expect(by.forget).toMatchObject({ status: 'fail', code: 'nonce_missing', toolCall: { status: 'fail', code: 'nonce_missing', answer: 'Done.' } });
    expect(by.forget!.toolCall!.commands).toHaveLength(1);

    // What codex sent: exec_command with a string cmd, and the output back as function_call_output.
    const bodies = f.ollama.requests.filter((q) => q.path === '/v1/responses').map((q) => q.json as Body);
    const goodTurns = bodies.filter((b) => b.model === 'coder:7b');
    expect(goodTurns).toHaveLength(3); // OK check, tool call, answer
    const exec = goodTurns[1]!.tools!.find((t) => t.name === 'exec_command');
    expect(exec?.parameters?.properties?.cmd).toMatchObject({ type: 'string' });
    const output = goodTurns[2]!.input.find((i) => i.type === 'function_call_output');
    expect(output?.output).toContain(`Output:\n${good.toolCall!.answer}`);
    // Nothing reached the decoy (the base config's provider).
    expect(f.decoy.requests).toEqual([]);
  });

  test('the tool-capable profile alone: exit 0, and the table says it ran a command', async () => {
    const r = await cli(v, home, ['test', 'good', '--tools', '--timeout', '90']);
    // On failure, show the whole report (which check failed, and why).
    expect(r.code === 0 ? 0 : `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/good .*pass.*"OK", ran a command/);
    expect(r.stdout).toContain('1 passed, 0 failed, 0 skipped');
  });

  test('--dry-run --tools runs nothing and shows both command lines', async () => {
    f.reset();
    const r = await cli(v, home, ['test', 'good', '--tools', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const doc = parseJson<{ results: Array<{ status: string; command: string[]; toolCallCommand: string[] }> }>(r);
    expect(doc.results[0]!.status).toBe('would-run');
    expect(doc.results[0]!.toolCallCommand).toEqual(expect.arrayContaining(['--json', '-s', 'read-only']));
    expect(doc.results[0]!.toolCallCommand[doc.results[0]!.toolCallCommand.length - 1]).toContain('`cat nonce-XXXX.txt`');
    expect(f.ollama.requests).toEqual([]);
  });
});
