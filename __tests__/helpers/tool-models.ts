/**
 * Fake models for the tool-call check, spoken over the Responses API the real Codex calls.
 *
 * - `tool-caller`: a model with working tool calls. First turn: a `function_call` item for the
 *   command quoted in backticks in the last user message, with whichever shell tool the request
 *   offers: `exec_command` with a string `cmd` (every pinned build, 0.131-0.171, seen) or an
 *   older `shell` with a `command` array. Second turn (the request carries Codex's
 *   `function_call_output`): the command's output as the answer.
 * - `forgetful`: calls the tool, then answers "Done." without the output (nonce_missing).
 * - `json-text`: prints the call as JSON text, as a model does whose template lacks tool support.
 * - `ignorer`: answers without running anything.
 *
 * Codex sends the output back (seen 0.131-0.171) as `{"type":"function_call_output","call_id",
 * "output":"Chunk ID: ...\nWall time: ...\nProcess exited with code 0\n...Output:\n<text>"}`;
 * older `shell` builds sent a JSON string `{"output":"<text>","metadata":{...}}`. Both are read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeSse, type SseEvent } from './responses-sse.js';

export type ToolModelKind = 'tool-caller' | 'forgetful' | 'json-text' | 'ignorer';

interface InputItem {
  type?: string;
  role?: string;
  content?: Array<{ text?: string }> | string;
  output?: unknown;
}

interface RequestBody {
  model?: string;
  input?: InputItem[];
  tools?: Array<{ type?: string; name?: string }>;
}

/** The input items; Codex's `--oss` load request for LM Studio sends `input` as a plain string (seen). */
function inputItems(body: RequestBody): InputItem[] {
  return Array.isArray(body.input) ? body.input : [];
}

/** The text of the last user message. */
export function lastUserText(body: RequestBody): string {
  const users = inputItems(body).filter((i) => i.role === 'user');
  const c = users[users.length - 1]?.content;
  if (typeof c === 'string') return c;
  return (c ?? []).map((p) => p.text ?? '').join('');
}

/** The command quoted in backticks in the prompt. */
export function requestedCommand(body: RequestBody): string | undefined {
  return /`([^`]+)`/.exec(lastUserText(body))?.[1];
}

/** What a tool printed, from Codex's `function_call_output` (either shape). */
export function toolOutputText(output: unknown): string {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  try {
    const parsed = JSON.parse(text) as { output?: unknown };
    if (typeof parsed.output === 'string') return parsed.output.trim();
  } catch {
    // not the JSON shape: the exec_command text shape
  }
  const at = text.indexOf('Output:\n');
  return (at >= 0 ? text.slice(at + 'Output:\n'.length) : text).trim();
}

/** The shell tool call for `command`, in the shape the request's tools ask for. */
export function shellCall(body: RequestBody, command: string): { name: string; arguments: string } {
  const names = new Set((body.tools ?? []).map((t) => t.name));
  if (!names.has('exec_command') && names.has('shell')) return { name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command] }) };
  // A long yield: on a loaded machine `bash -lc` may not finish within Codex's default wait, and
  // then the output would come back as "Process running with session ID ..." instead.
  return { name: 'exec_command', arguments: JSON.stringify({ cmd: command, yield_time_ms: 30000 }) };
}

let counter = 0;

function turn(model: string, item: Record<string, unknown>): SseEvent[] {
  const id = `resp_tool_${++counter}`;
  const base = { id, object: 'response', model };
  const ev = (type: string, data: Record<string, unknown>): SseEvent => ({ type, data: { type, ...data } });
  return [
    ev('response.created', { response: { ...base, status: 'in_progress', output: [] } }),
    ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress' } }),
    ev('response.output_item.done', { output_index: 0, item }),
    ev('response.completed', { response: { ...base, status: 'completed', output: [item], usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 } } }),
  ];
}

function message(text: string): Record<string, unknown> {
  return { id: `msg_tool_${++counter}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
}

/** The events of one turn of `kind`, given the request body (pure). */
export function toolModelEvents(kind: ToolModelKind, body: RequestBody): SseEvent[] {
  const model = body.model ?? 'fake-model';
  const command = requestedCommand(body);
  // The "Reply with exactly OK" check reaches the same fake: every kind passes that one.
  if (command === undefined) return turn(model, message('OK'));
  const output = inputItems(body).find((i) => i.type === 'function_call_output');
  switch (kind) {
    case 'tool-caller':
    case 'forgetful': {
      if (output) return turn(model, message(kind === 'forgetful' ? 'Done.' : toolOutputText(output.output)));
      const call = shellCall(body, command);
      return turn(model, { id: `fc_${++counter}`, type: 'function_call', status: 'completed', call_id: `call_${counter}`, ...call });
    }
    case 'json-text':
      return turn(model, message(JSON.stringify({ name: 'exec_command', arguments: { cmd: command } })));
    case 'ignorer':
      return turn(model, message('I ran it and it printed nothing.'));
  }
}

/**
 * A tool-capable model in front of another answer: a prompt quoting a command in backticks (the
 * tool-call check) is played by `tool-caller`; anything else goes to `fallback` (e.g. "OK").
 * The default of the fake servers, whose models advertise tool support.
 */
export function withToolCalls(
  fallback: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): (req: IncomingMessage, res: ServerResponse, body: string) => void {
  const tools = toolModelHandler(() => 'tool-caller');
  return (req, res, body) => {
    let parsed: RequestBody = {};
    try {
      parsed = JSON.parse(body) as RequestBody;
    } catch {
      // not JSON: the fallback decides
    }
    if (requestedCommand(parsed) !== undefined) tools(req, res, body);
    else fallback(req, res, body);
  };
}

/**
 * A `responses` hook for fake-http servers (fake Ollama / LM Studio): `kindOf` picks the kind from
 * the requested model, so one server can play every kind.
 */
export function toolModelHandler(kindOf: (model: string) => ToolModelKind): (req: IncomingMessage, res: ServerResponse, body: string) => void {
  return (_req, res, body) => {
    let parsed: RequestBody = {};
    try {
      parsed = JSON.parse(body) as RequestBody;
    } catch {
      // an empty or broken body still gets an answer
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(encodeSse(toolModelEvents(kindOf(parsed.model ?? ''), parsed)));
  };
}
