/**
 * Detection results on disk, so that a command does not start codex twice (`codex --version`,
 * `codex exec --help`: about 100 ms together on the bench machine) before doing its work.
 *
 * **Where:** one file per user, `codex-detect.json` in the user's cache folder
 * (`$XDG_CACHE_HOME/codex-profiles`, else `~/.cache/codex-profiles`; `~/Library/Caches/codex-profiles`
 * on macOS; `%LOCALAPPDATA%\codex-profiles\Cache` on Windows), from the environment the command
 * runs with (no HOME there: no disk cache). Not under `$CODEX_HOME`: the facts belong to the
 * binary, not to a home (one codex serves every CODEX_HOME, and a home is codex's own folder,
 * often backed up or synced, and may not exist yet); not in the OS temp folder either: on Linux
 * and macOS `/tmp` is shared by every user, so another account could plant facts (a wrong profile
 * layout makes `-p NAME` silently run the base config). Deleting the file is always safe: the
 * next command detects again. `doctor` always detects afresh and rewrites the entry.
 *
 * **Key:** the binary's real path, size, mtime, ctime and inode (+ the same for the script a
 * `.js` / `.cmd` launcher runs, with its package's `package.json`, and the program that starts
 * it). ctime is in the key because package managers restore the mtimes stored in their
 * archives, while the ctime of an extracted file is always the time it was written. Any change
 * is a miss (detect again, replace the entry); a binary that is gone is never looked up (it is
 * not found before the cache is asked), and entries whose binary is gone are dropped on write.
 *
 * **Not cached:** what the file does not describe. A shell script or a version manager's shim
 * (asdf, mise, volta, scoop) chooses the real codex each time it runs, so only node scripts
 * (`.js`, or a `#!...node` line) and native executables named `codex*` (no `NAME.shim` beside
 * them) are cached; and only clean detections (both commands exited 0 in time).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Launch } from './process.js';
import { envValue } from '../system/which.js';
import { pathExists } from '../system/files.js';

/** What is stored per binary: CodexInfo without `found` and `bin`. */
export interface CachedFacts {
  version?: string;
  layout: 'file' | 'table';
  profileFlag: string;
  profilePlaceholder?: string;
  profileV2: boolean;
  ephemeral: boolean;
  warnings: string[];
}

interface Entry {
  /** The binary's real path (entries whose binary is gone are dropped). */
  real: string;
  /** When it was written (the oldest go first beyond MAX_ENTRIES). */
  at: number;
  facts: CachedFacts;
}

interface CacheFile {
  v: 1;
  entries: Record<string, Entry>;
}

export const CACHE_FILE_NAME = 'codex-detect.json';
const MAX_ENTRIES = 16;

/**
 * The user's cache folder for codex-profiles, from `env` (tests point HOME elsewhere); undefined
 * when `env` names no home at all (then nothing is cached rather than guessing a folder).
 */
export function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const abs = (v: string | undefined) => (v && v.trim() !== '' && p.isAbsolute(v) ? v : undefined);
  const home = abs(platform === 'win32' ? envValue(env, 'USERPROFILE', platform) : env.HOME);
  if (platform === 'win32') {
    const local = abs(envValue(env, 'LOCALAPPDATA', platform)) ?? (home && p.join(home, 'AppData', 'Local'));
    return local && p.join(local, 'codex-profiles', 'Cache');
  }
  if (platform === 'darwin') return home && p.join(home, 'Library', 'Caches', 'codex-profiles');
  const base = abs(env.XDG_CACHE_HOME) ?? (home && p.join(home, '.cache'));
  return base && p.join(base, 'codex-profiles');
}

async function fileId(file: string): Promise<string> {
  const st = await fs.stat(file);
  return [st.size, st.mtimeMs, st.ctimeMs, st.ino, st.dev].join(':');
}

async function optionalFileId(file: string): Promise<string> {
  try {
    return await fileId(file);
  } catch {
    return '-';
  }
}

const JS = /\.[cm]?js$/i;

async function head(file: string, bytes: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** 'script' (a node script), 'native' (an executable named codex*), or undefined (not cacheable). */
async function kindOf(real: string): Promise<'script' | 'native' | undefined> {
  if (JS.test(real)) return 'script';
  const start = await head(real, 128);
  if (start[0] === 0x23 && start[1] === 0x21) {
    // #!: a node script is fine (its package is in the key); sh, bash (asdf shims) are not.
    const line = start.toString('latin1').split('\n')[0] ?? '';
    return /\bnode\b/.test(line) ? 'script' : undefined;
  }
  const magic = start.subarray(0, 4).toString('hex');
  const native =
    magic === '7f454c46' || // ELF
    start.subarray(0, 2).toString('latin1') === 'MZ' || // PE
    ['feedface', 'feedfacf', 'cefaedfe', 'cffaedfe', 'cafebabe'].includes(magic); // Mach-O
  if (!native) return undefined;
  const base = path.basename(real).toLowerCase().replace(/\.exe$/, '');
  if (!base.startsWith('codex')) return undefined; // volta-shim, mise, ...
  const shim = real.replace(/(\.exe)?$/i, '.shim'); // scoop
  try {
    await fs.access(shim);
    return undefined;
  } catch {
    return 'native';
  }
}

/** A node script's package.json (`bin/codex.js` -> `package.json`): its version is the codex version. */
function packageJsonOf(script: string): string {
  return path.join(path.dirname(path.dirname(script)), 'package.json');
}

/**
 * The cache key for `bin` started through `launch`, or undefined when it must not be cached
 * (a shim, a shell script, a file that cannot be read).
 */
export async function detectionKey(bin: string, launch: Launch): Promise<{ key: string; real: string } | undefined> {
  try {
    const real = await fs.realpath(bin);
    const kind = await kindOf(real);
    if (!kind) return undefined;
    const parts: string[] = [real, await fileId(real)];
    if (kind === 'script') parts.push(await optionalFileId(packageJsonOf(real)));
    // The program that starts it: the binary itself (by its real path), or Node for a script.
    parts.push(launch.file === bin ? real : launch.file);
    for (const arg of launch.prefixArgs) {
      const script = await fs.realpath(arg);
      parts.push(script, await fileId(script), await optionalFileId(packageJsonOf(script)));
    }
    return { key: JSON.stringify(parts), real };
  } catch {
    return undefined;
  }
}

function isFacts(x: unknown): x is CachedFacts {
  if (typeof x !== 'object' || x === null) return false;
  const f = x as Record<string, unknown>;
  const optString = (v: unknown) => v === undefined || typeof v === 'string';
  return (
    (f.layout === 'file' || f.layout === 'table') &&
    typeof f.profileFlag === 'string' &&
    /^--?[A-Za-z][A-Za-z0-9-]*$/.test(f.profileFlag) &&
    optString(f.version) &&
    optString(f.profilePlaceholder) &&
    typeof f.profileV2 === 'boolean' &&
    typeof f.ephemeral === 'boolean' &&
    Array.isArray(f.warnings) &&
    f.warnings.every((w) => typeof w === 'string')
  );
}

async function readCache(file: string): Promise<CacheFile> {
  try {
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    if (typeof data === 'object' && data !== null && (data as CacheFile).v === 1) {
      const entries = (data as CacheFile).entries;
      if (typeof entries === 'object' && entries !== null) return { v: 1, entries };
    }
  } catch {
    /* missing or damaged: empty */
  }
  return { v: 1, entries: {} };
}

/** The facts stored for `key`, if any (and well-formed). */
export async function readCachedFacts(dir: string, key: string): Promise<CachedFacts | undefined> {
  const { entries } = await readCache(path.join(dir, CACHE_FILE_NAME));
  const entry = Object.hasOwn(entries, key) ? entries[key] : undefined;
  return entry && isFacts(entry.facts) ? { ...entry.facts, warnings: [...entry.facts.warnings] } : undefined;
}


/**
 * Stores `facts` for `key` (replacing what was there), drops entries whose binary is gone and
 * the oldest beyond MAX_ENTRIES. Atomic (a temporary file renamed over the old one); a cache
 * that cannot be written is not an error.
 */
export async function writeCachedFacts(dir: string, key: string, real: string, facts: CachedFacts): Promise<void> {
  const file = path.join(dir, CACHE_FILE_NAME);
  try {
    const { entries } = await readCache(file);
    entries[key] = { real, at: Date.now(), facts };
    const kept: Array<[string, Entry]> = [];
    for (const [k, e] of Object.entries(entries)) {
      if (k === key || (typeof e?.real === 'string' && typeof e.at === 'number' && (await pathExists(e.real)))) kept.push([k, e]);
    }
    kept.sort((a, b) => b[1].at - a[1].at);
    const out: CacheFile = { v: 1, entries: Object.fromEntries(kept.slice(0, MAX_ENTRIES)) };
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await fs.writeFile(tmp, JSON.stringify(out, null, 1) + '\n', { mode: 0o600 });
      await fs.rename(tmp, file);
    } catch {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  } catch {
    /* a read-only home: detect each time */
  }
}
