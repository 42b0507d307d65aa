import fs from 'node:fs';
import path from 'node:path';
import { classifyFailure, parseHeader, type FailureInput } from '../../../src/codex/failures.js';
import { REPO_ROOT } from '../../helpers/cli.js';

/** stderr captured from the real binaries; see __tests__/fixtures/codex/README.md. */
const STDERR = path.join(REPO_ROOT, '__tests__', 'fixtures', 'codex', 'stderr');
const captured = (name: string) => fs.readFileSync(path.join(STDERR, `${name}.stderr.txt`), 'utf8');

function classify(name: string, extra: Partial<FailureInput> = {}) {
  return classifyFailure({ stderr: captured(name), exitCode: 1, timedOut: false, ...extra });
}

describe('parseHeader', () => {
  test.each(['0.131', '0.133', '0.169'])('reads the header codex %s prints', (v) => {
    const header = parseHeader(captured(`ok-${v}`));
    expect(header).toEqual({ version: `${v}.0`, workdir: expect.stringMatching(/\/cwd$/), model: 'fake-model', provider: 'fake' });
  });

  test('the 0.169 silent fallback shows the base provider, not the profile', () => {
    expect(parseHeader(captured('profile-fallback-0.169'))).toMatchObject({ model: 'decoy-model', provider: 'decoy' });
  });

  test('only the header block counts, not a prompt that contains "model:" lines', () => {
    const stderr = captured('ok-0.169').replace('user\nReply with exactly OK', 'user\nmodel: evil\nprovider: evil');
    expect(parseHeader(stderr)).toMatchObject({ model: 'fake-model', provider: 'fake' });
  });

  test('no header (codex failed before the turn)', () => {
    expect(parseHeader(captured('legacy-table-0.169'))).toEqual({});
  });
});

describe('classifyFailure on captured stderr', () => {
  test('>= 0.134: -p NAME while config.toml has [profiles.NAME] (legacy table)', () => {
    const text = captured('legacy-table-0.169');
    const f = classify('legacy-table-0.169');
    expect(f.code).toBe('legacy_profile');
    // The message is codex's own sentence (as domain.md quotes it).
    expect(f.message).toMatch(
      /^--profile `local` cannot be used while \/tmp\/\S+\/home\/config\.toml contains legacy `profile = "local"` or `\[profiles\.local\]` config; move those settings into \/tmp\/\S+\/home\/local\.config\.toml and remove the legacy profile selector\/table\./,
    );
    expect(text).toContain(f.message);
    expect(f.fix).toMatch(/Move the keys of \[profiles\.local\] to the top level of \/tmp\/\S+\/home\/local\.config\.toml/);
  });

  test('>= 0.134: a top-level profile = "NAME" selector with -p NAME gives the same error', () => {
    expect(classify('legacy-selector-0.169').code).toBe('legacy_profile');
  });

  test('>= 0.134: a top-level profile = "NAME" selector breaks every run, even without -p', () => {
    const f = classify('legacy-selector-no-p-0.169');
    expect(f.code).toBe('legacy_profile');
    expect(f.message).toBe('legacy `profile = "local"` config is no longer supported; use `--profile local` with `local.config.toml` instead');
    expect(f.fix).toMatch(/Delete the line `profile = "local"`/);
  });

  test.each(['0.131', '0.133'])('%s: -p NAME without a [profiles.NAME] table', (v) => {
    const f = classify(`profile-not-found-${v}`);
    expect(f.code).toBe('profile_not_found');
    expect(f.message).toBe('Codex has no profile `nosuch`: config.toml has no [profiles.nosuch] table.');
  });

  test('0.121 wording (domain.md) is the same sentence', () => {
    const f = classifyFailure({ stderr: 'Error: config profile `nosuch` not found\n', exitCode: 1, timedOut: false });
    expect(f.code).toBe('profile_not_found');
  });

  test('>= 0.134: a profile name that is not plain', () => {
    const f = classify('invalid-profile-name-0.169', { exitCode: 2 });
    expect(f.code).toBe('invalid_profile_name');
    expect(f.message).toBe('`a:b` is not a valid profile name for this Codex.');
  });

  test('>= 0.134: --profile-v2 is an unknown argument', () => {
    const f = classify('unknown-flag-profile-v2-0.169', { exitCode: 2 });
    expect(f.code).toBe('unsupported_flag');
    expect(f.message).toBe('This codex does not accept --profile-v2.');
  });

  test('provider down, 0.131/0.133 (no retries): "error sending request for url"', () => {
    for (const v of ['0.131', '0.133']) {
      const f = classify(`refused-noretry-${v}`);
      expect(f.code).toBe('provider_down');
      expect(f.message).toBe('Nothing answers for provider `fake` at http://127.0.0.1:41999/v1: the server is not running or the base_url is wrong.');
      expect(f.fix).toMatch(/ollama serve.*lms server start/);
    }
  });

  test('provider down, 0.131 with the default 5 retries', () => {
    expect(captured('refused-default-0.131')).toContain('ERROR: Reconnecting... 5/5');
    expect(classify('refused-default-0.131').code).toBe('provider_down');
  });

  test('provider down, 0.169: it never exits ("waiting for network"); our timeout stops it', () => {
    const f = classify('refused-0.169', { exitCode: null, timedOut: true, timeoutMs: 6000 });
    expect(f.code).toBe('provider_down');
    expect(f.message).toMatch(/^Nothing answers for provider `fake`: /);
  });

  test.each(['0.131', '0.169'])('model missing (Ollama 404 body), %s', (v) => {
    const f = classify(`model-missing-ollama-${v}`);
    expect(f.code).toBe('model_missing');
    expect(f.message).toBe('The server does not have `fake-model`: unexpected status 404 Not Found: model "fake-model" not found, try pulling it first');
    expect(f.fix).toMatch(/`ollama pull fake-model`/);
  });

  test('model missing after the default retries (0.133)', () => {
    expect(classify('model-missing-ollama-default-0.133').code).toBe('model_missing');
  });

  test('model missing (LM Studio "No models loaded", code model_not_found)', () => {
    const f = classify('model-missing-lmstudio-0.169');
    expect(f.code).toBe('model_missing');
    expect(f.message).toMatch(/No models loaded\. Please load a model/);
    expect(f.fix).toMatch(/lms load fake-model/);
  });

  test('the 0.169 warning "Model metadata for `X` not found" is not a missing model', () => {
    const stderr = captured('ok-0.169');
    expect(stderr).toContain('warning: Model metadata for `fake-model` not found.');
    const f = classifyFailure({ stderr, exitCode: 1, timedOut: false });
    expect(f.code).toBe('unknown');
  });

  test('--oss with Ollama older than 0.13.4', () => {
    for (const v of ['0.133', '0.169']) {
      const f = classify(`ollama-too-old-${v}`);
      expect(f.code).toBe('ollama_too_old');
      expect(f.message).toBe('Ollama 0.12.0 is too old: Codex requires Ollama 0.13.4 or newer.');
    }
  });

  test('a server without /v1/responses (Go "404 page not found", LM Studio "Unexpected endpoint")', () => {
    expect(classify('endpoint-404-0.169').code).toBe('server_too_old');
    const lms = classifyFailure({
      stderr: 'ERROR: {"error":"Unexpected endpoint or method. (POST /v1/responses)"}\n',
      exitCode: 1,
      timedOut: false,
    });
    expect(lms.code).toBe('server_too_old');
    expect(lms.fix).toMatch(/Ollama 0\.13\.4 or newer, LM Studio 0\.3\.29 or newer/);
  });

  test('LM Studio answering 200 with a JSON error instead of a stream', () => {
    const f = classify('endpoint-lmstudio-old-0.169');
    expect(f.code).toBe('bad_stream');
    expect(f.message).toMatch(/stream closed before response\.completed/);
  });

  test.each(['0.131', '0.169'])('no tool support (Ollama 400), %s', (v) => {
    const f = classify(`no-tools-${v}`);
    expect(f.code).toBe('no_tool_support');
    expect(f.message).toMatch(/registry\.ollama\.ai\/library\/gemma3:1b does not support tools/);
  });

  test.each(['0.131', '0.169'])('context too small (response.failed context_length_exceeded), %s', (v) => {
    const f = classify(`context-exceeded-${v}`);
    expect(f.code).toBe('context_too_small');
    expect(f.message).toMatch(/ran out of room in the model's context window/);
    expect(f.fix).toMatch(/OLLAMA_CONTEXT_LENGTH/);
  });

  test('context too small (LM Studio 400 n_keep >= n_ctx)', () => {
    const f = classify('context-lmstudio-0.169');
    expect(f.code).toBe('context_too_small');
    expect(f.message).toMatch(/n_keep: 13055>= n_ctx: 4096/);
  });

  test('HTTP 401 and 5xx', () => {
    const unauthorized = classify('http-401-0.131');
    expect(unauthorized.code).toBe('unauthorized');
    expect(unauthorized.message).toBe('provider `fake` refused the request (HTTP 401): unexpected status 401 Unauthorized: Invalid API key');
    const server = classify('http-500-0.169');
    expect(server.code).toBe('server_error');
    expect(server.message).toMatch(/experiencing high demand/);
  });

  test('configuration errors: wire_api = "chat", a redefined built-in provider id', () => {
    const chat = classify('wire-api-chat-0.133');
    expect(chat.code).toBe('config_error');
    expect(chat.message).toMatch(/`wire_api = "chat"` is no longer supported\. \(How to fix: .* in `model_providers\.chatty\.wire_api`\)/);
    expect(chat.fix).toMatch(/wire_api = "responses"/);
    const reserved = classify('reserved-id-0.169');
    expect(reserved.code).toBe('config_error');
    expect(reserved.message).toMatch(/reserved built-in provider IDs: `ollama`/);
    expect(reserved.fix).toMatch(/ollama-local/);
  });

  test('exit 0 with no answer ("no last agent message")', () => {
    const f = classify('empty-answer-0.169', { exitCode: 0, finalMessage: '' });
    expect(f.code).toBe('empty_answer');
    expect(f.message).toBe('`fake-model` answered with no text (codex: "no last agent message").');
  });

  test('a timeout while codex was retrying', () => {
    const partial = captured('model-missing-ollama-default-0.133').split('ERROR: Reconnecting... 3/5')[0] + 'ERROR: Reconnecting... 3/5\n';
    const f = classifyFailure({ stderr: partial, exitCode: null, timedOut: true, timeoutMs: 2500 });
    expect(f.code).toBe('timeout');
    expect(f.message).toBe('codex did not finish within 2.5 s (it was retrying the request); it was stopped.');
  });

  test('a plain timeout, an abort, a spawn error, something unknown', () => {
    const header = captured('ok-0.131').split('codex\nOK')[0] ?? '';
    expect(classifyFailure({ stderr: header, exitCode: null, timedOut: true, timeoutMs: 4000 }).message).toBe(
      'codex did not finish within 4 s; it was stopped.',
    );
    expect(classifyFailure({ stderr: header, exitCode: null, timedOut: false, aborted: true }).code).toBe('aborted');
    expect(
      classifyFailure({ stderr: '', exitCode: null, timedOut: false, spawnError: { code: 'ENOENT', message: 'spawn codex ENOENT' } }),
    ).toMatchObject({ code: 'spawn_failed', message: 'Could not start codex: spawn codex ENOENT' });
    expect(classifyFailure({ stderr: 'ERROR: something new\n', exitCode: 1, timedOut: false })).toEqual({
      code: 'unknown',
      message: 'codex failed (exit code 1): something new',
    });
  });

  test('the echoed prompt cannot trigger a pattern', () => {
    const stderr = captured('http-500-0.169').replace(
      'user\nReply with exactly OK',
      'user\nsay "does not support tools" and "error sending request for url (x)"',
    );
    expect(classifyFailure({ stderr, exitCode: 1, timedOut: false }).code).toBe('server_error');
  });
});

describe('advice fits where the prompt went (issue 11)', () => {
  const header = captured('ok-0.169').split('\nuser\n')[0]!;

  test('a hosted timeout points at login, network and the service, not at a cold local model', () => {
    const local = classifyFailure({ stderr: header, exitCode: null, timedOut: true, timeoutMs: 4000 });
    const hosted = classifyFailure({ stderr: header, exitCode: null, timedOut: true, timeoutMs: 4000, hosted: true });
    expect(local.fix).toMatch(/cold model/);
    expect(hosted.code).toBe('timeout');
    expect(hosted.fix).not.toMatch(/cold model|server log/);
    expect(hosted.fix).toMatch(/codex login/);
    expect(hosted.fix).toMatch(/network/);
    expect(hosted.fix).toMatch(/status/);
  });

  test('hosted: HTTP 401 says codex login, a 5xx the service status, no `ollama serve`', () => {
    expect(classify('http-401-0.131', { hosted: true }).fix).toMatch(/codex login/);
    expect(classify('http-401-0.131').fix).toMatch(/Local servers need no key/);
    const down = classify('refused-0.169', { exitCode: null, timedOut: true, timeoutMs: 6000, hosted: true });
    expect(down.fix).not.toMatch(/ollama serve|lms server/);
    expect(down.fix).toMatch(/network/);
    expect(classify('http-500-0.169', { hosted: true }).fix).toMatch(/status page/);
  });
});
