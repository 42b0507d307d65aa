/**
 * `codex-profiles run [NAME] [-- CODEX ARGS...]`: start Codex with a profile, failing closed.
 *
 * Before codex starts, the smoke test's own pre-checks (`prepare` in src/checks/smoke.ts, no
 * prompt sent): the profile is where THIS codex looks (else `codex -p NAME` silently runs the base
 * config, possibly a hosted model), the config is one codex loads, the server answers, the model
 * is installed. Any failure: exit 1 (2 for usage), codex never started.
 *
 * Then one line on stderr (provider, model, where prompts go), and codex runs in our terminal:
 * stdio inherited, the user's cwd, same arguments, its exit code returned. It stays in our
 * process group, so a Ctrl-C typed in the terminal reaches it directly; signals sent to us alone
 * (kill, a closed terminal) are forwarded. We outlive it and report its code (128+N for a signal).
 *
 * The provider and model the checks approved are pinned with `-c` (as the smoke test does): if the
 * profile vanished between the check and the start, codex still asks that provider for that model,
 * or errors; it never falls back to the hosted default.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProbes, prepare } from '../verify/smoke.js';
import { requireCodex, throwOnSyntaxErrors } from '../run/test.js';
import type { EffectiveProvider } from '../verify/provider-of.js';
import { detectCodex } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import { pinArgs } from '../codex/exec.js';
import { launchCommand } from '../codex/process.js';
import type { CommandContext } from '../context.js';
import { isValidProfileName, loadHome } from '../config/profiles.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../errors.js';
import { endpointOf, isLoopbackHost } from '../discover/address.js';
import { launchTrustNote, trustOf } from '../verify/trust.js';

export const PROJECT_FILE = '.codex-profile';

export interface RunArgs {
  name?: string;
  codexArgs: string[];
  dryRun: boolean;
  timeout?: string;
  cwd?: string;
}

/**
 * The per-project default: the first `.codex-profile` from `dir` upward; its first line that is
 * neither blank nor a `#` comment is the name.
 */
export function findProjectProfile(dir: string): { name: string; file: string } | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const file = path.join(current, PROJECT_FILE);
    let text: string | undefined;
    try {
      if (fs.statSync(file).isFile()) text = fs.readFileSync(file, 'utf8');
    } catch {
      /* not here */
    }
    if (text !== undefined) {
      const name = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
      if (name === undefined) throw new UsageError(`${file} names no profile.`, 'Write the profile name on its first line, e.g. `echo gpt-oss-20b > .codex-profile`.');
      return { name, file };
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Where prompts go, in words: this machine, another host, or hosted. */
export function localityOf(provider: EffectiveProvider): { kind: 'local' | 'remote' | 'hosted'; text: string } {
  const ep = provider.serverUrl ? endpointOf(provider.serverUrl) : undefined;
  if (ep && isLoopbackHost(ep.host)) return { kind: 'local', text: `this machine (${provider.baseUrl})` };
  if (ep && !(provider.id === 'openai' || provider.id === 'amazon-bedrock')) return { kind: 'remote', text: `another host, ${ep.host} (${provider.baseUrl}): prompts leave this machine` };
  return { kind: 'hosted', text: `a hosted service (${provider.id}): prompts leave this machine` };
}

function signalExitCode(signal: NodeJS.Signals | null): number {
  const n = signal ? os.constants.signals[signal] : undefined;
  return 128 + (n ?? 1);
}

export async function runRun(ctx: CommandContext, argv: RunArgs): Promise<number> {
  let name = argv.name;
  let from: string | undefined;
  if (name === undefined) {
    const found = findProjectProfile(argv.cwd ?? process.cwd());
    if (!found) {
      throw new UsageError(
        'name the profile to run.',
        `Pass it (codex-profiles run NAME), or put its name in a ${PROJECT_FILE} file in this project (found from the current folder upward). See them: codex-profiles list`,
      );
    }
    ({ name, file: from } = found);
  }
  if (!isValidProfileName(name)) throw new UsageError(`"${name}"${from ? ` (from ${from})` : ''} is not a profile name Codex accepts (letters, digits, '-' and '_').`);

  const env = ctx.env;
  const [state, codex] = await Promise.all([
    loadHome(ctx.opts.codexHome),
    detectCodex({ codexBin: ctx.opts.codexBin, env, cacheDir: userCacheDir(env) }),
  ]);
  throwOnSyntaxErrors(state);
  requireCodex(codex);
  const probeTimeoutMs = parseDiscoveryTimeout(argv.timeout) ?? 2000;
  const probes = createProbes({ env, probeTimeoutMs });
  // includeHosted: naming a hosted profile to run IS the consent; the line below says so.
  const prepared = await prepare({ state, codex, env, includeHosted: true }, probes, name);
  const r = prepared.result;
  if (!prepared.run) {
    if (ctx.opts.json) {
      ctx.out.json({ ok: false, started: false, profile: name, from: from ?? null, code: r.code, message: r.message, fix: r.fix ?? null });
      return EXIT_CHECK_FAILED;
    }
    throw new CliError(`not starting codex with profile ${name}: ${r.message}`, EXIT_CHECK_FAILED, r.fix, 'PROFILE_NOT_RUNNABLE');
  }
  for (const w of r.warnings) ctx.out.warn(w);

  const { provider } = prepared.run;
  const where = localityOf(provider);
  const flag = prepared.run.profileV2 ? '--profile-v2' : codex.profileFlag || '-p';
  const args = [flag, name, ...pinArgs({ provider: provider.id, model: provider.model }), ...argv.codexArgs];
  const launch = await launchCommand(codex.bin!);
  if (launch.warning) throw new CliError(launch.warning, 2);
  const line = `codex-profiles: ${name}${from ? ` (from ${from})` : ''}: provider ${provider.id}, model ${provider.model ?? '(default)'}, on ${where.text}`;
  // Codex's own trust question (or exec's refusal outside git) would come first: say so before it starts.
  const trust = trustOf(state, argv.cwd ?? process.cwd());
  const trustNote = launchTrustNote(trust, argv.codexArgs);

  if (argv.dryRun) {
    if (ctx.opts.json) ctx.out.json({ ok: true, started: false, dryRun: true, profile: name, from: from ?? null, provider: provider.id, model: provider.model ?? null, locality: where.kind, url: provider.baseUrl ?? null, command: [codex.bin, ...args], trust });
    else {
      ctx.out.note(line);
      if (trustNote) ctx.out.note(`codex-profiles: ${trustNote}`);
      ctx.out.line(`Dry run: would start ${[codex.bin, ...args].map((a) => (/^[\w./:=@,+-]+$/.test(a!) ? a : JSON.stringify(a))).join(' ')}`);
    }
    return EXIT_OK;
  }
  ctx.out.note(line);
  if (trustNote) ctx.out.note(`codex-profiles: ${trustNote}`);
  return launchInherited(launch.file, [...launch.prefixArgs, ...args], { ...env, CODEX_HOME: state.home });
}

/**
 * SIGINT and SIGQUIT come from the terminal (Ctrl-C, Ctrl-\\) to the whole foreground process
 * group, codex included: we only stay alive for its exit code; forwarding would deliver them
 * twice (and codex's TUI reads Ctrl-C as a key anyway). SIGTERM and SIGHUP sent to us alone
 * (kill, a supervisor) are passed on.
 */
const SWALLOWED: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

/** Runs codex in our terminal and returns its exit code; signals sent to us go to it. */
function launchInherited(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
    };
    const swallow = () => {};
    const posix = process.platform !== 'win32';
    const forwarded = posix ? FORWARDED : [];
    const swallowed = posix ? SWALLOWED : (['SIGINT'] as NodeJS.Signals[]);
    for (const s of forwarded) process.on(s, forward);
    for (const s of swallowed) process.on(s, swallow);
    const done = (code: number) => {
      for (const s of forwarded) process.removeListener(s, forward);
      for (const s of swallowed) process.removeListener(s, swallow);
      resolve(code);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      process.stderr.write(`codex-profiles: could not start ${file}: ${err.message}\n`);
      done(2);
    });
    child.once('exit', (code, signal) => done(code ?? signalExitCode(signal)));
  });
}
