/**
 * Kept apart from journal.ts and recover.ts so that every command's start costs one file check:
 * recover.ts (with the lock library) is loaded only when a journal is there, and journal.ts does
 * not import recover.ts (no cycle).
 */
import { hasJournal } from './journal.js';

/**
 * Every command starts here: a run killed part-way is finished or undone before anything reads
 * the files. The work (and the lock library) is loaded only when a journal is there.
 */
export async function recoverIfInterrupted(codexHome: string, say: (message: string) => void): Promise<void> {
  if (!(await hasJournal(codexHome))) return;
  const { recoverInterrupted } = await import('./recover.js');
  await recoverInterrupted(codexHome, say);
}
