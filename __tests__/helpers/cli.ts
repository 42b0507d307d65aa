import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO_ROOT, 'bin', 'codex-profiles.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI (`npm test` builds dist/ first) as a user would, with an explicit
 * environment (see sandboxEnv) and stdin closed unless `input` is given.
 */
export function runCli(args: string[], opts: RunOptions): Promise<CliResult> {
  return runProgram(process.execPath, [CLI, ...args], opts);
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** Any program (an installed `codex-profiles`, the standalone executable) run as runCli runs the CLI. */
export function runProgram(file: string, args: string[], opts: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A child that exits before reading stdin (the pre-rendered --help does) closes the pipe under
    // us; on a loaded machine that races the write and raised EPIPE here. What the child did is
    // judged by its exit code and output, not by whether it read its input.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export function parseJson<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}
