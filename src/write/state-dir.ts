import path from 'node:path';

/**
 * Where codex-profiles keeps its own state inside a Codex home. Paths only, no imports beyond
 * `path`: every command's start asks for the journal's path (recover-start.ts), and loading
 * backup.ts or journal.ts (node:crypto, fs/promises) for it cost ~3 ms of each start (issue 16).
 */
export function stateDir(codexHome: string): string {
  return path.join(codexHome, 'codex-profiles');
}

export function journalPath(codexHome: string): string {
  return path.join(stateDir(codexHome), 'journal.json');
}
