import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import { journalPath } from './state-dir.js';

/**
 * The record of a run that is changing several files: written (with the backup) before the first
 * change, removed after the last. If it is still there when the lock is free, that run was killed
 * part-way, and the next run finishes or undoes it (recover.ts).
 */
export interface Journal {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  backupId: string;
  /** Every file the run changes, in write order, with digests of the text before and after. */
  files: { path: string; before: string | null; after: string | null }[];
}


export function digest(text: string | null): string | null {
  return text === null ? null : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function newJournal(backupId: string, files: { path: string; before: string | null; after: string | null }[]): Journal {
  return {
    pid: process.pid,
    host: os.hostname(),
    command: process.argv[2] ?? 'codex-profiles',
    startedAt: new Date().toISOString(),
    backupId,
    files: files.map((f) => ({ path: f.path, before: digest(f.before), after: digest(f.after) })),
  };
}

export async function readJournal(codexHome: string): Promise<Journal | null> {
  let raw: string;
  try {
    raw = await fs.readFile(journalPath(codexHome), 'utf8');
  } catch {
    return null;
  }
  try {
    const j = JSON.parse(raw) as Journal;
    if (typeof j.backupId === 'string' && Array.isArray(j.files)) return j;
  } catch {
    // Killed while writing the journal itself: no file had been touched yet.
  }
  return { pid: 0, host: '', command: 'codex-profiles', startedAt: '', backupId: '', files: [] };
}

export async function hasJournal(codexHome: string): Promise<boolean> {
  try {
    await fs.access(journalPath(codexHome));
    return true;
  } catch {
    return false;
  }
}
