/**
 * runMigrate's conflict handling with a person present: the prompt is injected (the real one is
 * an @inquirer/prompts select), everything else is the command's own path. --dry-run keeps the
 * confirmation prompt out of the way; nothing here writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { runMigrate } from '../../../src/run/migrate.js';
import type { CommandContext } from '../../../src/context.js';
import type { Choice, MigrationConflict } from '../../../src/plan/migrate.js';
import { Output } from '../../../src/ui/output.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

let dir: string;
let home: string;
let stdout: string;
beforeEach(() => {
  dir = makeTempDir('cp-migrate-run-');
  home = path.join(dir, 'codex');
  fs.mkdirSync(home);
  fs.writeFileSync(path.join(home, 'config.toml'), 'model = "gpt-5"\n\n[profiles.p]\nmodel = "table"\n');
  fs.writeFileSync(path.join(home, 'p.config.toml'), 'model = "file"\n');
  stdout = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  jest.restoreAllMocks();
  removeDir(dir);
});

function ctx(): CommandContext {
  return {
    // A codex that does not exist: --to decides, detection finds nothing.
    opts: { codexHome: home, codexBin: path.join(dir, 'no-codex'), json: true, dryRun: true, yes: false, color: false },
    out: new Output(true),
    env: { PATH: '' },
  };
}

test('with a person present, each conflict is asked about, and the answer decides the plan', async () => {
  const asked: MigrationConflict[] = [];
  const code = await runMigrate(ctx(), { to: 'files' }, { interactive: true, ask: async (c) => (asked.push(c), 'table' as Choice) });
  expect(asked).toEqual([expect.objectContaining({ name: 'p', tableText: '[profiles.p]\nmodel = "table"\n', fileText: 'model = "file"\n' })]);
  expect(code).toBe(0);
  const out = JSON.parse(stdout);
  expect(out).toMatchObject({ ok: true, to: 'files', codex: null, dryRun: true, applied: false, conflicts: [] });
  expect(out.migrated).toEqual([expect.objectContaining({ name: 'p', action: 'replace' })]);
  expect(out.diff).toContain('-model = "file"\n+model = "table"');
  expect(fs.readFileSync(path.join(home, 'p.config.toml'), 'utf8')).toBe('model = "file"\n');
});

test('"leave both" is reported as left in place (exit 1)', async () => {
  const code = await runMigrate(ctx(), { to: 'files' }, { interactive: true, ask: async () => 'skip' });
  expect(code).toBe(1);
  const out = JSON.parse(stdout);
  expect(out).toMatchObject({ ok: false, migrated: [], conflicts: [], changed: [] });
  expect(out.left).toEqual([expect.objectContaining({ name: 'p', reason: 'conflict-skipped' })]);
});

test('nobody to ask: exit 2, both versions in the JSON, nothing planned', async () => {
  const ask = jest.fn(async (): Promise<Choice> => 'table');
  const code = await runMigrate(ctx(), { to: 'files' }, { interactive: false, ask });
  expect(ask).not.toHaveBeenCalled();
  expect(code).toBe(2);
  const out = JSON.parse(stdout);
  expect(out).toMatchObject({ ok: false, applied: false, changed: [], error: { exitCode: 2, hint: expect.stringContaining('--prefer table') } });
  expect(out.conflicts).toEqual([expect.objectContaining({ tableText: '[profiles.p]\nmodel = "table"\n', fileText: 'model = "file"\n' })]);
});

test('no --to and no codex: a usage error naming --to', async () => {
  await expect(runMigrate(ctx(), {}, { interactive: false })).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('--to files') });
});
