/** The `test` command's pieces: --timeout, syntax errors, the summary table and lines. */
import chalk from 'chalk';
import { eraLabel, finishedLine, parseTimeoutSeconds, renderSmokeReport, requireCodex, throwOnSyntaxErrors } from '../../../src/run/test.js';
import type { SmokeReport, SmokeResult } from '../../../src/verify/smoke.js';
import { CliError, EXIT_USAGE, UsageError } from '../../../src/errors.js';
import { FILE_CODEX, homeWith, OLD_CODEX, V2_CODEX } from './fixtures.js';

beforeAll(() => {
  chalk.level = 0; // the table is compared as plain text
});

test('parseTimeoutSeconds: a duration (bare number = seconds) to ms; default 120 s; nonsense is a usage error', () => {
  expect(parseTimeoutSeconds(undefined)).toBe(120_000);
  expect(parseTimeoutSeconds(2.5)).toBe(2500);
  expect(parseTimeoutSeconds('5')).toBe(5000);
  expect(parseTimeoutSeconds('500ms')).toBe(500);
  expect(parseTimeoutSeconds('2m')).toBe(120_000);
  for (const bad of [0, -1, Number.NaN, 3601, '61m', 'abc', '-5', [1, 2]]) expect(() => parseTimeoutSeconds(bad)).toThrow(UsageError);
});

test('throwOnSyntaxErrors: exit 2 naming file:line:col; requireCodex: exit 2 with the fix', async () => {
  const state = await homeWith({ 'config.toml': 'a = \n' });
  try {
    throwOnSyntaxErrors(state);
    throw new Error('did not throw');
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT_USAGE);
    expect((err as CliError).message).toMatch(/config\.toml:1:\d+: not valid TOML/);
  }
  expect(() => throwOnSyntaxErrors({ ...state, errors: [] })).not.toThrow();
  expect(() => requireCodex({ ...FILE_CODEX, found: false, warnings: ['codex was not found on PATH'] })).toThrow(/codex was not found/);
});

test("no codex: the error says why once, without the writers' layout guess; the fix is the hint", () => {
  const note = 'codex was not found on PATH; assuming the newest profile layout (NAME.config.toml). Install it (npm install -g @openai/codex), or pass --codex-bin /path/to/codex.';
  try {
    requireCodex({ ...FILE_CODEX, found: false, warnings: [note] });
    throw new Error('requireCodex did not throw');
  } catch (err) {
    expect((err as CliError).message).toBe('codex was not found on PATH.');
    expect((err as CliError).hint).toBe('Install it (npm install -g @openai/codex), or pass --codex-bin /path/to/codex.');
  }
  expect(() => requireCodex({ ...FILE_CODEX, found: false, warnings: ['--codex-bin /x/codex: no such file. Assuming the newest profile layout (NAME.config.toml).'] })).toThrow(/^--codex-bin \/x\/codex: no such file\.$/);
});

test('eraLabel per era', () => {
  expect(eraLabel(FILE_CODEX)).toBe('codex 0.169.0 (profile files)');
  expect(eraLabel(V2_CODEX)).toBe('codex 0.133.0 ([profiles.*] tables; files with --profile-v2)');
  expect(eraLabel(OLD_CODEX)).toBe('codex 0.121.0 ([profiles.*] tables)');
});

test('renderSmokeReport: a row per profile, reasons and fixes below, the summary; finishedLine', () => {
  const r = (x: Partial<SmokeResult>): SmokeResult => ({ name: 'x', hosted: false, status: 'pass', warnings: [], ...x });
  const report: SmokeReport = {
    ok: false,
    durationMs: 2345,
    summary: { pass: 1, fail: 1, skipped: 1, notRun: 1 },
    results: [
      r({ name: 'good', provider: 'ollama', model: 'qwen3:8b', answer: 'OK\n', durationMs: 612 }),
      r({ name: 'bad', provider: 'lms', model: 'm', status: 'fail', code: 'wrong_answer', message: 'the model answered "NOPE"', fix: 'try another', durationMs: 1000, warnings: ['no tools'] }),
      r({ name: 'gone', status: 'skipped', code: 'profile_not_found', message: 'no file' }),
      r({ name: 'cloud', provider: 'openai', status: 'not-run', code: 'hosted', message: 'hosted' }),
    ],
  };
  const text = renderSmokeReport(report);
  expect(text.split('\n').slice(0, 5)).toEqual([
    'PROFILE  PROVIDER  MODEL     RESULT   TIME   DETAIL',
    'good     ollama    qwen3:8b  pass     0.6 s  "OK"',
    'bad      lms       m         FAIL     1.0 s  wrong answer',
    'gone     -         -         SKIPPED  -      profile not found',
    'cloud    openai    -         not run  -      hosted',
  ]);
  expect(text).toContain('bad: the model answered "NOPE"\n  fix: try another\n  note: no tools');
  expect(text).toContain('gone: no file');
  expect(text.trimEnd().split('\n').pop()).toBe('1 passed, 1 failed, 1 skipped, 1 not run (hosted) in 2.3 s');
  expect(renderSmokeReport({ ...report, results: [] })).toBe('No profiles to test.');
  expect(finishedLine(report.results[1]!)).toBe('FAIL    bad (lms m) 1.0 s wrong answer');
  expect(finishedLine(report.results[0]!)).toBe('pass    good (ollama qwen3:8b) 0.6 s');
});

test('renderSmokeReport: one reason shared by several profiles is said once, naming them all; no internal codes', () => {
  const r = (x: Partial<SmokeResult>): SmokeResult => ({ name: 'x', hosted: false, status: 'skipped', warnings: [], ...x });
  const same = { code: 'legacy_profile', message: 'config.toml has a legacy `profile = "a"` line', fix: 'Run `codex-profiles migrate`' };
  const text = renderSmokeReport({ ok: false, durationMs: 10, summary: { pass: 0, fail: 0, skipped: 2, notRun: 0 }, results: [r({ name: 'a', ...same }), r({ name: 'b', ...same })] });
  expect(text.match(/legacy `profile = "a"` line/g)).toHaveLength(1);
  expect(text).toContain('a, b: config.toml has a legacy');
  expect(text).not.toContain('legacy_profile');
});
