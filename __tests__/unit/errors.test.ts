import fs from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { ConfigError, ERROR_CODES, UsageError } from '../../src/errors.js';
import { reportError } from '../../src/report-error.js';
import { REPO_ROOT } from '../helpers/cli.js';

test('every error code is documented in docs/errors.md, and nothing else is', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `([A-Za-z_]+)` \|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual([...ERROR_CODES].sort());
});

describe('reportError --json', () => {
  const written: string[] = [];
  let spy: ReturnType<typeof jest.spyOn>;
  beforeEach(() => {
    written.length = 0;
    spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => (written.push(chunk), true)) as never);
  });
  afterEach(() => spy.mockRestore());

  test('a CliError keeps its code, message, hint and exit code', () => {
    expect(reportError(new ConfigError('held', 'wait', 'LOCKED'), ['--json'])).toBe(2);
    expect(JSON.parse(written.join(''))).toEqual({ ok: false, error: { code: 'LOCKED', message: 'held', hint: 'wait', exitCode: 2 } });
  });

  test('defaults: UsageError is USAGE; an unexpected Error is INTERNAL with exit 2; no hint is null', () => {
    reportError(new UsageError('bad flag'), ['--json']);
    reportError(new TypeError('x is undefined'), ['--json']);
    const [usage, internal] = written.map((w) => JSON.parse(w));
    expect(usage.error).toEqual({ code: 'USAGE', message: 'bad flag', hint: null, exitCode: 2 });
    expect(internal.error).toEqual({ code: 'INTERNAL', message: 'x is undefined', hint: null, exitCode: 2 });
  });
});
