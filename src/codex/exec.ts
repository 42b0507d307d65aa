/**
 * Runs `codex exec` once, non-interactively, and reports what happened: the final answer, which
 * provider and model codex says it used, and a classified failure. See docs/codex-eras.md.
 *
 * What we pass, and why:
 * - `-p NAME` (the flag `codex exec --help` lists): it reads `[profiles.NAME]` up to 0.133 and
 *   `$CODEX_HOME/NAME.config.toml` from 0.134 — each era's own profile layout. With the option
 *   `profileV2`, `--profile-v2 NAME` instead (reads NAME.config.toml on 0.131-0.133).
 * - `--skip-git-repo-check`: we run in a fresh temporary directory, not a git repository.
 * - `--ephemeral` where the help lists it: no session files for a check.
 * - `-o FILE`: codex writes only the final answer there.
 * - `-c model_provider="ID" -c model="M"` (option `pin`): the provider and model the pre-checks
 *   approved. If the profile vanishes between the check and the start (another terminal, a
 *   dotfiles sync), codex would silently run the base config, possibly hosted; pinned, it still
 *   asks that provider for that model, or errors when the provider was defined only in the
 *   vanished file (`Model provider X not found`; seen on 0.131, 0.133, 0.169). base_url is not
 *   pinned: the provider's own table still supplies it (and it may carry a password).
 * - the prompt after `--`, so a prompt starting with `-` is not read as a flag.
 * - stdin closed (codex reads a non-TTY stdin and appends it to the prompt), `CODEX_HOME` set,
 *   no shell, cwd a fresh temporary directory, the whole process tree killed on timeout.
 */
import { profileFilePath } from '../config/profiles.js';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { codexLabel, type CodexInfo } from './detect.js';
import { classifyFailure, parseHeader, type ExecFailure } from './failures.js';
import { launchCommand, runTree } from './process.js';
import { pathExists } from '../system/files.js';

export type { ExecFailure, FailureCode } from './failures.js';

export interface ExecOptions {
  codex: CodexInfo;
  codexHome: string;
  /** The profile to select; none runs the base config. */
  profile?: string;
  prompt: string;
  timeoutMs: number;
  /** Extra `codex exec` flags, placed before the prompt (e.g. `-c key=value`). */
  extraArgs?: string[];
  /** The environment (default process.env); CODEX_HOME is always set to `codexHome`. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /**
   * From 0.134 `-p NAME` silently runs the base config (often a hosted model) when
   * `NAME.config.toml` does not exist. By default we refuse to start in that case
   * (failure `profile_not_found`, nothing is sent anywhere); `true` runs codex anyway.
   */
  allowMissingProfileFile?: boolean;
  /** The provider id and model the run must use (see the header comment), set on the command line. */
  pin?: ExecPin;
  /** Called once codex has started (its process id and arguments). */
  onSpawn?: (info: { pid: number; args: string[] }) => void;
  /**
   * Select the profile with `--profile-v2 NAME` instead of `-p NAME`: on 0.131-0.133 (`profileV2`
   * in CodexInfo) that reads `$CODEX_HOME/NAME.config.toml` while `-p` reads `[profiles.NAME]`.
   * Like `-p` from 0.134, it silently runs the base config when the file is missing (seen on
   * 0.131/0.133), so the missing-file guard applies here too. Refused when this codex has no
   * `--profile-v2`.
   */
  profileV2?: boolean;
  /**
   * The base URL codex will call for this profile, when known. If codex times out, a refused
   * connection there makes the verdict `provider_down` rather than `timeout`.
   */
  providerUrl?: string;
  /** The prompt leaves this machine: failures get a hosted service's advice, not a local server's. */
  hosted?: boolean;
  /** Fills the fresh temporary cwd before codex starts (the tool-call check's nonce file). */
  prepareWorkdir?: (cwd: string) => Promise<void>;
}

export interface ExecResult {
  ok: boolean;
  /** null when codex did not exit by itself (timeout, abort) or was not started. */
  exitCode: number | null;
  timedOut: boolean;
  /** The final answer (`-o FILE`); undefined when codex wrote none. */
  finalMessage?: string;
  /** From the `provider:` header line on stderr: what codex actually used. */
  reportedProvider?: string;
  /** From the `model:` header line on stderr. */
  reportedModel?: string;
  stderr: string;
  stdout: string;
  durationMs: number;
  /** The arguments given to codex (after the script path when it is a `.js`). */
  args: string[];
  failure?: ExecFailure;
  /** codex was not started (missing binary, or a guard refused). */
  skipped?: boolean;
  aborted?: boolean;
}

export interface ExecPin {
  provider: string;
  model?: string;
}

/** `-c key=VALUE` arguments; a JSON string is a valid TOML basic string. */
export function pinArgs(pin: ExecPin | undefined): string[] {
  if (!pin) return [];
  const args = ['-c', `model_provider=${JSON.stringify(pin.provider)}`];
  if (pin.model !== undefined) args.push('-c', `model=${JSON.stringify(pin.model)}`);
  return args;
}

/** Plain profile names, as codex >= 0.134 accepts them. */
const PROFILE_NAME = /^[A-Za-z0-9_-]+$/;

/** The `codex exec` arguments for an era. Pure: tested per era in unit tests. */
export function buildExecArgs(
  codex: Pick<CodexInfo, 'profileFlag' | 'ephemeral'>,
  opts: { profile?: string; outputFile: string; prompt: string; extraArgs?: string[]; profileV2?: boolean; pin?: ExecPin },
): string[] {
  const args = ['exec', '--skip-git-repo-check'];
  if (codex.ephemeral) args.push('--ephemeral');
  if (opts.profile !== undefined) args.push(opts.profileV2 ? '--profile-v2' : codex.profileFlag || '-p', opts.profile);
  args.push(...pinArgs(opts.pin));
  args.push('-o', opts.outputFile);
  args.push(...(opts.extraArgs ?? []));
  args.push('--', opts.prompt);
  return args;
}



function skipped(args: string[], failure: ExecFailure): ExecResult {
  return { ok: false, exitCode: null, timedOut: false, stderr: '', stdout: '', durationMs: 0, args, failure, skipped: true };
}

/**
 * Nothing listens at `url`'s host and port (the connection is refused). False when it connects,
 * or when the answer is anything else (a firewall that drops packets, DNS): then we cannot say.
 */
export function refusesConnections(url: string, waitMs = 3000): Promise<boolean> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (refused: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(refused);
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.once('connect', () => done(false));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

export async function runCodexExec(opts: ExecOptions): Promise<ExecResult> {
  const { codex, profile } = opts;
  if (!codex.found || !codex.bin) {
    return skipped([], {
      code: 'spawn_failed',
      message: codex.bin
        ? `codex at ${codex.bin} could not be run${codex.warnings[0] ? `: ${codex.warnings[0]}` : '.'}`
        : 'codex is not installed (not found on PATH).',
      fix: 'Install it with `npm install -g @openai/codex`, or pass --codex-bin.',
    });
  }
  if (opts.profileV2 && !codex.profileV2) {
    return skipped([], {
      code: 'unsupported_flag',
      message: `${codexLabel(codex)} has no --profile-v2, so it cannot read ${profile ?? 'NAME'}.config.toml.`,
      fix: codex.layout === 'table' ? 'Update codex (0.131 or newer reads profile files), or keep the profile as a [profiles.NAME] table.' : 'Use -p NAME: this codex reads NAME.config.toml with -p.',
    });
  }
  if (profile !== undefined && (codex.layout === 'file' || opts.profileV2)) {
    if (!PROFILE_NAME.test(profile)) {
      return skipped([], {
        code: 'invalid_profile_name',
        message: `\`${profile}\` is not a valid profile name for ${codexLabel(codex)}.`,
        fix: 'Use letters, digits, `-` and `_` only (a model id such as `gpt-oss:20b` is not a profile name).',
      });
    }
    const file = profileFilePath(opts.codexHome, profile);
    if (!opts.allowMissingProfileFile && !(await pathExists(file))) {
      return skipped([], {
        code: 'profile_not_found',
        message:
          `${file} does not exist. ${codexLabel(codex)} would silently run the base config instead ` +
          '(possibly a hosted model), so it was not started.',
        fix: `Create the profile first (this Codex reads ${profile}.config.toml in ${opts.codexHome}).`,
      });
    }
  }

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'codex-profiles-exec-'));
  try {
    const cwd = path.join(tmp, 'work');
    await fs.mkdir(cwd);
    await opts.prepareWorkdir?.(cwd);
    const outputFile = path.join(tmp, 'last-message.txt');
    const args = buildExecArgs(codex, { profile, outputFile, prompt: opts.prompt, extraArgs: opts.extraArgs, profileV2: opts.profileV2, pin: opts.pin });
    const launch = await launchCommand(codex.bin);
    const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), CODEX_HOME: opts.codexHome };

    const run = await runTree({
      file: launch.file,
      args: [...launch.prefixArgs, ...args],
      cwd,
      env,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      onSpawn: (pid) => opts.onSpawn?.({ pid, args }),
    });

    let finalMessage: string | undefined;
    try {
      finalMessage = (await fs.readFile(outputFile, 'utf8')).replace(/\r?\n$/, '');
    } catch {
      finalMessage = undefined;
    }
    const header = parseHeader(run.stderr);
    const answered = finalMessage !== undefined && finalMessage.trim() !== '';
    const ok = run.exitCode === 0 && !run.timedOut && !run.aborted && answered;
    const result: ExecResult = {
      ok,
      // A run we stopped has no meaningful exit code: 0.131/0.133 exit 0 on SIGTERM (seen).
      exitCode: run.timedOut || run.aborted ? null : run.exitCode,
      timedOut: run.timedOut,
      finalMessage,
      reportedProvider: header.provider,
      reportedModel: header.model,
      stderr: run.stderr,
      stdout: run.stdout,
      durationMs: run.durationMs,
      args,
    };
    if (run.aborted) result.aborted = true;
    if (!ok) {
      result.failure = classifyFailure({
        stderr: run.stderr,
        stdout: run.stdout,
        exitCode: run.exitCode,
        timedOut: run.timedOut,
        aborted: run.aborted,
        timeoutMs: opts.timeoutMs,
        finalMessage,
        profile,
        spawnError: run.spawnError,
        refusedUrl: run.timedOut && opts.providerUrl !== undefined && (await refusesConnections(opts.providerUrl)) ? opts.providerUrl : undefined,
        hosted: opts.hosted,
      });
    }
    return result;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}
