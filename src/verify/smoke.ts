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
import type { CodexInfo } from '../codex/detect.js';
import { runCodexExec, type ExecOptions, type ExecResult } from '../codex/exec.js';
import { judgeAnswer } from './answer.js';
import { isValidProfileName, profileFilePath, type HomeState, type Profile } from '../config/profiles.js';
import { CODEX_RESERVED_PROVIDER_IDS } from '../codex/builtins.js';
import { SMOKE_CODE } from '../diagnostics.js';
import { startFix } from '../discover/fixes.js';
import { formatTokens } from '../discover/hints.js';
import { displayNameOf, isServerKindId, serverKind } from '../discover/registry.js';
import { effectiveProvider, type EffectiveProvider, type ServerKind } from './provider-of.js';
import { describeStatus, findInstalled, OLLAMA_MIN_VERSION, ollamaTooOld, ProbeCache, probeServer, type ProbeFn, type ServerProbe } from './probe.js';
import { DEFAULT_SMOKE_TIMEOUT_MS } from './smoke-defaults.js';

export { DEFAULT_SMOKE_TIMEOUT_MS };

export const SMOKE_PROMPT = 'Reply with exactly OK';
export const EXPECTED_ANSWER = 'OK';

/**
 * - `pass`: codex answered exactly OK through the profile's provider and model;
 * - `fail`: codex ran and something was wrong (answer, target, error, timeout);
 * - `skipped`: a pre-check failed, codex was not started (counts as a failure);
 * - `not-run`: deliberately not run (a hosted profile without `--include-hosted`).
 */
export type SmokeStatus = 'pass' | 'fail' | 'skipped' | 'not-run';

export interface SmokeResult {
  name: string;
  layout?: 'file' | 'table';
  /** The file the profile lives in, and the line of `[profiles.NAME]` for tables. */
  path?: string;
  line?: number;
  /** How codex selects it: `-p` or `--profile-v2`. */
  selectWith?: string;
  provider?: string;
  /** The base URL codex calls (with /v1). */
  providerUrl?: string;
  model?: string;
  hosted: boolean;
  status: SmokeStatus;
  /** Why it did not pass (a FailureCode of src/codex/failures.ts, or one of ours). */
  code?: string;
  message?: string;
  fix?: string;
  /** The final message codex wrote, as written. */
  answer?: string;
  reportedProvider?: string;
  reportedModel?: string;
  durationMs?: number;
  timedOut?: boolean;
  exitCode?: number | null;
  /** The arguments given to codex. */
  args?: string[];
  /** Things that did not stop the run but may explain a failure (no tools, small context, ...). */
  warnings: string[];
  /** The queue it ran in (one per server). */
  queue?: string;
}

export interface SmokeSummary {
  pass: number;
  fail: number;
  skipped: number;
  notRun: number;
}

export interface SmokeReport {
  ok: boolean;
  /** Ctrl-C stopped the test (exit 130). */
  interrupted?: boolean;
  results: SmokeResult[];
  summary: SmokeSummary;
  durationMs: number;
}

export interface SmokeProgress {
  start(result: SmokeResult): void;
  end(result: SmokeResult): void;
}

export interface SmokeOptions {
  state: HomeState;
  codex: CodexInfo;
  env: NodeJS.ProcessEnv;
  /** Profiles to test, in this order; ignored with `all`. */
  names?: string[];
  all?: boolean;
  includeHosted?: boolean;
  timeoutMs?: number;
  prompt?: string;
  progress?: SmokeProgress;
  /** Per HTTP request of the pre-check probes (default 2000). */
  probeTimeoutMs?: number;
  /** Probes already started (`createProbes`, `startEarlyProbes`); default: a new cache. */
  probes?: ProbeCache;
  /** Hosted profiles a person agreed to send the prompt to (without `includeHosted`). */
  hostedAllowed?: ReadonlySet<string>;
  /** Ctrl-C: runs in flight are stopped, the rest not started; their results say `interrupted`. */
  signal?: AbortSignal;
}

/** Seams for unit tests: the codex runner and the server probe. */
export interface SmokeDeps {
  exec?: (opts: ExecOptions) => Promise<ExecResult>;
  probe?: ProbeFn;
  now?: () => number;
}

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
// Selection and pre-checks

const BUILT_IN = new Set<string>(CODEX_RESERVED_PROVIDER_IDS);
const PLAIN_ID = /^[A-Za-z0-9_-]+$/;

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Names to test, in order, each once. */
export function selectNames(state: HomeState, names: string[] | undefined, all: boolean | undefined): string[] {
  const list = all ? state.profiles.map((p) => p.name) : (names ?? []);
  return [...new Set(list)];
}

interface Chosen {
  profile: Profile;
  profileV2: boolean;
  warnings: string[];
}

type Skip = { code: string; message: string; fix?: string };

function codexLabel(codex: CodexInfo): string {
  return codex.version ? `codex ${codex.version}` : 'this codex';
}

/** Which profile `name` is for this codex, and how to select it; or why it cannot be run. */
export function chooseProfile(state: HomeState, codex: CodexInfo, name: string): Chosen | Skip {
  const file = state.profiles.find((p) => p.name === name && p.layout === 'file');
  const table = state.profiles.find((p) => p.name === name && p.layout === 'table');
  const label = codexLabel(codex);
  const fileName = `${name}.config.toml`;

  if (codex.layout === 'file') {
    if (!isValidProfileName(name)) {
      return {
        code: 'invalid_profile_name',
        message: `\`${name}\` is not a profile name ${label} accepts (letters, digits, - and _ only).`,
        fix: 'Rename the profile; a model id such as `gpt-oss:20b` is not a profile name.',
      };
    }
    if (state.profileSelector !== undefined) {
      return {
        code: 'legacy_profile',
        message: `config.toml has a legacy \`profile = "${state.profileSelector}"\` line; ${label} refuses to run at all while it is there.`,
        fix: 'Run `codex-profiles migrate` (it moves legacy profiles into NAME.config.toml files and removes the selector).',
      };
    }
    if (table) {
      return {
        code: 'legacy_profile',
        message: file
          ? `config.toml still has [profiles.${name}] (line ${table.line ?? '?'}); ${label} refuses \`-p ${name}\` while it is there.`
          : `${name} exists only as [profiles.${name}] in config.toml (line ${table.line ?? '?'}), which ${label} does not read: ` +
            `\`-p ${name}\` would silently run the base config instead.`,
        fix: 'Run `codex-profiles migrate` to move it into ' + fileName + '.',
      };
    }
    if (!file) {
      return {
        code: 'profile_not_found',
        message: `${profileFilePath(state.home, name)} does not exist; ${label} would silently run the base config (possibly a hosted model) instead.`,
        fix: `Create it first (\`codex-profiles add\`), or check the name (\`codex-profiles list\`).`,
      };
    }
    return { profile: file, profileV2: false, warnings: [] };
  }

  // Table era (<= 0.133): -p reads [profiles.NAME]; 0.131-0.133 read NAME.config.toml with --profile-v2.
  if (table) {
    const warnings = file ? [`${fileName} exists too; ${label} reads [profiles.${name}] with -p, so the table was tested.`] : [];
    return { profile: table, profileV2: false, warnings };
  }
  if (file) {
    if (codex.profileV2) return { profile: file, profileV2: true, warnings: [] };
    return {
      code: 'profile_file_unsupported',
      message: `${name} is a profile file (${fileName}), which ${label} cannot read (profile files need codex 0.131 or newer).`,
      fix: 'Update codex (npm install -g @openai/codex), or keep this profile as a [profiles.NAME] table in config.toml.',
    };
  }
  return {
    code: 'profile_not_found',
    message: `config.toml has no [profiles.${name}] table${codex.profileV2 ? ` and there is no ${fileName}` : ''}.`,
    fix: `Create it first (\`codex-profiles add\`), or check the name (\`codex-profiles list\`).`,
  };
}

/** Provider tables in config.toml and in the profile's own file (file layout). */
function providerTables(state: HomeState, profile: Profile): Array<{ id: string; table: Record<string, unknown>; file: string }> {
  const out: Array<{ id: string; table: Record<string, unknown>; file: string }> = [];
  const add = (mp: unknown, file: string) => {
    if (!isTable(mp)) return;
    for (const [id, table] of Object.entries(mp)) if (isTable(table)) out.push({ id, table, file });
  };
  add(state.config?.data.model_providers, state.configPath);
  if (profile.layout === 'file') add(profile.values.model_providers, profile.path);
  return out;
}

/** Configuration codex refuses to load at all (seen on 0.131, 0.133 and 0.169). */
export function configRejection(state: HomeState, profile: Profile): Skip | undefined {
  for (const { id, table, file } of providerTables(state, profile)) {
    if (BUILT_IN.has(id)) {
      return {
        code: 'config_error',
        message: `${file} redefines the built-in provider id \`${id}\` ([model_providers.${id}]); codex refuses to load it.`,
        fix: `Rename the table (e.g. [model_providers.${id}-local]) and point model_provider at the new id.`,
      };
    }
    if (table.wire_api === 'chat') {
      return {
        code: 'config_error',
        message: `[model_providers.${id}] in ${file} sets wire_api = "chat", which codex no longer supports; it refuses to load the config.`,
        fix: 'Set wire_api = "responses" (the only value codex accepts).',
      };
    }
  }
  return undefined;
}

function modelFix(kind: string, model: string): string {
  if (!isServerKindId(kind)) return 'Install the model on that server, or fix `model` in the profile.';
  return `Get it yourself: \`${serverKind(kind).getModel(model)}\` (codex-profiles never downloads), or fix \`model\` in the profile.`;
}

interface Prepared {
  result: SmokeResult;
  run?: { profile: string; profileV2: boolean; extraArgs: string[]; provider: EffectiveProvider };
}

/** Where the URL of a provider comes from, for the fix (nothing for the built-in default). */
export function urlSourceOf(provider: EffectiveProvider): string | undefined {
  if (!provider.builtIn) return 'base_url in its [model_providers] table';
  return provider.serverUrl && !/:(11434|1234)\/?$/.test(provider.serverUrl) ? 'CODEX_OSS_BASE_URL / CODEX_OSS_PORT' : undefined;
}

function base(name: string): SmokeResult {
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

async function prepare(opts: SmokeOptions, probes: ProbeCache, name: string): Promise<Prepared> {
  const { state, codex, env } = opts;
  const result = base(name);
  const chosen = chooseProfile(state, codex, name);
  if ('code' in chosen) {
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
    return skip(result, chosen);
  }
  const { profile } = chosen;
  result.layout = profile.layout;
  result.path = profile.path;
  if (profile.line !== undefined) result.line = profile.line;
  result.selectWith = chosen.profileV2 ? '--profile-v2' : codex.profileFlag || '-p';
  result.warnings.push(...chosen.warnings);

  const provider = effectiveProvider(state, profile, env);
  result.provider = provider.id;
  if (provider.model !== undefined) result.model = provider.model;
  if (provider.baseUrl !== undefined) result.providerUrl = provider.baseUrl;
  result.hosted = provider.hosted;

  const rejected = configRejection(state, profile);
  if (rejected) return skip(result, rejected);
  if (!provider.defined) {
    return skip(result, {
      code: 'unknown_provider',
      message: `model_provider = "${provider.id}" names no built-in provider and no [model_providers.${provider.id}] table.`,
      fix: `Add [model_providers.${provider.id}] (name, base_url = "http://127.0.0.1:PORT/v1", wire_api = "responses"), or use ollama / lmstudio.`,
    });
  }
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
  if (provider.model === undefined) {
    return skip(result, {
      code: 'no_model',
      message: 'Neither the profile nor config.toml sets `model`; codex would ask the local server for its own default (a hosted model name).',
      fix: 'Set model = "..." in the profile (`codex-profiles models` lists what is installed).',
    });
  }
  if (provider.serverUrl === undefined) {
    return skip(result, { code: 'unknown_provider', message: `[model_providers.${provider.id}] has no base_url.`, fix: 'Set base_url = "http://127.0.0.1:PORT/v1".' });
  }

  const probe = await probes.get(provider.serverUrl, provider.kind);
  const kindName = probe.kind === 'unknown' ? 'the server' : displayNameOf(probe.kind);
  if (probe.status === 'down' || probe.status === 'not-responding') {
    return skip(result, {
      code: 'provider_down',
      message: `Nothing answers at ${provider.serverUrl} (${describeStatus(probe)}), where codex would send the prompt for provider \`${provider.id}\`.`,
      fix: startFix(provider.kind, urlSourceOf(provider)),
    });
  }
  if (probe.kind !== 'unknown' && probe.responses?.state === 'no') {
    // Codex speaks only the Responses API: the run would fail on its first request.
    return skip(result, {
      code: 'no_responses_api',
      message: `${kindName} at ${provider.serverUrl} has no /v1/responses (${probe.responses.evidence}); codex only speaks the Responses API.`,
      fix: `${serverKind(probe.kind).fixes.noResponses.replace(/^./, (c) => c.toUpperCase())}.`,
    });
  }
  if (probe.kind === 'unknown') {
    result.warnings.push(`${provider.serverUrl} answers but is neither Ollama nor LM Studio (${probe.reason ?? 'unrecognised'}); the model was not checked.`);
    return { result, run: runPlan };
  }
  if (probe.kind === 'ollama') {
    if (ollamaTooOld(probe.version)) {
      return skip(result, {
        code: 'ollama_too_old',
        message: `Ollama ${probe.version} at ${provider.serverUrl} is too old: codex needs the Responses API, supported from Ollama ${OLLAMA_MIN_VERSION}.`,
        fix: 'Update Ollama (https://ollama.com/download).',
      });
    }
    if (probe.version === undefined) result.warnings.push(`Ollama at ${provider.serverUrl} did not say its version (GET /api/version); it needs ${OLLAMA_MIN_VERSION} or newer.`);
  }
  const model = findInstalled(probe, provider.model);
  if (!model) {
    return skip(result, {
      code: 'model_missing',
      message: `${kindName} at ${provider.serverUrl} does not have \`${provider.model}\` (it has ${probe.models.length === 0 ? 'no models' : probe.models.slice(0, 5).map((m) => `\`${m.id}\``).join(', ') + (probe.models.length > 5 ? ', ...' : '')}).`,
      fix: modelFix(probe.kind, provider.model),
    });
  }
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
  const blocking = model.hints.find((h) => h.level === 'error');
  if (blocking) {
    return skip(result, { code: SMOKE_CODE[blocking.code] ?? blocking.code.toLowerCase(), message: `\`${model.id}\`: ${blocking.message}.`, fix: blocking.fix ? `${blocking.fix}.` : undefined });
  }
  for (const h of model.hints) {
    if (h.code === 'MODEL_CONTEXT_SMALL' || h.code === 'CONTEXT_SMALL') result.warnings.push(h.message);
  }
  const windowKey = profile.values.model_context_window;
  if (typeof windowKey === 'number' && model.contextLength !== undefined && windowKey > model.contextLength) {
    result.warnings.push(`model_context_window = ${windowKey} is more than the model's ${formatTokens(model.contextLength)}.`);
  }
  return { result, run: runPlan };
}

// ---------------------------------------------------------------------------------------------
// Verdict

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Judges one finished run (pure: unit-tested). */
export function judgeRun(result: SmokeResult, provider: EffectiveProvider, r: ExecResult): SmokeResult {
  const out: SmokeResult = { ...result, warnings: [...result.warnings] };
  out.args = r.args;
  out.durationMs = r.durationMs;
  out.timedOut = r.timedOut;
  out.exitCode = r.exitCode;
  if (r.finalMessage !== undefined) out.answer = r.finalMessage;
  if (r.reportedProvider !== undefined) out.reportedProvider = r.reportedProvider;
  if (r.reportedModel !== undefined) out.reportedModel = r.reportedModel;
  const setFail = (status: SmokeStatus, code: string, message: string, fix?: string) => {
    out.status = status;
    out.code = code;
    out.message = message;
    if (fix !== undefined) out.fix = fix;
    return out;
  };

  if (r.skipped) return setFail('skipped', r.failure?.code ?? 'unknown', r.failure?.message ?? 'codex was not started.', r.failure?.fix);

  const wrongProvider = r.reportedProvider !== undefined && r.reportedProvider !== provider.id;
  const wrongModel = r.reportedModel !== undefined && provider.model !== undefined && r.reportedModel !== provider.model;
  if (wrongProvider || wrongModel) {
    return setFail(
      'fail',
      'wrong_target',
      `codex used provider \`${r.reportedProvider ?? '?'}\` and model \`${r.reportedModel ?? '?'}\`, but the profile says ` +
        `\`${provider.id}\` and \`${provider.model ?? '(default)'}\`: the prompt went somewhere else.`,
      'Check the profile is where this codex reads it (`codex-profiles audit`), and that nothing overrides model / model_provider.',
    );
  }
  if (r.reportedProvider === undefined && r.reportedModel === undefined && r.exitCode === 0) {
    out.warnings.push('codex printed no provider:/model: lines, so where the prompt went could not be confirmed.');
  }
  if (!r.ok) {
    const f = r.failure ?? { code: 'unknown' as const, message: `codex failed (exit code ${r.exitCode ?? 'none'}).` };
    return setFail('fail', f.code, f.message, f.fix);
  }
  const answer = r.finalMessage ?? '';
  const verdict = judgeAnswer(answer, EXPECTED_ANSWER);
  if (verdict.pass) {
    if (!verdict.exact) out.warnings.push(`the model answered ${JSON.stringify(oneLine(answer))}: counted as "${EXPECTED_ANSWER}" (only case, a trailing period, emphasis or quotes differ).`);
    out.status = 'pass';
    return out;
  }
  return setFail(
    'fail',
    'wrong_answer',
    `the model answered ${JSON.stringify(oneLine(answer))} instead of exactly "${EXPECTED_ANSWER}".`,
    'A model that cannot follow a one-line instruction will not drive Codex well: try a larger or instruction-tuned model.',
  );
}

export function summarize(results: SmokeResult[]): SmokeSummary {
  const s: SmokeSummary = { pass: 0, fail: 0, skipped: 0, notRun: 0 };
  for (const r of results) {
    if (r.status === 'pass') s.pass++;
    else if (r.status === 'fail') s.fail++;
    else if (r.status === 'skipped') s.skipped++;
    else s.notRun++;
  }
  return s;
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
      const r = await exec({
        codex: opts.codex,
        codexHome: opts.state.home,
        profile: run.profile,
        profileV2: run.profileV2,
        prompt: opts.prompt ?? SMOKE_PROMPT,
        timeoutMs,
        extraArgs: run.extraArgs,
        pin: { provider: run.provider.id, model: run.provider.model },
        env: opts.env,
        providerUrl: run.provider.baseUrl,
        signal: opts.signal,
        hosted: running.hosted,
      });
      const done = r.aborted ? interruptedResult(judgeRun(running, run.provider, r), true) : judgeRun(running, run.provider, r);
      opts.progress?.end(done);
      return done;
    },
  );
  const summary = summarize(results);
  const report: SmokeReport = { ok: summary.fail === 0 && summary.skipped === 0, results, summary, durationMs: now() - started };
  if (opts.signal?.aborted) report.interrupted = true;
  return report;
}
