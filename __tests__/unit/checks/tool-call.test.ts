import type { ExecResult } from '../../../src/codex/exec.js';
import { judgeToolCall, looksLikeToolCallText, makeNonce, parseExecEvents, runToolCallCheck, toolCallPrompt, TOOL_CALL_ARGS, type Nonce } from '../../../src/verify/tool-call.js';
import { shellCall, toolModelEvents, toolOutputText } from '../../helpers/tool-models.js';

const NONCE: Nonce = { file: 'nonce-8f3a.txt', value: 'codex-profiles-0123456789abcdef' };

/** `codex exec --json` stdout as 0.169 printed it (seen), with the nonce of this test. */
function events(opts: { command?: { exit: number; output: string }; answer?: string }): string {
  const lines: unknown[] = [{ type: 'thread.started', thread_id: 't' }, { type: 'turn.started' }];
  if (opts.command) {
    const item = { id: 'item_1', type: 'command_execution', command: "/bin/bash -lc 'cat nonce-8f3a.txt'", aggregated_output: '', exit_code: null, status: 'in_progress' };
    lines.push({ type: 'item.started', item });
    lines.push({ type: 'item.completed', item: { ...item, aggregated_output: opts.command.output, exit_code: opts.command.exit, status: opts.command.exit === 0 ? 'completed' : 'failed' } });
  }
  if (opts.answer !== undefined) lines.push({ type: 'item.completed', item: { id: 'item_2', type: 'agent_message', text: opts.answer } });
  lines.push({ type: 'turn.completed', usage: {} });
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

function result(stdout: string, finalMessage: string | undefined, extra: Partial<ExecResult> = {}): ExecResult {
  const ok = finalMessage !== undefined && finalMessage.trim() !== '';
  return { ok, exitCode: 0, timedOut: false, finalMessage, stderr: '', stdout, durationMs: 1200, args: ['exec'], ...(ok ? {} : { failure: { code: 'empty_answer', message: 'empty' } }), ...extra } as ExecResult;
}

describe('the nonce and the prompt', () => {
  test('the prompt names the file and the command in backticks, never the content', () => {
    const n = makeNonce();
    expect(n.file).toMatch(/^nonce-[0-9a-f]{4}\.txt$/);
    expect(n.value).toMatch(/^codex-profiles-[0-9a-f]{16}$/);
    const prompt = toolCallPrompt(n);
    expect(prompt).toContain(`\`cat ${n.file}\``);
    expect(prompt).not.toContain(n.value);
    expect(makeNonce().value).not.toBe(n.value);
  });
});

describe('parseExecEvents', () => {
  test('completed command_execution and agent_message items; started items and noise ignored', () => {
    const e = parseExecEvents('Reading additional input from stdin...\n' + events({ command: { exit: 0, output: 'x' }, answer: 'hi' }) + '{broken\n');
    expect(e.commands).toEqual([{ command: "/bin/bash -lc 'cat nonce-8f3a.txt'", exitCode: 0, status: 'completed' }]);
    expect(e.messages).toEqual(['hi']);
  });
});

describe('judgeToolCall', () => {
  test('pass: a command ran and the answer holds the nonce', () => {
    const v = judgeToolCall(NONCE, result(events({ command: { exit: 0, output: NONCE.value }, answer: NONCE.value }), NONCE.value));
    expect(v).toMatchObject({ status: 'pass', answer: NONCE.value, commands: [{ exitCode: 0 }], durationMs: 1200 });
    expect(v.code).toBeUndefined();
  });

  test('no_tool_call: an answer and no command', () => {
    const v = judgeToolCall(NONCE, result(events({ answer: 'I ran it.' }), 'I ran it.'));
    expect(v).toMatchObject({ status: 'fail', code: 'no_tool_call' });
    expect(v.message).toContain('I ran it.');
    expect(v.fix).toMatch(/tool use/);
  });

  test('no_tool_call also for an empty answer without a command', () => {
    expect(judgeToolCall(NONCE, result(events({}), '')).code).toBe('no_tool_call');
  });

  test.each([
    '{"name":"exec_command","arguments":{"cmd":"cat nonce-8f3a.txt"}}',
    '<tool_call>\n{"name": "shell", "arguments": {"command": ["cat", "nonce-8f3a.txt"]}}\n</tool_call>',
    '[TOOL_CALLS] exec_command',
    '```bash\ncat nonce-8f3a.txt\n```',
  ])('tool_call_as_text: %s', (answer) => {
    const v = judgeToolCall(NONCE, result(events({ answer }), answer));
    expect(v).toMatchObject({ status: 'fail', code: 'tool_call_as_text' });
    expect(v.fix).toMatch(/template/);
  });

  test('a plain sentence mentioning the file is not a tool call as text', () => {
    expect(looksLikeToolCallText('I cannot read nonce-8f3a.txt, sorry.', 'cat nonce-8f3a.txt')).toBe(false);
  });

  test('nonce_missing: the command ran, the answer lacks the nonce (or is empty)', () => {
    expect(judgeToolCall(NONCE, result(events({ command: { exit: 0, output: NONCE.value }, answer: 'Done.' }), 'Done.'))).toMatchObject({ status: 'fail', code: 'nonce_missing' });
    expect(judgeToolCall(NONCE, result(events({ command: { exit: 0, output: NONCE.value } }), ''))).toMatchObject({ status: 'fail', code: 'nonce_missing' });
  });

  test('command_failed: every command exited non-zero', () => {
    const v = judgeToolCall(NONCE, result(events({ command: { exit: 1, output: 'sandbox error' }, answer: 'error' }), 'error'));
    expect(v).toMatchObject({ status: 'fail', code: 'command_failed' });
    expect(v.message).toContain('exited with code 1');
  });

  test("codex's own failures keep codex's code (timeout, server errors)", () => {
    const v = judgeToolCall(NONCE, result('', undefined, { ok: false, exitCode: null, timedOut: true, failure: { code: 'timeout', message: 'stopped after 3 s', fix: 'raise --timeout' } }));
    expect(v).toMatchObject({ status: 'fail', code: 'timeout', fix: 'raise --timeout', timedOut: true });
    const nt = judgeToolCall(NONCE, result('', undefined, { ok: false, exitCode: 1, failure: { code: 'no_tool_support', message: 'does not support tools' } }));
    expect(nt.code).toBe('no_tool_support');
  });

  test('a run that was not started is skipped with its reason', () => {
    const v = judgeToolCall(NONCE, result('', undefined, { ok: false, skipped: true, exitCode: null, failure: { code: 'profile_not_found', message: 'gone' } }));
    expect(v).toMatchObject({ status: 'skipped', code: 'profile_not_found' });
  });
});

describe('runToolCallCheck', () => {
  test('adds the prompt, the flags and the nonce file to what the OK check ran with', async () => {
    let seen: Parameters<Parameters<typeof runToolCallCheck>[0]>[0] | undefined;
    const written: string[] = [];
    const v = await runToolCallCheck(
      async (opts) => {
        seen = opts;
        const fs = await import('node:fs/promises');
        const os = await import('node:os');
        const path = await import('node:path');
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tc-unit-'));
        await opts.prepareWorkdir!(dir);
        written.push(await fs.readFile(path.join(dir, NONCE.file), 'utf8'));
        await fs.rm(dir, { recursive: true });
        return result(events({ command: { exit: 0, output: NONCE.value }, answer: NONCE.value }), NONCE.value);
      },
      { codex: {} as never, codexHome: '/h', profile: 'p', timeoutMs: 5000, extraArgs: ['-c', 'x=1'] },
      NONCE,
    );
    expect(v.status).toBe('pass');
    expect(seen!.prompt).toBe(toolCallPrompt(NONCE));
    expect(seen!.extraArgs).toEqual(['-c', 'x=1', ...TOOL_CALL_ARGS]);
    expect(TOOL_CALL_ARGS).toEqual(expect.arrayContaining(['--json', '-s', 'read-only']));
    expect(written).toEqual([`${NONCE.value}\n`]);
  });
});

describe('the fake tool models (test helper)', () => {
  const prompt = { role: 'user', content: [{ type: 'input_text', text: toolCallPrompt(NONCE) }] };
  test('calls exec_command with a string cmd when offered, else shell with an array', () => {
    expect(shellCall({ tools: [{ type: 'function', name: 'exec_command' }] }, 'cat f')).toEqual({ name: 'exec_command', arguments: '{"cmd":"cat f","yield_time_ms":30000}' });
    expect(JSON.parse(shellCall({ tools: [{ type: 'function', name: 'shell' }] }, 'cat f').arguments)).toEqual({ command: ['bash', '-lc', 'cat f'] });
  });
  test('reads both function_call_output shapes', () => {
    expect(toolOutputText('Chunk ID: 1\nWall time: 0 seconds\nProcess exited with code 0\nOutput:\nNONCE\n')).toBe('NONCE');
    expect(toolOutputText('{"output":"NONCE\\n","metadata":{"exit_code":0}}')).toBe('NONCE');
  });
  test('tool-caller answers with the output on the second turn; the OK prompt gets OK', () => {
    const first = toolModelEvents('tool-caller', { input: [prompt], tools: [{ name: 'exec_command' }] });
    const done = first.find((e) => e.type === 'response.output_item.done')!.data.item as { type: string; arguments: string };
    expect(done.type).toBe('function_call');
    expect(JSON.parse(done.arguments)).toMatchObject({ cmd: `cat ${NONCE.file}` });
    const second = toolModelEvents('tool-caller', { input: [prompt, { type: 'function_call_output', output: `Output:\n${NONCE.value}\n` }] });
    expect(JSON.stringify(second)).toContain(NONCE.value);
    const ok = toolModelEvents('json-text', { input: [{ role: 'user', content: [{ text: 'Reply with exactly OK' }] }] });
    expect(JSON.stringify(ok)).toContain('"text":"OK"');
  });
});

describe('when the event stream lacks the command', () => {
  test('a command seen only as item.started still counts (its exit may land after the turn)', () => {
    const started = JSON.stringify({ type: 'item.started', item: { id: 'item_1', type: 'command_execution', command: 'cat nonce-8f3a.txt', exit_code: null, status: 'in_progress' } });
    expect(parseExecEvents(started + '\n').commands).toEqual([{ command: 'cat nonce-8f3a.txt', exitCode: null, status: 'in_progress' }]);
  });
  test('an answer holding the file value passes with a note: only a command could have read it', () => {
    const r = judgeToolCall(NONCE, result(events({ answer: NONCE.value }), NONCE.value));
    expect(r.status).toBe('pass');
    expect(r.note).toMatch(/no command in its event stream/);
    // Without the value it is still no_tool_call.
    expect(judgeToolCall(NONCE, result(events({ answer: 'nothing' }), 'nothing')).code).toBe('no_tool_call');
  });
});
