import path from 'node:path';
import { oneLine } from './http.js';
import { findOnPath, homeDir, isExecutableFile } from '../system/which.js';

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
  opts: { env: NodeJS.ProcessEnv; timeoutMs: number; signal?: AbortSignal },
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
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
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
