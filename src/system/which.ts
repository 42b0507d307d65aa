import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Finding programs the way a shell would, without running one, on every OS: PATH in order,
 * PATHEXT on Windows (`lms.exe`, `codex.cmd`), case-insensitive variable names there.
 */

/** Read an environment variable; on Windows names are case-insensitive (`Path`, `PATHEXT`). */
export function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env[name] !== undefined) return env[name];
  if (platform === 'win32') {
    const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
    return key !== undefined ? env[key] : undefined;
  }
  return undefined;
}

/** The user's home from the given environment (so tests can point it at a temporary folder). */
export function homeDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const fromEnv = platform === 'win32' ? envValue(env, 'USERPROFILE', platform) : env.HOME;
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : os.homedir();
}

export function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** `file` is `folder` or inside it, both compared by their real paths (symlinks resolved). */
export function isInsideFolder(file: string, folder: string, platform: NodeJS.Platform = process.platform): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const rel = p.relative(realOrSelf(folder), realOrSelf(file));
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}

export interface FindOptions {
  /**
   * Never return a program inside these folders (by real path, the PATH entry or the file):
   * `npx codex-profiles` puts the package's own node_modules/.bin first on PATH.
   */
  exclude?: string[];
  /** Told about each match that `exclude` passed over. */
  onExcluded?: (file: string) => void;
}

/**
 * Find `name` the way a shell would, without running one: each PATH entry in order; on Windows
 * each PATHEXT extension (`lms.exe`, ...). Returns the absolute path, or undefined.
 */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  opts: FindOptions = {},
): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const pathVar = envValue(env, 'PATH', platform) ?? '';
  const dirs = pathVar.split(platform === 'win32' ? ';' : ':').filter((d) => d.trim() !== '');
  const exts =
    platform === 'win32'
      ? (envValue(env, 'PATHEXT', platform) ?? '.COM;.EXE;.BAT;.CMD')
          .split(';')
          .filter((e) => e !== '')
          .map((e) => e.toLowerCase())
      : [''];
  const hasExt = platform === 'win32' && exts.includes(p.extname(name).toLowerCase());
  const excluded = (file: string) => {
    const out = (opts.exclude ?? []).some((folder) => isInsideFolder(p.dirname(file), folder, platform) || isInsideFolder(file, folder, platform));
    if (out) opts.onExcluded?.(file);
    return out;
  };
  for (const rawDir of dirs) {
    const dir = rawDir.replace(/^"(.*)"$/, '$1');
    if (!p.isAbsolute(dir)) continue; // a relative PATH entry would depend on the working directory
    const candidates = [...(hasExt ? [p.join(dir, name)] : []), ...exts.map((ext) => p.join(dir, name + ext))];
    for (const candidate of candidates) {
      if (isExecutableFile(candidate, platform) && !excluded(candidate)) return candidate;
    }
  }
  return undefined;
}

