/**
 * The smoke test's pre-flight: which profile this codex reads and how to select it, the config
 * codex refuses to load, the provider, its server, the model. A failed check skips the run with
 * the reason; nothing here starts codex.
 */
import type { Diagnostic } from '../diagnostic.js';
import type { CodexInfo } from '../codex/detect.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { canRun, providerTableProblems, RUN_CODES, selectProfile, type CanRunDiagnostic, type Selection } from '../codex/can-run.js';
import { serverProblems } from '../codex/can-run-server.js';
import { formatTokens } from '../discover/hints.js';
import { effectiveProvider, type EffectiveProvider } from './provider-of.js';
import { findInstalled, OLLAMA_MIN_VERSION, type ProbeCache } from './probe.js';
import type { SmokeOptions, SmokeResult } from './smoke-types.js';

// ---------------------------------------------------------------------------------------------
// Selection and pre-checks (the facts themselves: src/codex/can-run.ts)

const PLAIN_ID = /^[A-Za-z0-9_-]+$/;

/** Names to test, in order, each once. */
export function selectNames(state: HomeState, names: string[] | undefined, all: boolean | undefined): string[] {
  const list = all ? state.profiles.map((p) => p.name) : (names ?? []);
  return [...new Set(list)];
}

export type Skip = Pick<Diagnostic, 'code' | 'message' | 'fix'>;

/** A can-run diagnostic as the smoke test reports it (its own code: `legacy_profile`, ...). */
export function asSkip(d: CanRunDiagnostic): Skip {
  return { code: RUN_CODES[d.code], message: d.message, fix: d.fix };
}

/** Which profile `name` is for this codex, and how to select it; or why it cannot be run. */
export function chooseProfile(state: HomeState, codex: CodexInfo, name: string): Selection | Skip {
  const { selection, problems } = selectProfile(state, codex, name);
  return selection ?? asSkip(problems[0]!);
}

/** Configuration codex refuses to load at all (seen on 0.131, 0.133 and 0.169). */
export function configRejection(state: HomeState, profile: Profile): Skip | undefined {
  const first = providerTableProblems(state, profile)[0];
  return first && asSkip(first);
}

export interface Prepared {
  result: SmokeResult;
  run?: { profile: string; profileV2: boolean; extraArgs: string[]; provider: EffectiveProvider };
}

export function base(name: string): SmokeResult {
  return { name, hosted: false, status: 'skipped', warnings: [] };
}

function skip(result: SmokeResult, s: Skip): Prepared {
  result.status = 'skipped';
  result.code = s.code;
  result.message = s.message;
  if (s.fix !== undefined) result.fix = s.fix;
  return { result };
}

/** Retries off for custom ids (codex rejects `-c model_providers.<built-in>...`). */
export function noRetryArgs(provider: EffectiveProvider): string[] {
  if (provider.builtIn || !PLAIN_ID.test(provider.id)) return [];
  return ['-c', `model_providers.${provider.id}.stream_max_retries=0`, '-c', `model_providers.${provider.id}.request_max_retries=0`];
}

export async function prepare(opts: SmokeOptions, probes: ProbeCache, name: string): Promise<Prepared> {
  const { state, codex, env } = opts;
  const result = base(name);
  const verdict = canRun(state, codex, name, env);
  const chosen = verdict.selection;
  if (!chosen) {
    // Not runnable here; still say which profile and provider it is, for the table.
    const any = state.profiles.find((p) => p.name === name && p.layout === 'file') ?? state.profiles.find((p) => p.name === name);
    if (any) {
      const provider = effectiveProvider(state, any, env);
      result.layout = any.layout;
      result.path = any.path;
      if (any.line !== undefined) result.line = any.line;
      result.provider = provider.id;
      if (provider.model !== undefined) result.model = provider.model;
      result.hosted = provider.hosted;
    }
    return skip(result, asSkip(verdict.problems[0]!));
  }
  const { profile } = chosen;
  result.layout = profile.layout;
  result.path = profile.path;
  if (profile.line !== undefined) result.line = profile.line;
  result.selectWith = chosen.profileV2 ? '--profile-v2' : codex.profileFlag || '-p';
  result.warnings.push(...chosen.warnings);

  const provider = verdict.provider!;
  result.provider = provider.id;
  if (provider.model !== undefined) result.model = provider.model;
  if (provider.baseUrl !== undefined) result.providerUrl = provider.baseUrl;
  result.hosted = provider.hosted;

  const problem = verdict.problems[0];
  if (problem) return skip(result, asSkip(problem));
  const runPlan = { profile: name, profileV2: chosen.profileV2, extraArgs: noRetryArgs(provider), provider };
  if (provider.hosted) {
    if (!opts.includeHosted && !opts.hostedAllowed?.has(name)) {
      result.status = 'not-run';
      result.code = 'hosted';
      result.message = `prompts leave this machine (${provider.reason}); not run (cost and privacy).`;
      result.fix = 'Pass --include-hosted to run it too.';
      return { result };
    }
    return { result, run: runPlan };
  }
  const probe = await probes.get(provider.serverUrl!, provider.kind);
  const problems = serverProblems(provider, probe);
  // A tool-less model is judged after the cloud-model check below: not-run beats skipped there.
  const stop = problems.find((d) => d.code !== 'model-no-tools');
  if (stop) return skip(result, asSkip(stop));
  if (probe.kind === 'unknown') {
    result.warnings.push(`${provider.serverUrl} answers but is no server kind codex-profiles knows (${probe.reason ?? 'unrecognised'}); the model was not checked.`);
    return { result, run: runPlan };
  }
  if (probe.kind === 'ollama' && probe.version === undefined) {
    result.warnings.push(`Ollama at ${provider.serverUrl} did not say its version (GET /api/version); it needs ${OLLAMA_MIN_VERSION} or newer.`);
  }
  // serverProblems found the model (canRun saw that a local provider has one).
  const model = findInstalled(probe, provider.model!)!;
  if (model.remoteHost) {
    result.hosted = true;
    if (!opts.includeHosted) {
      result.status = 'not-run';
      result.code = 'hosted';
      result.message = `\`${model.id}\` is an Ollama cloud model: prompts go to ${model.remoteHost}; not run (cost and privacy).`;
      result.fix = 'Pass --include-hosted to run it too.';
      return { result };
    }
  }
  // One verdict per fact (src/diagnostics.ts): an error fact (no tool support) fails the
  // pre-check before codex runs, whatever the model would answer to "Reply with exactly OK".
  const blocking = problems.find((d) => d.severity === 'error');
  if (blocking) return skip(result, asSkip(blocking));
  for (const h of model.hints) {
    if (h.code === 'MODEL_CONTEXT_SMALL' || h.code === 'CONTEXT_SMALL') result.warnings.push(h.message);
  }
  const windowKey = profile.values.model_context_window;
  if (typeof windowKey === 'number' && model.contextLength !== undefined && windowKey > model.contextLength) {
    result.warnings.push(`model_context_window = ${windowKey} is more than the model's ${formatTokens(model.contextLength)}.`);
  }
  return { result, run: runPlan };
}
