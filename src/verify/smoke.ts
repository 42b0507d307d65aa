/**
 * The smoke test: the real `codex exec` with "Reply with exactly OK" for each profile.
 *
 * 1. Selection: the profile must exist where THIS codex looks (see docs/codex-eras.md): a
 *    `NAME.config.toml` from 0.134 (`-p NAME`); up to 0.133 a `[profiles.NAME]` table (`-p`) or,
 *    on 0.131-0.133, a file (`--profile-v2 NAME`). A missing profile would make codex silently run
 *    the base config, possibly a hosted model, so it is never started then.
 * 2. Pre-checks, before anything is sent: config.toml is one this codex accepts (no legacy
 *    `profile =` selector from 0.134, no `wire_api = "chat"`, no redefined built-in id), the
 *    provider is known, it answers at the URL codex will call, an Ollama is new enough for the
 *    Responses API, the model is installed there. A failed check skips the run with the reason.
 *    Read-only: nothing here pulls, downloads or loads a model (discovery only lists).
 * 3. The run: `runCodexExec` (argument array, no shell, stdin closed, fresh temporary cwd,
 *    `--skip-git-repo-check`, `--ephemeral`, `-o FILE`, process tree killed at the timeout).
 *    Custom provider ids get `stream_max_retries=0` and `request_max_retries=0` so that an HTTP
 *    error fails at once instead of after five retries (codex rejects that for built-in ids).
 * 4. The verdict: codex's `provider:` / `model:` lines must name what the profile says (else the
 *    prompt went somewhere else: fail), and the final message must be exactly `OK` once trimmed.
 *
 * Scheduling: one queue per server (same URL = same GPU), run one profile at a time; the queues
 * run in parallel, each doing its own pre-checks first (probes are shared per URL). Hosted
 * profiles run only when asked (`includeHosted`), one queue per id.
 */
import { runCodexExec, type ExecOptions } from '../codex/exec.js';
import { isValidProfileName, type HomeState } from '../config/profiles.js';
import { effectiveProvider, type ServerKind } from './provider-of.js';
import { ProbeCache, probeServer } from './probe.js';
import { DEFAULT_SMOKE_TIMEOUT_MS } from './smoke-defaults.js';
import { base, chooseProfile, configRejection, prepare, selectNames } from './smoke-preflight.js';
import { judgeRun, summarize, withToolCall } from './smoke-explain.js';
import { SMOKE_PROMPT, type SmokeDeps, type SmokeOptions, type SmokeReport, type SmokeResult } from './smoke-types.js';

export { DEFAULT_SMOKE_TIMEOUT_MS };
// The pieces live by role (pre-flight, verdict, types); callers keep importing smoke.js.
export * from './smoke-types.js';
export { chooseProfile, configRejection, noRetryArgs, prepare, selectNames, type Prepared } from './smoke-preflight.js';
export { judgeRun, summarize, withToolCall } from './smoke-explain.js';
import { runToolCallCheck, TOOL_CALL_FIX, type ToolCallResult } from './tool-call.js';

// ---------------------------------------------------------------------------------------------
// Scheduling

/**
 * Runs every item through `run`: items with the same key one after another (in input order),
 * different keys in parallel. Results come back in input order.
 */
export async function runQueues<T, R>(items: readonly T[], keyOf: (item: T) => string, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const queues = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    const q = queues.get(key);
    if (q) q.push(i);
    else queues.set(key, [i]);
  });
  await Promise.all(
    [...queues.values()].map(async (indexes) => {
      for (const i of indexes) results[i] = await run(items[i]!);
    }),
  );
  return results;
}
// ---------------------------------------------------------------------------------------------
// Probes started before codex is known

/** The probe cache of one test: one probe per server URL, shared by its queue. */
export function createProbes(opts: Pick<SmokeOptions, 'env' | 'probeTimeoutMs'>, deps: Pick<SmokeDeps, 'probe'> = {}, signal?: AbortSignal): ProbeCache {
  return new ProbeCache(deps.probe ?? ((url, kind) => probeServer(url, kind, { env: opts.env, timeoutMs: opts.probeTimeoutMs, signal })));
}

/**
 * The servers whose pre-checks may start while codex is still being detected. Which profile codex
 * reads depends on codex, so only profiles that every codex from 0.131 reads the same way count:
 * a name with a `NAME.config.toml` and no `[profiles.NAME]` table, a valid name, no legacy
 * `profile =` selector, and the checks that do not depend on codex passed (config codex accepts, a
 * known provider, a model, a local server). Only codex <= 0.130, which cannot read profile files,
 * skips such a profile after its server was probed (a read-only listing, like every probe).
 */
export function earlyProbeTargets(state: HomeState, names: readonly string[], env: NodeJS.ProcessEnv): Array<{ url: string; kind: ServerKind }> {
  const out = new Map<string, ServerKind>();
  if (state.profileSelector !== undefined) return [];
  for (const name of names) {
    const candidates = state.profiles.filter((p) => p.name === name);
    const profile = candidates[0];
    if (candidates.length !== 1 || !profile || profile.layout !== 'file' || !isValidProfileName(name)) continue;
    if (configRejection(state, profile)) continue;
    const provider = effectiveProvider(state, profile, env);
    const url = provider.serverUrl?.replace(/\/+$/, '');
    if (!provider.defined || provider.hosted || provider.model === undefined || url === undefined || out.has(url)) continue;
    out.set(url, provider.kind);
  }
  return [...out].map(([url, kind]) => ({ url, kind }));
}

/** Starts the probes of `earlyProbeTargets` in `probes` (their results are awaited by runSmoke). */
export function startEarlyProbes(probes: ProbeCache, state: HomeState, names: readonly string[], env: NodeJS.ProcessEnv): number {
  const targets = earlyProbeTargets(state, names, env);
  for (const t of targets) void probes.get(t.url, t.kind);
  return targets.length;
}

// ---------------------------------------------------------------------------------------------
// The whole test

/** The queue a profile runs in: its server's (or hosted id's); a profile that cannot run: its own. */
export function queueKeyOf(opts: Pick<SmokeOptions, 'state' | 'codex' | 'env'>, name: string): string {
  const chosen = chooseProfile(opts.state, opts.codex, name);
  if ('code' in chosen) return `none:${name}`;
  return effectiveProvider(opts.state, chosen.profile, opts.env).queueKey;
}

/** A profile stopped or never started because of Ctrl-C: `not-run`, code `interrupted`. */
function interruptedResult(result: SmokeResult, stopped: boolean): SmokeResult {
  const out: SmokeResult = {
    ...result,
    status: 'not-run',
    code: 'interrupted',
    message: stopped ? 'interrupted (Ctrl-C): codex was stopped, with its whole process group.' : 'interrupted (Ctrl-C) before it started.',
  };
  delete out.fix;
  return out;
}

export async function runSmoke(opts: SmokeOptions, deps: SmokeDeps = {}): Promise<SmokeReport> {
  const now = deps.now ?? Date.now;
  const started = now();
  const exec = deps.exec ?? runCodexExec;
  const probes = opts.probes ?? createProbes(opts, deps);
  const names = selectNames(opts.state, opts.names, opts.all);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS;
  // Each profile's queue is known before any probe (it depends on the config only), so every
  // server's queue starts at once: its pre-checks, then its runs; a slow or hanging server
  // delays only its own profiles.
  const results = await runQueues(
    names,
    (name) => queueKeyOf(opts, name),
    async (name): Promise<SmokeResult> => {
      if (opts.signal?.aborted) return interruptedResult(base(name), false);
      const p = await prepare(opts, probes, name);
      if (!p.run) return p.result;
      if (opts.signal?.aborted) return interruptedResult(p.result, false);
      const { run } = p;
      const running: SmokeResult = { ...p.result, queue: run.provider.queueKey };
      opts.progress?.start(running);
      const execOpts: Omit<ExecOptions, 'prompt'> = {
        codex: opts.codex,
        codexHome: opts.state.home,
        profile: run.profile,
        profileV2: run.profileV2,
        timeoutMs,
        extraArgs: run.extraArgs,
        pin: { provider: run.provider.id, model: run.provider.model },
        env: opts.env,
        providerUrl: run.provider.baseUrl,
        signal: opts.signal,
        hosted: running.hosted,
      };
      const r = await exec({ ...execOpts, prompt: opts.prompt ?? SMOKE_PROMPT });
      let done = r.aborted ? interruptedResult(judgeRun(running, run.provider, r), true) : judgeRun(running, run.provider, r);
      if (opts.tools && !r.aborted) {
        // Same queue, right after the OK check: the model is loaded, and the server is ours.
        const tc: ToolCallResult =
          done.status === 'pass'
            ? await runToolCallCheck(exec, execOpts)
            : { status: 'not-run', code: 'ok_check_failed', message: 'not run: the "Reply with exactly OK" check did not pass.', fix: TOOL_CALL_FIX.ok_check_failed, commands: [] };
        done = opts.signal?.aborted ? interruptedResult({ ...done, toolCall: tc }, true) : withToolCall(done, tc);
      }
      opts.progress?.end(done);
      return done;
    },
  );
  const summary = summarize(results);
  const report: SmokeReport = { ok: summary.fail === 0 && summary.skipped === 0, results, summary, durationMs: now() - started };
  if (opts.signal?.aborted) report.interrupted = true;
  return report;
}
