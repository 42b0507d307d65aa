/**
 * Child processes for the codex binary: find it, launch it without a shell, and stop the whole
 * process tree. The npm package's `bin/codex.js` is a Node wrapper that spawns the native binary
 * (`vendor/<triple>/.../codex`) as its child; killing only the wrapper leaves the native process
 * running (seen). So on POSIX the child gets its own process group (`detached`) and we signal the
 * group; on Windows `taskkill /T /F` ends the tree.
 *
 * Plain `node:child_process`, not execa: execa costs about 100 ms to import (measured on the
 * 2-CPU bench machine), paid by every command that detects or runs codex, and nothing here needs
 * more than spawn, pipes and the exit event.
 */
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

// node:child_process (and node:net behind it, ~1.5 ms) loads with the first process started, not
// with this module: `test` reads the config first and starts codex only when detection has no
// cached answer (issue 16).
const childProcess = (): typeof import('node:child_process') => process.getBuiltinModule('node:child_process');

const isWindows = process.platform === 'win32';

/** How to start a codex binary without a shell. */
export interface Launch {
  file: string;
  /** Arguments that go before codex's own (the script path for `.js`). */
  prefixArgs: string[];
  warning?: string;
}

/**
 * `.js`/`.mjs`/`.cjs` run with this Node (`process.execPath`). A Windows npm shim (`codex.cmd`)
 * cannot be spawned without cmd.exe, so we read the script path out of it and run that with
 * Node; anything else is executed directly.
 */
export async function launchCommand(bin: string): Promise<Launch> {
  const ext = path.extname(bin).toLowerCase();
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
    return { file: process.execPath, prefixArgs: [bin] };
  }
  if (ext === '.cmd' || ext === '.bat') {
    let text = '';
    try {
      text = await fs.readFile(bin, 'utf8');
    } catch {
      /* reported below */
    }
    // npm's cmd-shim: "%dp0%\node_modules\@openai\codex\bin\codex.js" %*; pnpm: "%~dp0\...".
    const m = /"%~?dp0%?\\([^"]+?\.[cm]?js)"/i.exec(text);
    if (m?.[1]) {
      const script = path.join(path.dirname(bin), ...m[1].split('\\'));
      return { file: process.execPath, prefixArgs: [script] };
    }
    return {
      file: bin,
      prefixArgs: [],
      warning: `${bin} is a batch file we cannot run without a shell; pass --codex-bin with the path of codex.exe or of the package's bin/codex.js.`,
    };
  }
  return { file: bin, prefixArgs: [] };
}

// ---------------------------------------------------------------------------------------------
// Process trees

const liveTrees = new Set<number>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let handlersInstalled = false;

function killTreeSync(pid: number): void {
  try {
    if (isWindows) {
      childProcess().spawnSync('taskkill', ['/T', '/F', '/PID', String(pid)], { windowsHide: true, stdio: 'ignore' });
    } else {
      process.kill(-pid, 'SIGKILL');
    }
  } catch {
    /* already gone */
  }
}

function onParentExit(): void {
  for (const pid of liveTrees) killTreeSync(pid);
  liveTrees.clear();
}

function onParentSignal(signal: NodeJS.Signals): void {
  onParentExit();
  removeHandlers();
  // Keep the default behaviour (terminate) when nobody else handles the signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', onParentExit);
  for (const s of SIGNALS) process.on(s, onParentSignal);
}

function removeHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.removeListener('exit', onParentExit);
  for (const s of SIGNALS) process.removeListener(s, onParentSignal);
}

/** Sends `signal` to the whole tree (POSIX: the process group; Windows: taskkill /T /F). */
export async function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (isWindows) {
    await new Promise<void>((resolve) => {
      const child = childProcess().spawn('taskkill', ['/T', '/F', '/PID', String(pid)], { windowsHide: true, stdio: 'ignore' });
      child.once('error', () => resolve());
      child.once('close', () => resolve());
    });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}

export interface TreeRunOptions {
  file: string;
  args: string[];
  cwd?: string;
  /** The complete environment of the child. */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** After the polite SIGTERM, wait this long before SIGKILL (POSIX). Default 1000. */
  killGraceMs?: number;
  onSpawn?: (pid: number) => void;
}

export interface TreeRunResult {
  exitCode: number | null;
  /** The signal that ended the process, if any. */
  signal?: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  pid?: number;
  /** The child could not be started (ENOENT, EACCES, ...). */
  spawnError?: { code?: string; message: string };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Runs a command with stdin closed, no shell, its own process group (POSIX), collecting
 * stdout and stderr. On timeout or abort the whole tree is stopped: SIGTERM to the group, then
 * SIGKILL after `killGraceMs` (Windows: taskkill /T /F at once).
 */
export async function runTree(opts: TreeRunOptions): Promise<TreeRunResult> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let aborted = false;

  if (opts.signal?.aborted) {
    return { exitCode: null, stdout, stderr, timedOut, aborted: true, durationMs: 0 };
  }

  let sub: ChildProcess;
  let spawnError: { code?: string; message: string } | undefined;
  try {
    sub = childProcess().spawn(opts.file, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: !isWindows,
      windowsHide: true,
    });
  } catch (err) {
    // Invalid arguments (e.g. a NUL byte) throw instead of emitting 'error'.
    const e = err as NodeJS.ErrnoException;
    return { exitCode: null, stdout, stderr, timedOut, aborted, durationMs: Date.now() - started, spawnError: { code: e.code, message: e.message } };
  }
  // Settles when the process has ended and its pipes are closed ('close'), or when it could not
  // be started ('error' without a pid; 'close' may or may not follow).
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    sub.once('close', (code, signal) => resolve({ code, signal }));
    sub.on('error', (err: NodeJS.ErrnoException) => {
      if (sub.pid !== undefined) return; // e.g. a failed kill(); the process runs on
      spawnError = { code: err.code, message: err.message };
      resolve({ code: null, signal: null });
    });
  });
  const pid = sub.pid;
  sub.stdout?.setEncoding('utf8');
  sub.stderr?.setEncoding('utf8');
  sub.stdout?.on('data', (chunk: string) => (stdout += chunk));
  sub.stderr?.on('data', (chunk: string) => (stderr += chunk));

  if (pid !== undefined) {
    liveTrees.add(pid);
    installHandlers();
    opts.onSpawn?.(pid);
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    if (stopping || pid === undefined) return stopping;
    stopping = (async () => {
      if (isWindows) {
        await killTree(pid);
        return;
      }
      await killTree(pid, 'SIGTERM');
      const ended = await Promise.race([closed.then(() => true), delay(opts.killGraceMs ?? 1000).then(() => false)]);
      if (!ended) await killTree(pid, 'SIGKILL');
    })().then(() => {
      // A descendant that left the group could keep our pipes open; do not wait for it forever.
      setTimeout(() => {
        sub.stdout?.destroy();
        sub.stderr?.destroy();
      }, 5000).unref();
    });
    return stopping;
  };

  const timer =
    opts.timeoutMs !== undefined && opts.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          void stop();
        }, opts.timeoutMs)
      : undefined;
  const onAbort = () => {
    aborted = true;
    void stop();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const result = await closed;
    if (stopping) await stopping;
    // The native child inherits the wrapper's pipes; make sure nothing of the group survives a
    // wrapper that exited on its own while we were stopping it.
    if ((timedOut || aborted) && pid !== undefined) await killTree(pid, 'SIGKILL');
    return {
      exitCode: result.code,
      signal: result.signal ?? undefined,
      stdout,
      stderr,
      timedOut,
      aborted,
      durationMs: Date.now() - started,
      pid,
      spawnError,
    };
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    if (pid !== undefined) {
      liveTrees.delete(pid);
      if (liveTrees.size === 0) removeHandlers();
    }
  }
}
