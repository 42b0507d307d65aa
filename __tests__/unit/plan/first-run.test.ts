/** Issue 11 ("the README's first run"): the small pieces every command shares. */
import { CliError, UsageError } from '../../../src/errors.js';
import { FACT_SEVERITY, formatDuration, plural, refuseInvalidConfig } from '../../../src/diagnostics.js';
import { parseDiscoveryTimeout, parseRunTimeout } from '../../../src/duration.js';
import { layoutProblem } from '../../../src/plan/preflight.js';
import { resolveModel } from '../../../src/discover/discover.js';
import { judgeModel } from '../../../src/discover/hints.js';
import { writtenSummary } from '../../../src/ui/confirm.js';
import { FILE_CODEX, homeWith, model, OLD_CODEX, V2_CODEX } from '../checks/fixtures.js';

test('--timeout: 500ms, 30s, 2m; a bare number is seconds everywhere', () => {
  expect(parseRunTimeout('500ms')).toBe(500);
  expect(parseRunTimeout('30s')).toBe(30_000);
  expect(parseRunTimeout('2m')).toBe(120_000);
  expect(parseRunTimeout('45')).toBe(45_000);
  expect(parseDiscoveryTimeout('3')).toBe(3000);
  expect(parseDiscoveryTimeout('1.5s')).toBe(1500);
  expect(parseRunTimeout(undefined)).toBeUndefined();
  for (const bad of ['abc', '0', '-5', '5h', '', '2 hours']) expect(() => parseRunTimeout(bad)).toThrow(UsageError);
  expect(() => parseDiscoveryTimeout('2m')).toThrow(/up to 60 s/);
});

test('--timeout of setup/add/models: an old bare millisecond value (above 60) still means milliseconds', () => {
  expect(parseDiscoveryTimeout('3000')).toBe(3000);
  expect(parseDiscoveryTimeout('200')).toBe(200);
  expect(parseDiscoveryTimeout('60')).toBe(60_000);
  // test/audit/compare always meant seconds: no second reading there.
  expect(parseRunTimeout('300')).toBe(300_000);
});

test('model ids resolve as each server resolves them; the record carries the id the server lists', () => {
  const ollama = [model('ollama', 'qwen2.5-coder:latest'), model('ollama', 'gpt-oss:20b')];
  expect(resolveModel(ollama, 'ollama', 'qwen2.5-coder')?.id).toBe('qwen2.5-coder:latest');
  expect(resolveModel(ollama, 'ollama', 'gpt-oss:20b')?.id).toBe('gpt-oss:20b');
  expect(resolveModel(ollama, 'ollama', 'gpt-oss')).toBeUndefined(); // :latest only, never another tag
  expect(resolveModel(ollama, 'ollama', 'QWEN2.5-coder')).toBeUndefined(); // Ollama names are case-sensitive here
  const lms = [model('lmstudio', 'qwen/qwen3-coder-30b'), model('lmstudio', 'a/dup'), model('lmstudio', 'b/dup')];
  expect(resolveModel(lms, 'lmstudio', 'Qwen/Qwen3-Coder-30B')?.id).toBe('qwen/qwen3-coder-30b');
  expect(resolveModel(lms, 'lmstudio', 'qwen3-coder-30b')?.id).toBe('qwen/qwen3-coder-30b');
  expect(resolveModel(lms, 'lmstudio', 'dup')).toBeUndefined(); // two publishers: ambiguous
});

test('one severity per fact: no tools is an error for both providers, context a warning', () => {
  expect(FACT_SEVERITY.NO_TOOLS).toBe('error');
  for (const provider of ['ollama', 'lmstudio'] as const) {
    const hints = judgeModel(model(provider, 'm', { capabilities: { tools: false, completion: true }, contextLength: 4096 }));
    expect(hints.map((h) => `${h.level}:${h.code}`)).toEqual(['error:NO_TOOLS', 'warn:MODEL_CONTEXT_SMALL']);
  }
  const unloaded = judgeModel(model('ollama', 'm', { capabilities: { tools: true }, contextLength: 131072, runtimeContextLength: undefined }));
  expect(unloaded).toEqual([expect.objectContaining({ level: 'warn', code: 'CONTEXT_DEFAULT' })]);
  expect(unloaded[0]!.message.length).toBeLessThan(110); // shown once per model: short, no nested parentheses
  expect(unloaded[0]!.message).not.toMatch(/\([^)]*\(/);
});

test('--layout this codex does not read: tables under a files-era codex and files under <= 0.130 are refused; --profile-v2 codex: a warning', () => {
  expect(layoutProblem(FILE_CODEX, 'table')).toMatchObject({ refuse: true, text: expect.stringContaining('0.169.0 reads profile files') });
  expect(layoutProblem(OLD_CODEX, 'file')).toMatchObject({ refuse: true });
  expect(layoutProblem(V2_CODEX, 'file')).toMatchObject({ refuse: false, text: expect.stringContaining('--profile-v2') });
  expect(layoutProblem(FILE_CODEX, 'file')).toBeUndefined();
  expect(layoutProblem({ ...FILE_CODEX, found: false }, 'table')).toBeUndefined();
});

test('writing commands refuse an invalid config.toml with file:line:col (exit 2); an invalid other file does not stop them', async () => {
  const bad = await homeWith({ 'config.toml': 'a = \n' });
  expect(() => refuseInvalidConfig(bad)).toThrow(CliError);
  try {
    refuseInvalidConfig(bad);
  } catch (err) {
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toMatch(/config\.toml:1:\d+: not valid TOML/);
    expect((err as CliError).hint).toMatch(/Codex will not start/);
  }
  const other = await homeWith({ 'other.config.toml': 'a = \n' });
  expect(() => refuseInvalidConfig(other)).not.toThrow();
});

test('what was written, in words: created, changed, removed, with correct plurals; durations one format', () => {
  expect(writtenSummary([{ path: '/h/a.config.toml', before: 'x', after: null }])).toBe('Removed 1 file');
  expect(writtenSummary([{ path: '/h/a', before: null, after: 'x' }, { path: '/h/b', before: 'x', after: 'y' }, { path: '/h/c', before: 'x', after: 'z' }])).toBe('Created 1 file, changed 2 files');
  expect(plural(1, 'file')).toBe('1 file');
  expect(formatDuration(7100)).toBe('7.1 s');
  expect(formatDuration(125_000)).toBe('2 min 5 s');
});

test('codex missing: the message does not repeat the fix that follows it on its own line', async () => {
  const { codexMissing, CODEX_INSTALL_FIX } = await import('../../../src/diagnostics.js');
  const d = codexMissing(`codex was not found on PATH; assuming the newest profile layout (NAME.config.toml). ${CODEX_INSTALL_FIX}`);
  expect(d.message).toBe('codex was not found on PATH; assuming the newest profile layout (NAME.config.toml).');
  expect(d.fix).toBe(CODEX_INSTALL_FIX);
});
