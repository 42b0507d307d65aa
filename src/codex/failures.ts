/**
 * Turns what `codex exec` printed into a failure a person can act on. Every pattern here was
 * captured from the real binaries (0.131, 0.133, 0.169) against fake servers, except where a
 * comment says it comes from domain.md or from the servers' public issue trackers; the captured
 * texts are the fixtures of __tests__/unit/codex/failures.test.ts. See docs/codex-eras.md.
 */
import type { Diagnostic } from '../diagnostic.js';
import { SERVER_KIND_IDS, serverKind } from '../discover/registry.js';
import { shellWord } from '../system/shell-word.js';

export type FailureCode =
  | 'spawn_failed'
  | 'aborted'
  | 'legacy_profile'
  | 'profile_not_found'
  | 'invalid_profile_name'
  | 'unsupported_flag'
  | 'config_error'
  | 'ollama_too_old'
  | 'server_too_old'
  | 'no_tool_support'
  | 'context_too_small'
  | 'model_missing'
  | 'provider_down'
  | 'unauthorized'
  | 'server_error'
  | 'bad_stream'
  | 'timeout'
  | 'empty_answer'
  | 'unknown';

/** A codex failure: the one diagnostic shape (src/diagnostic.ts); always an error, so no severity yet. */
export interface ExecFailure extends Omit<Diagnostic, 'code' | 'severity'> {
  code: FailureCode;
}

export interface CodexHeader {
  version?: string;
  workdir?: string;
  model?: string;
  provider?: string;
}

/**
 * The block codex prints on stderr before the turn:
 * `OpenAI Codex v0.169.0` / `--------` / `workdir: ...` / `model: ...` / `provider: ...` / ...
 */
export function parseHeader(stderr: string): CodexHeader {
  const lines = stderr.split(/\r?\n/);
  const start = lines.findIndex((l) => /^OpenAI Codex v/.test(l));
  const header: CodexHeader = {};
  if (start < 0) return header;
  header.version = /^OpenAI Codex v(\S+)/.exec(lines[start] ?? '')?.[1];
  let dashes = 0;
  for (let i = start + 1; i < lines.length && dashes < 2; i++) {
    const line = lines[i] ?? '';
    if (/^-{4,}\s*$/.test(line)) {
      dashes++;
      continue;
    }
    const m = /^(workdir|model|provider):\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined && header[m[1] as keyof CodexHeader] === undefined) {
      header[m[1] as 'workdir' | 'model' | 'provider'] = m[2];
    }
  }
  return header;
}

export interface FailureInput {
  stderr: string;
  stdout?: string;
  exitCode: number | null;
  timedOut: boolean;
  aborted?: boolean;
  timeoutMs?: number;
  /** What `-o` produced: undefined if codex wrote no file. */
  finalMessage?: string;
  profile?: string;
  spawnError?: { code?: string; message: string };
  /**
   * The provider URL, when a connection to it was refused after codex timed out: how long codex
   * takes to print "Reconnecting..." (0.169+ never exits) depends on the machine's load; a
   * refused connection does not.
   */
  refusedUrl?: string;
  /** The profile's prompts leave this machine (a hosted service, or a server elsewhere). */
  hosted?: boolean;
}

/**
 * Only codex's own diagnostics, so that the echoed prompt cannot match a pattern:
 * `ERROR: ...`, `Error: ...`, `Error loading config.toml: ...`, `error: ...` (clap), `Warning:`,
 * `warning:` and tracing lines (`2026-...Z ERROR codex_api::...`).
 */
function diagnostics(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .filter((l) => /^(ERROR|Error|error|Warning|warning)\b/.test(l) || /^\S+Z\s+(ERROR|WARN)\s/.test(l));
}

function firstMatch(lines: string[], re: RegExp): RegExpExecArray | undefined {
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return m;
  }
  return undefined;
}

/** `ERROR: {"error":{"message":"..."}}` -> the message inside, else the text itself. */
function errorText(line: string): string {
  const body = line.replace(/^(ERROR|Error|error):\s*/, '').trim();
  if (body.startsWith('{')) {
    try {
      const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
      const err = parsed.error;
      if (typeof err === 'string') return err;
      if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') {
        return (err as { message: string }).message;
      }
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      /* not JSON after all */
    }
  }
  return body;
}

function lastError(lines: string[]): string | undefined {
  const errors = lines.filter((l) => /^(ERROR|Error|error)\b/.test(l) && !/Reconnecting\.\.\./.test(l));
  const last = errors[errors.length - 1];
  return last === undefined ? undefined : errorText(last);
}

/** How to start each server kind that has a default port, from the registry: `Ollama: \`ollama serve\` (port 11434); ...`. */
const SERVER_HINT = SERVER_KIND_IDS.map(serverKind)
  .filter((k) => k.defaultPort !== undefined)
  .map((k) => `${k.displayName}: ${/`[^`]+`/.exec(k.fixes.start)?.[0] ?? k.fixes.start} (port ${k.defaultPort})`)
  .join('; ');

const HOSTED_CHECKS = 'sign in with `codex login` (or set the env_key the provider table names), check the network, and the service\'s status page';

/**
 * The advice for a failure depends on where the prompt went: a cold model, `ollama serve` or a
 * server log make sense for this machine only. For a hosted profile the causes are a login, the
 * network, or the service itself.
 */
function hostedAdvice(f: ExecFailure, input: FailureInput): ExecFailure {
  switch (f.code) {
    case 'timeout':
      return { ...f, fix: `The hosted service did not answer in time: ${HOSTED_CHECKS}; then try again (a longer --timeout only helps a slow service).` };
    case 'provider_down':
      return { ...f, message: f.message.replace(': the server is not running or the base_url is wrong.', ': the service cannot be reached.'), fix: 'Check the network (proxy, VPN, firewall) and the service\'s status page; for a custom provider, its base_url.' };
    case 'unauthorized':
      return { ...f, fix: 'Sign in with `codex login` (openai), or export the API key the provider table\'s env_key names.' };
    case 'server_error':
    case 'bad_stream':
      return { ...f, fix: 'The hosted service failed: check its status page and try again later.' };
    case 'model_missing':
      return { ...f, fix: 'Check the model name against what the service offers, and that your account has access to it.' };
    case 'unknown':
      return input.exitCode === null ? f : { ...f, fix: `If it persists: ${HOSTED_CHECKS}.` };
    default:
      return f;
  }
}

/** Classifies a failed run. Call it only for runs that did not produce an answer. */
export function classifyFailure(input: FailureInput): ExecFailure {
  const failure = classifyLocalFailure(input);
  return input.hosted ? hostedAdvice(failure, input) : failure;
}

function classifyLocalFailure(input: FailureInput): ExecFailure {
  const { stderr } = input;
  const lines = diagnostics(stderr);
  // Errors only: the 0.169 warning "Model metadata for `X` not found" must not look like a missing model.
  const errors = lines.filter((l) => !/^(Warning|warning)\b/.test(l));
  const header = parseHeader(stderr);
  const model = header.model ? `\`${header.model}\`` : 'the model';
  const provider = header.provider ? `provider \`${header.provider}\`` : 'the provider';

  if (input.spawnError) {
    return {
      code: 'spawn_failed',
      message: `Could not start codex: ${input.spawnError.message}`,
      fix: 'Check that codex is installed (npm install -g @openai/codex) or pass --codex-bin.',
    };
  }

  // >= 0.134 with -p NAME while config.toml still has [profiles.NAME] or profile = "NAME" (seen, 0.169).
  let m = firstMatch(errors, /--profile `([^`]+)` cannot be used while (.+?) contains legacy .*?move those settings into (\S+)/);
  if (m) {
    const [, name, configPath, target] = m;
    return {
      code: 'legacy_profile',
      message: (m.input ?? '').replace(/^Error loading config\.toml:\s*/, ''),
      fix:
        `Move the keys of [profiles.${name}] to the top level of ${target} and delete the [profiles.${name}] ` +
        `table (and any \`profile = "${name}"\` line) from ${configPath}. This Codex reads only the file.`,
    };
  }
  // >= 0.134: a top-level profile = "NAME" selector breaks every run (seen, 0.169).
  m = firstMatch(errors, /legacy `profile = "([^"]+)"` config is no longer supported/);
  if (m) {
    const name = m[1] ?? 'NAME';
    return {
      code: 'legacy_profile',
      message: errorText(m.input ?? ''),
      fix:
        `Delete the line \`profile = "${name}"\` from config.toml, move the profile's settings into ` +
        `${name}.config.toml, and select it with \`codex -p ${name}\`.`,
    };
  }
  // <= 0.133 (and 0.121, domain.md): -p NAME without a [profiles.NAME] table (seen, 0.131/0.133).
  m = firstMatch(errors, /config profile `([^`]+)` not found/);
  if (m) {
    const name = m[1] ?? input.profile ?? 'NAME';
    return {
      code: 'profile_not_found',
      message: `Codex has no profile \`${name}\`: config.toml has no [profiles.${name}] table.`,
      fix: `Create the profile first (this Codex reads [profiles.${name}] in config.toml), or check the name.`,
    };
  }
  // >= 0.134 rejects names that are not plain (seen, 0.169).
  m = firstMatch(errors, /invalid --profile value `([^`]*)`/);
  if (m) {
    return {
      code: 'invalid_profile_name',
      message: `\`${m[1]}\` is not a valid profile name for this Codex.`,
      fix: 'Use letters, digits, `-` and `_` only (a model id such as `gpt-oss:20b` is not a profile name).',
    };
  }
  m = firstMatch(errors, /unexpected argument '([^']+)' found/);
  if (m) {
    return {
      code: 'unsupported_flag',
      message: `This codex does not accept ${m[1]}.`,
      fix: 'Update codex, or report this: codex-profiles passed a flag this version does not know.',
    };
  }
  // --oss against an old Ollama (seen, 0.133/0.169; domain.md).
  m = firstMatch(errors, /Ollama (\S+) is too old\. Codex requires Ollama (\S+) or newer/);
  if (m) {
    return {
      code: 'ollama_too_old',
      message: `Ollama ${m[1]} is too old: Codex requires Ollama ${m[2]} or newer.`,
      fix: 'Update Ollama (https://ollama.com/download), then run the check again.',
    };
  }
  m = firstMatch(errors, /^Error loading config\.toml:\s*(.*)$/);
  if (m) {
    const more = stderr
      .split(/\r?\n/)
      .filter((l) => /^(How to fix:|in `)/.test(l))
      .join(' ');
    let fix = 'Fix config.toml (or the profile file) as the message says.';
    if (/wire_api = "chat"/.test(m[1] ?? '')) fix = 'Set `wire_api = "responses"` in that [model_providers.*] table.';
    if (/reserved built-in provider IDs/.test(m[1] ?? '')) {
      fix = 'Rename the table, e.g. [model_providers.ollama-local], and point `model_provider` at the new id.';
    }
    return { code: 'config_error', message: `Codex rejected its configuration: ${m[1]}${more ? ` (${more})` : ''}`, fix };
  }

  // Server answers (all seen with the real binaries against fakes returning the servers' bodies).
  // Ollama: 400 {"error":{"message":"X does not support tools",...}} (body from ollama issues).
  m = firstMatch(errors, /does not support tools/);
  if (m) {
    return {
      code: 'no_tool_support',
      message: `${model} cannot call tools (${errorText(m.input ?? '')}), and Codex needs tool calls to work.`,
      fix: 'Pick a model with tool support (`ollama show MODEL` lists "tools" under Capabilities; LM Studio marks it "tool use").',
    };
  }
  // Codex's own message for context_length_exceeded (seen); LM Studio's 400 texts (from its issue tracker).
  m = firstMatch(
    errors,
    /ran out of room in the model's context window|greater than the context length|context length of only|exceeds the available context size|context_length_exceeded|maximum context length/i,
  );
  if (m) {
    return {
      code: 'context_too_small',
      message: `${model} ran out of context: Codex's instructions alone need more than the server gives it (${errorText(m.input ?? '')})`,
      fix:
        'Give the model a larger context: Ollama `OLLAMA_CONTEXT_LENGTH=65536 ollama serve` (or num_ctx); ' +
        'LM Studio: load it with a context length above ~25k (`lms load MODEL --context-length 32768`).',
    };
  }
  // Old servers without /v1/responses: Go's "404 page not found" (Ollama < 0.13.3), LM Studio < 0.3.29.
  m = firstMatch(errors, /unexpected status 404[^:]*: 404 page not found|Unexpected endpoint or method/);
  if (m) {
    return {
      code: 'server_too_old',
      message: `The server has no /v1/responses endpoint (${errorText(m.input ?? '')}).`,
      fix: 'Update the server: Ollama 0.13.4 or newer, LM Studio 0.3.29 or newer.',
    };
  }
  m = firstMatch(
    errors,
    /model "([^"]+)" not found|No models loaded|model_not_found|unexpected status 404 Not Found: .*not found|Cannot find model/i,
  );
  if (m) {
    return {
      code: 'model_missing',
      message: `The server does not have ${model}: ${errorText(m.input ?? '').replace(/, url: \S+$/, '')}`,
      fix: header.model
        ? `Download or load it: \`ollama pull ${shellWord(header.model)}\` (Ollama) or \`lms get ${shellWord(header.model)}\` / \`lms load ${shellWord(header.model)}\` (LM Studio), or fix \`model\` in the profile.`
        : 'Download or load the model (`ollama pull MODEL`, `lms load MODEL`), or fix `model` in the profile.',
    };
  }
  // Connection refused: 0.131/0.133 give up with "error sending request for url (URL)"; 0.169
  // keeps printing "Reconnecting... waiting for network" and never exits (seen).
  m = firstMatch(errors, /error sending request for url \(([^)]+)\)|Reconnecting\.\.\. waiting for network|[Cc]onnection refused/);
  if (m) {
    const url = m[1] ? ` at ${m[1].replace(/\/responses$/, '')}` : '';
    return {
      code: 'provider_down',
      message: `Nothing answers for ${provider}${url}: the server is not running or the base_url is wrong.`,
      fix: `Start the server (${SERVER_HINT}) and check base_url in the profile's [model_providers.*] table.`,
    };
  }
  m = firstMatch(errors, /unexpected status (401|403)\b/);
  if (m) {
    return {
      code: 'unauthorized',
      message: `${provider} refused the request (HTTP ${m[1]}): ${errorText(m.input ?? '').replace(/, url: \S+$/, '')}`,
      fix: 'Local servers need no key; if this one does, set `env_key` in the provider table and export that variable.',
    };
  }
  // Codex shows any HTTP 5xx as "We're currently experiencing high demand" (seen, 0.131-0.169).
  m = firstMatch(errors, /experiencing high demand|unexpected status 5\d\d/);
  if (m) {
    return {
      code: 'server_error',
      message: `${provider} failed with a server error (HTTP 5xx; codex says: "${errorText(m.input ?? '')}").`,
      fix: 'Look at the server log (Ollama: `ollama serve` output; LM Studio: Developer tab); the model may have crashed or not fit in memory.',
    };
  }
  m = firstMatch(errors, /stream closed before response\.completed|stream disconnected before completion/);
  if (m) {
    return {
      code: 'bad_stream',
      message: `${provider} did not send a complete Responses stream (${errorText(m.input ?? '')}).`,
      fix: 'Check that base_url points at an OpenAI-compatible /v1 with /responses support (Ollama 0.13.4+, LM Studio 0.3.29+).',
    };
  }

  if (input.aborted) {
    return { code: 'aborted', message: 'The codex run was cancelled.' };
  }
  if (input.timedOut && input.refusedUrl !== undefined) {
    return {
      code: 'provider_down',
      message: `Nothing answers for ${provider} at ${input.refusedUrl} (connection refused): the server is not running or the base_url is wrong.`,
      fix: `Start the server (${SERVER_HINT}) and check base_url in the profile's [model_providers.*] table.`,
    };
  }
  if (input.timedOut) {
    const retrying = errors.some((l) => /Reconnecting\.\.\./.test(l));
    const secs = input.timeoutMs !== undefined ? ` within ${Math.round(input.timeoutMs / 100) / 10} s` : '';
    return {
      code: 'timeout',
      message: `codex did not finish${secs}${retrying ? ' (it was retrying the request)' : ''}; it was stopped.`,
      fix: 'A cold model can take a while to load: try again with a longer --timeout, or check the server log.',
    };
  }
  if (input.exitCode === 0 && (input.finalMessage === undefined || input.finalMessage.trim() === '')) {
    return {
      code: 'empty_answer',
      message: `${model} answered with no text${lines.some((l) => /no last agent message/.test(l)) ? ' (codex: "no last agent message")' : ''}.`,
      fix: 'The model may not follow the Responses format; try another model or update the server.',
    };
  }
  const last = lastError(errors);
  return {
    code: 'unknown',
    message: last
      ? `codex failed (exit code ${input.exitCode ?? 'none'}): ${last}`
      : `codex failed with exit code ${input.exitCode ?? 'none'} and no error message.`,
  };
}
