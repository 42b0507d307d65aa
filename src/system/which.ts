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

/**
 * Find `name` the way a shell would, without running one: each PATH entry in order; on Windows
 * each PATHEXT extension (`lms.exe`, ...). Returns the absolute path, or undefined.
 */
export function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
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
  for (const rawDir of dirs) {
    const dir = rawDir.replace(/^"(.*)"$/, '$1');
    if (!p.isAbsolute(dir)) continue; // a relative PATH entry would depend on the working directory
    if (hasExt && isExecutableFile(p.join(dir, name), platform)) return p.join(dir, name);
    for (const ext of exts) {
      const candidate = p.join(dir, name + ext);
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

