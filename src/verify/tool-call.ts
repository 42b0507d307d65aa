/**
 * The tool-call check: a second real `codex exec` per profile that proves the model can make
 * Codex run a command, not only echo text (docs/checks.md, "The tool-call check").
 *
 * - The workspace is a fresh temporary folder holding one file, `nonce-XXXX.txt`, whose content is
 *   a second random nonce. The prompt names the file but never its content, so the only way to
 *   answer right is to run the command.
 * - The command is `cat nonce-XXXX.txt`: Codex runs `exec_command` through the user's shell, which
 *   is bash/zsh/sh on POSIX and PowerShell on Windows, where `cat` is an alias of Get-Content.
 *   (cmd.exe has no `cat`, but Codex does not use cmd.exe as its shell.)
 * - codex runs with `--json` (its event stream: a `command_execution` item is proof a command
 *   ran), `-s read-only` (the command only reads), `approval_policy="never"` (nobody is there to
 *   approve) and stdin closed; the rest is runCodexExec's (src/codex/exec.ts).
 *
 * The verdict is pure (`judgeToolCall`), over the event stream and the final answer.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ExecOptions, ExecResult } from '../codex/exec.js';

export type ToolCallStatus = 'pass' | 'fail' | 'skipped' | 'not-run';

/** Our own codes; a failed run otherwise carries codex's (src/codex/failures.ts). */
export type ToolCallCode = 'no_tool_call' | 'tool_call_as_text' | 'nonce_missing' | 'command_failed' | 'ok_check_failed';

export interface ToolCallResult {
  status: ToolCallStatus;
  code?: string;
  message?: string;
  fix?: string;
  /** The final answer codex wrote. */
  answer?: string;
  /** Said when the verdict needed more than the event stream (see judgeToolCall). */
  note?: string;
  /** The commands codex ran (from `command_execution` items), as codex reports them. */
  commands: Array<{ command: string; exitCode: number | null; status?: string }>;
  durationMs?: number;
  timedOut?: boolean;
  exitCode?: number | null;
  args?: string[];
}

export interface Nonce {
  /** The file name, e.g. `nonce-8f3a.txt`. */
  file: string;
  /** What the file holds; never shown to the model. */
  value: string;
}

export function makeNonce(random: (n: number) => Buffer = randomBytes): Nonce {
  return { file: `nonce-${random(2).toString('hex')}.txt`, value: `codex-profiles-${random(8).toString('hex')}` };
}

/** The command the model is asked to run; it works in bash, zsh, sh and PowerShell alike. */
export function toolCallCommand(nonce: Nonce): string {
  return `cat ${nonce.file}`;
}

export function toolCallPrompt(nonce: Nonce): string {
  return `Run the shell command \`${toolCallCommand(nonce)}\` in the current directory, then reply with exactly what it printed and nothing else.`;
}

/** Writes the one file of the workspace (runCodexExec's fresh temporary cwd). */
export async function writeNonceFile(cwd: string, nonce: Nonce): Promise<void> {
  await fs.writeFile(path.join(cwd, nonce.file), `${nonce.value}\n`, 'utf8');
}

/**
 * Flags for the run, before the prompt. `--json` turns stdout into Codex's event stream (JSON
 * lines: `item.completed` with `command_execution` / `agent_message` items; seen 0.131-0.171).
 */
export const TOOL_CALL_ARGS: readonly string[] = ['--json', '-s', 'read-only', '-c', 'approval_policy="never"'];

export interface ExecEvents {
  commands: ToolCallResult['commands'];
  /** `agent_message` texts, in order. */
  messages: string[];
}

/**
 * Parses `codex exec --json` stdout; lines that are not JSON events are ignored. A command counts
 * from its `item.started`: on a loaded machine the command's exit can reach Codex after the turn
 * ended, and then no `item.completed` follows (seen with 0.131 and 0.133, the answer already
 * holding the command's output). `item.completed` for the same id fills in the exit code.
 */
export function parseExecEvents(stdout: string): ExecEvents {
  const out: ExecEvents = { commands: [], messages: [] };
  const byId = new Map<string, ToolCallResult['commands'][number]>();
  for (const line of stdout.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    let event: { type?: unknown; item?: Record<string, unknown> };
    try {
      event = JSON.parse(trimmed) as typeof event;
    } catch {
      continue;
    }
    if ((event.type !== 'item.completed' && event.type !== 'item.started') || !event.item) continue;
    const item = event.item;
    if (item.type === 'command_execution') {
      const id = typeof item.id === 'string' ? item.id : undefined;
      const seen = id !== undefined ? byId.get(id) : undefined;
      const entry = seen ?? { command: '', exitCode: null };
      entry.command = typeof item.command === 'string' ? item.command : JSON.stringify(item.command);
      if (typeof item.exit_code === 'number') entry.exitCode = item.exit_code;
      if (typeof item.status === 'string') entry.status = item.status;
      if (!seen) {
        out.commands.push(entry);
        if (id !== undefined) byId.set(id, entry);
      }
    } else if (event.type === 'item.completed' && item.type === 'agent_message' && typeof item.text === 'string') {
      out.messages.push(item.text);
    }
  }
  return out;
}

/**
 * An answer that is a tool call written out as text: a JSON object naming a tool or carrying its
 * arguments, a chat template's tool-call markers, or the requested command in a code block.
 * That is what a model prints when its chat template (or the server) has no tool support.
 */
export function looksLikeToolCallText(answer: string, command: string): boolean {
  if (/<\|?tool_call\|?>|\[TOOL_CALLS\]|<function[=>]|<\|python_tag\|>/i.test(answer)) return true;
  if (/\{[\s\S]*"(name|arguments|cmd|command|tool|function)"\s*:/.test(answer)) return true;
  if (/(exec_command|"shell"|\bshell\s*\()/.test(answer)) return true;
  const escaped = command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('```[a-z]*\\s*' + escaped).test(answer);
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Message and fix per code of ours (docs/checks.md lists the same). */
export const TOOL_CALL_FIX: Record<ToolCallCode, string> = {
  no_tool_call:
    'The model answered without acting: Codex will not get it to run commands or edit files. Pick a model trained for tool use (Ollama: "tools" under Capabilities in `ollama show`; LM Studio: the hammer badge), or a larger one.',
  tool_call_as_text:
    "The model's chat template (or the server) has no tool-call support, so the call came back as text. Use a model whose template supports tools (Ollama: `ollama show MODEL` lists \"tools\"; LM Studio: trained for tool use), or update the server; a custom Modelfile TEMPLATE without tool sections causes this too.",
  nonce_missing:
    'The command ran but the answer does not hold what it printed: the model does not read tool output back. Try a larger or instruction-tuned model, and check the context is large enough (a truncated context drops the tool output).',
  command_failed:
    "Codex ran the command but it failed (see the command's exit code). If the sandbox itself failed, check that `codex exec -s read-only` works on this machine.",
  ok_check_failed: 'Fix the "Reply with exactly OK" check first.',
};

/** The verdict of one finished run (pure: unit-tested). */
export function judgeToolCall(nonce: Nonce, r: ExecResult): ToolCallResult {
  const events = parseExecEvents(r.stdout);
  const out: ToolCallResult = { status: 'pass', commands: events.commands, durationMs: r.durationMs, timedOut: r.timedOut, exitCode: r.exitCode, args: r.args };
  const answer = r.finalMessage ?? events.messages[events.messages.length - 1];
  if (answer !== undefined) out.answer = answer;
  const fail = (status: ToolCallStatus, code: string, message: string, fix?: string): ToolCallResult => {
    out.status = status;
    out.code = code;
    out.message = message;
    if (fix !== undefined) out.fix = fix;
    return out;
  };
  if (r.skipped) return fail('skipped', r.failure?.code ?? 'unknown', r.failure?.message ?? 'codex was not started.', r.failure?.fix);
  // Codex's own failures (timeout, server errors, no tool support, ...) keep codex's code. An
  // empty answer is judged below instead: after a command ran it means the output was not read back.
  if (!r.ok && r.failure && r.failure.code !== 'empty_answer') return fail('fail', r.failure.code, r.failure.message, r.failure.fix);

  const command = toolCallCommand(nonce);
  const text = answer ?? '';
  // The file's value is never in the prompt: an answer holding it means a command read the file,
  // even when the event stream shows none. The suite saw that a few times with 0.131/0.133 on a
  // loaded machine (answer right, no command_execution item; not reproduced in isolation).
  if (events.commands.length === 0 && text.includes(nonce.value)) {
    out.note = 'codex reported no command in its event stream, but the answer holds the file\'s value, which only running a command could give';
    return out;
  }
  if (events.commands.length === 0) {
    if (looksLikeToolCallText(text, command)) {
      return fail('fail', 'tool_call_as_text', `codex ran no command; the model wrote the call as text instead: ${JSON.stringify(oneLine(text))}.`, TOOL_CALL_FIX.tool_call_as_text);
    }
    return fail(
      'fail',
      'no_tool_call',
      `asked to run \`${command}\`, the model answered without running anything${text.trim() ? `: ${JSON.stringify(oneLine(text))}` : ' (empty answer)'}.`,
      TOOL_CALL_FIX.no_tool_call,
    );
  }
  if (text.includes(nonce.value)) return out;
  if (events.commands.every((c) => c.exitCode !== null && c.exitCode !== 0)) {
    const c = events.commands[events.commands.length - 1]!;
    return fail('fail', 'command_failed', `codex ran \`${oneLine(c.command, 80)}\`, which exited with code ${c.exitCode}; the answer does not hold the file's content.`, TOOL_CALL_FIX.command_failed);
  }
  return fail(
    'fail',
    'nonce_missing',
    `codex ran ${events.commands.length === 1 ? 'the command' : `${events.commands.length} commands`}, but the answer does not hold what it printed: ${JSON.stringify(oneLine(text)) || '(empty)'}.`,
    TOOL_CALL_FIX.nonce_missing,
  );
}

export type ExecFn = (opts: ExecOptions) => Promise<ExecResult>;

/**
 * Runs the check once. `base` is what the OK check ran with (profile, pin, env, timeout ...);
 * the prompt, the workspace and the flags are the check's own.
 */
export async function runToolCallCheck(exec: ExecFn, base: Omit<ExecOptions, 'prompt'>, nonce: Nonce = makeNonce()): Promise<ToolCallResult> {
  const r = await exec({
    ...base,
    prompt: toolCallPrompt(nonce),
    extraArgs: [...(base.extraArgs ?? []), ...TOOL_CALL_ARGS],
    prepareWorkdir: (cwd) => writeNonceFile(cwd, nonce),
  });
  return judgeToolCall(nonce, r);
}
