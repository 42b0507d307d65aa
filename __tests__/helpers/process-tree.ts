/**
 * Looking at processes from tests (POSIX `ps`; the CI runs Linux): is a pid alive (zombies
 * count as dead), which processes are in a process group.
 */
import { execFileSync } from 'node:child_process';

interface PsRow {
  pid: number;
  pgid: number;
  stat: string;
  args: string;
}

export function listProcesses(): PsRow[] {
  const out = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  const rows: PsRow[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s?(.*)$/.exec(line);
    if (m) rows.push({ pid: Number(m[1]), pgid: Number(m[2]), stat: m[3] ?? '', args: m[4] ?? '' });
  }
  return rows;
}

/** Living (not zombie) members of a process group. */
export function groupMembers(pgid: number): PsRow[] {
  return listProcesses().filter((p) => p.pgid === pgid && !p.stat.startsWith('Z'));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const row = listProcesses().find((p) => p.pid === pid);
  return row !== undefined && !row.stat.startsWith('Z');
}

/** Polls `check` every 50 ms until it returns true or `ms` have passed. */
export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
