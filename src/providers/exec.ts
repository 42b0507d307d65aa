import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { oneLine } from './http.js';

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

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
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

/** `ollama` on PATH. */
export function findOllamaCli(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  return findOnPath('ollama', env, platform);
}

/** `lms` on PATH, else where LM Studio installs it: `~/.lmstudio/bin/lms` (`lms.exe` on Windows). */
export function findLmsCli(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const onPath = findOnPath('lms', env, platform);
  if (onPath) return onPath;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const candidate = p.join(homeDir(env, platform), '.lmstudio', 'bin', platform === 'win32' ? 'lms.exe' : 'lms');
  return isExecutableFile(candidate, platform) ? candidate : undefined;
}

export type CliResult =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; reason: string; timedOut: boolean; stdout: string; stderr: string };

/**
 * Run a provider CLI: an argument array (never a shell), no stdin, a hard timeout, bounded
 * output. Never throws.
 */
export async function runCli(
  file: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CliResult> {
  const { execa } = await import('execa');
  const label = `${path.basename(file)} ${args.join(' ')}`;
  try {
    const r = await execa(file, args, {
      env: opts.env,
      extendEnv: false,
      stdin: 'ignore',
      timeout: opts.timeoutMs,
      forceKillAfterDelay: 500,
      maxBuffer: 8 * 1024 * 1024,
      reject: false,
      windowsHide: true,
      stripFinalNewline: false,
      encoding: 'utf8',
    });
    const stdout = typeof r.stdout === 'string' ? r.stdout : '';
    const stderr = typeof r.stderr === 'string' ? r.stderr : '';
    if (r.timedOut) return { ok: false, timedOut: true, reason: `\`${label}\` did not finish within ${opts.timeoutMs} ms`, stdout, stderr };
    if (r.failed) {
      const firstErr = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
      const why = r.exitCode !== undefined ? `exit code ${r.exitCode}` : (r.shortMessage ?? 'could not run');
      return { ok: false, timedOut: false, reason: oneLine(`\`${label}\` failed (${why})${firstErr ? ': ' + firstErr : ''}`), stdout, stderr };
    }
    return { ok: true, stdout, stderr };
  } catch (err) {
    return { ok: false, timedOut: false, reason: oneLine(`\`${label}\` could not run: ${err instanceof Error ? err.message : String(err)}`), stdout: '', stderr: '' };
  }
}
