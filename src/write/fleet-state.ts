/**
 * What `apply` wrote: the durable marker `--prune` needs. `--prune` removes only profiles named
 * here (profiles `apply` created or took over from a fleet file), never one made by hand, by
 * `add`/`setup` or by another tool, even when it carries the "written by codex-profiles" comment.
 *
 * `$CODEX_HOME/codex-profiles/fleet.json`: `{"version":1,"managed":["a","b"]}`. It is kept
 * outside the backups on purpose: `restore` accepts only config.toml and NAME.config.toml in a
 * backup (docs/safety), and this is bookkeeping, not configuration Codex reads.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileVerified } from './atomic-write.js';
import { stateDir } from './state-dir.js';
import { isValidProfileName } from '../config/profiles.js';

export function fleetStatePath(codexHome: string): string {
  return path.join(stateDir(codexHome), 'fleet.json');
}

/** The names apply manages; an unreadable or foreign file counts as none (prune then removes nothing). */
export async function readManaged(codexHome: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(fleetStatePath(codexHome), 'utf8');
  } catch {
    return [];
  }
  try {
    const data = JSON.parse(text) as { managed?: unknown };
    if (!Array.isArray(data.managed)) return [];
    return [...new Set(data.managed.filter((n): n is string => typeof n === 'string' && isValidProfileName(n)))].sort();
  } catch {
    return [];
  }
}

/** Writes the list (sorted) when it differs from what is there; says whether it wrote. */
export async function writeManaged(codexHome: string, names: readonly string[]): Promise<boolean> {
  const wanted = [...new Set(names)].sort();
  const now = await readManaged(codexHome);
  if (now.length === wanted.length && now.every((n, i) => n === wanted[i])) return false;
  await fs.mkdir(stateDir(codexHome), { recursive: true, mode: 0o700 });
  await writeFileVerified(fleetStatePath(codexHome), JSON.stringify({ version: 1, managed: wanted }, null, 2) + '\n', 0o600);
  return true;
}
