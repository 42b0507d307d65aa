/**
 * Recovery of a run killed part-way (src/write/recover.ts): files already at their new text are
 * put back from the backup, but only when the backup copy is the text the journal recorded. The
 * copy is not fsynced, so after a power cut it may be short: then the file keeps its whole new
 * text instead of a torn old one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createBackup } from '../../../src/write/backup.js';
import { newJournal } from '../../../src/write/journal.js';
import { journalPath } from '../../../src/write/state-dir.js';
import { finishInterrupted } from '../../../src/write/recover.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

let dir: string;
let home: string;
const OLD_A = '# mine\nmodel = "a"\n';
const NEW_A = OLD_A + '\n[profiles.p]\nmodel = "m"\n';
const OLD_B = 'model = "b"\n';
const NEW_B = 'model = "b2"\n';

beforeEach(() => {
  dir = makeTempDir();
  home = path.join(dir, 'codex');
  fs.mkdirSync(home);
});
afterEach(() => removeDir(dir));

/** A run over two files killed after the first was replaced: the journal and backup on disk. */
async function killedAfterFirst(): Promise<{ a: string; b: string; backupId: string }> {
  const a = path.join(home, 'config.toml');
  const b = path.join(home, 'p.config.toml');
  fs.writeFileSync(a, OLD_A);
  fs.writeFileSync(b, OLD_B);
  const backupId = await createBackup(home, [
    { path: a, content: OLD_A },
    { path: b, content: OLD_B },
  ]);
  const j = newJournal(backupId, [
    { path: a, before: OLD_A, after: NEW_A },
    { path: b, before: OLD_B, after: NEW_B },
  ]);
  fs.writeFileSync(journalPath(home), JSON.stringify(j));
  fs.writeFileSync(a, NEW_A);
  return { a, b, backupId };
}

function backupCopyOf(backupId: string, name: string): string {
  const folder = path.join(path.dirname(journalPath(home)), 'backups', backupId);
  const copy = fs.readdirSync(folder).find((f) => f.endsWith(`-${name}`));
  if (!copy) throw new Error(`no backup copy of ${name} in ${folder}`);
  return path.join(folder, copy);
}

test('a run killed part-way is undone from its backup, and the journal removed', async () => {
  const { a, b } = await killedAfterFirst();
  const message = await finishInterrupted(home);
  expect(message).toMatch(/undone \(put back config\.toml/);
  expect(fs.readFileSync(a, 'utf8')).toBe(OLD_A);
  expect(fs.readFileSync(b, 'utf8')).toBe(OLD_B);
  expect(fs.existsSync(journalPath(home))).toBe(false);
});

test('a backup copy cut short (power cut before it reached the disk) is not put back: the file keeps its whole new text', async () => {
  const { a, backupId } = await killedAfterFirst();
  fs.writeFileSync(backupCopyOf(backupId, 'config.toml'), OLD_A.slice(0, 5));
  const message = await finishInterrupted(home);
  expect(fs.readFileSync(a, 'utf8')).toBe(NEW_A);
  expect(message).toContain(`its backup of ${a} does not match what was there`);
  expect(fs.existsSync(journalPath(home))).toBe(false);
});
