import fs from 'node:fs/promises';
import path from 'node:path';
import { putFile } from './atomic-write.js';
import { backupContents } from './backup.js';
import { digest, hasJournal, readJournal } from './journal.js';
import { journalPath, stateDir } from './state-dir.js';
import { acquireLock } from './lock.js';
import { readRegularFile } from './read-file.js';

async function textOrNull(file: string): Promise<string | null> {
  const bytes = await readRegularFile(file);
  return bytes === null ? null : bytes.toString('utf8');
}

/**
 * Finishes or undoes a run that was killed part-way (its journal is still there). The caller
 * holds the lock. Every file already at its new text: the run is complete. Otherwise every file
 * the run changed is put back from its backup, so the user sees all of it or none of it; a file
 * changed since by someone else is left alone and named. Returns what was done, for the user.
 */
export async function finishInterrupted(codexHome: string): Promise<string | undefined> {
  const j = await readJournal(codexHome);
  if (!j) return undefined;
  const who = `an earlier codex-profiles ${j.command} run${j.pid ? ` (pid ${j.pid})` : ''}`;
  if (!j.backupId || j.files.length === 0) {
    await fs.rm(journalPath(codexHome), { force: true });
    return undefined;
  }
  const now = await Promise.all(j.files.map(async (f) => digest(await textOrNull(f.path))));
  let message: string;
  if (j.files.every((f, i) => now[i] === f.after)) {
    message = `${who} was interrupted after writing all ${j.files.length} file(s); it is complete.`;
  } else {
    let saved: Map<string, string | null>;
    try {
      saved = new Map((await backupContents(codexHome, j.backupId)).map((f) => [f.path, f.content]));
    } catch (err) {
      return `${who} was interrupted part-way and could not be undone (${(err as Error).message}); see \`codex-profiles restore --list\`.`;
    }
    const put: string[] = [];
    const left: string[] = [];
    const unsure: string[] = [];
    for (const [i, f] of j.files.entries()) {
      if (now[i] === f.before) continue;
      if (now[i] === f.after && saved.has(f.path)) {
        // The backup copy is not fsynced (the journal is): after a power cut it may be short.
        // Put it back only when it is the text the journal says was there; otherwise the file
        // keeps its complete new text, which is whole, rather than a torn old one.
        if (digest(saved.get(f.path)!) !== f.before) {
          unsure.push(f.path);
          continue;
        }
        await putFile(f.path, saved.get(f.path)!);
        put.push(path.basename(f.path));
      } else left.push(f.path);
    }
    message =
      `${who} was interrupted part-way; it was undone (${put.length ? `put back ${put.join(', ')}` : 'nothing had changed yet'}, backup ${j.backupId})` +
      (left.length ? `; changed since by someone else, left as they are: ${left.join(', ')}` : '') +
      (unsure.length ? `; its backup of ${unsure.join(', ')} does not match what was there (cut short?), so they keep their new text` : '') +
      '. Run that command again.';
  }
  await fs.rm(journalPath(codexHome), { force: true });
  return message;
}

/** At the start of every command: a run killed part-way is finished or undone, and said so. */
export async function recoverInterrupted(codexHome: string, say: (message: string) => void): Promise<void> {
  if (!(await hasJournal(codexHome))) return;
  const release = await acquireLock(stateDir(codexHome));
  try {
    const message = await finishInterrupted(codexHome);
    if (message) say(message);
  } finally {
    await release();
  }
}
