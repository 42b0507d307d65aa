/**
 * Kept apart from journal.ts and recover.ts so that every command's start costs one file check:
 * recover.ts (with the lock library) is loaded only when a journal is there, and journal.ts does
 * not import recover.ts (no cycle). Only state-dir.ts (paths) is loaded for the check.
 */
import fs from 'node:fs';
import { journalPath } from './state-dir.js';

/**
 * Every command starts here: a run killed part-way is finished or undone before anything reads
 * the files. The work (and the lock library) is loaded only when a journal is there. The check
 * is synchronous: one stat, where an asynchronous one waits a turn of the event loop and the
 * thread pool (~1 ms) before the command may start (issue 16).
 */
export async function recoverIfInterrupted(codexHome: string, say: (message: string) => void): Promise<void> {
  try {
    fs.accessSync(journalPath(codexHome));
  } catch {
    return;
  }
  const { recoverInterrupted } = await import('./recover.js');
  await recoverInterrupted(codexHome, say);
}
