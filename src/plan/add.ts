import type { CodexInfo } from '../codex/detect.js';
import { planMergeTable, planSetTopLevel, planWriteProfile, type ProfileSpec } from '../config/profile-writer.js';
import type { HomeState } from '../config/profiles.js';
import { emptyPlan, type Plan } from '../write/plan.js';
import { CliError, ConfigError, EXIT_CHECK_FAILED, UsageError } from '../errors.js';
import { findModel, isUsableForProfiles } from '../discover/discover.js';
import { ollamaContextFromEnv } from '../discover/hints.js';
import type { DiscoveryResult, Hint, ModelRecord, ProviderId, ProviderReport } from '../discover/types.js';
import { SERVER_KIND_IDS, displayNameOf, serverKind } from '../discover/registry.js';
import { suggestProfileName } from '../config/naming.js';
import { providerTargetFor } from './provider-target.js';
import { DEFAULT_PROVIDER, hostedBuiltInVerdict, localityOfModel, LOCALITY_WORDS, type LocalityVerdict } from '../codex/destination.js';
import { webSearchPlan, WEB_SEARCH_KEY } from '../codex/web-search.js';

/** One profile to add, as the wizard or `add` flags describe it. */
export interface ProfileRequest {
  model: string;
  /** Local provider; absent for hosted profiles. */
  provider?: ProviderId;
  hosted?: boolean;
  name?: string;
  /** `model_context_window`: a number, `false` for none, undefined for the model's known context. */
  contextWindow?: number | false;
  /** The server to use (`apply`: one discovery per URL); default: discovery's report for the provider. */
  report?: ProviderReport;
}

export interface PlanOptions {
  force?: boolean;
  allowMissing?: boolean;
  /** Write models without tool support (an error everywhere else). */
  allowNoTools?: boolean;
  /** Keep Codex's web_search tool on (default: `web_search = "disabled"` where Codex takes it). */
  webSearch?: boolean;
  /** Write profiles for models that run in the cloud (Ollama cloud models). */
  allowCloud?: boolean;
  /** Set `oss_provider` to this. */
  ossProvider?: ProviderId;
  /** URL flags per kind (for a kind that was not discovered: --allow-missing). */
  urls?: Partial<Record<ProviderId, string>>;
  /** `--api-key-env`: the variable Codex reads the bearer token from (`env_key`). */
  apiKeyEnv?: string;
  env: NodeJS.ProcessEnv;
}

export interface PlannedProfile {
  name: string;
  provider: string;
  model: string;
  kind: ProfileSpec['kind'];
  layout: CodexInfo['layout'];
  model_context_window?: number;
  /** Where model_context_window's figure came from (`/api/ps context_length`, `OLLAMA_CONTEXT_LENGTH`, `--context-window`). */
  contextWindowSource?: string;
  /** Discovery's judgement of the model (no tools, small context...), as judgeModel gives it. */
  hints: Hint[];
  /** Where its prompts go (src/codex/destination.ts). */
  locality?: LocalityVerdict;
  /** The profile already existed with these exact settings: nothing to do. */
  unchanged?: boolean;
}

export interface ProfilesPlan {
  plan: Plan;
  profiles: PlannedProfile[];
}


/**
 * The context Codex should assume (`model_context_window`): what the server really runs the
 * model with. The model's own maximum is not it: a model that is not loaded runs with the
 * server's default (Ollama: 4096 below 24 GiB of VRAM, or OLLAMA_CONTEXT_LENGTH), and telling
 * Codex 128k while the server keeps 4k makes the server cut the prompt silently. Unknown:
 * undefined (nothing is written; discovery's hint says how to raise the server's context).
 */
export function contextFor(model: ModelRecord | undefined, env: NodeJS.ProcessEnv = {}): number | undefined {
  if (!model) return undefined;
  if (model.runtimeContextLength !== undefined) return model.runtimeContextLength;
  if (model.provider === 'ollama') {
    const fromEnv = ollamaContextFromEnv(env);
    if (fromEnv !== undefined) return model.contextLength !== undefined ? Math.min(fromEnv, model.contextLength) : fromEnv;
  }
  return undefined;
}

/** Where contextFor's figure comes from, said next to it (never the trained maximum). */
export function contextSourceFor(model: ModelRecord | undefined, env: NodeJS.ProcessEnv = {}): string | undefined {
  if (!model) return undefined;
  if (model.runtimeContextLength !== undefined) return model.sources.runtimeContextLength ?? 'the context the server reports for the model';
  if (model.provider === 'ollama' && ollamaContextFromEnv(env) !== undefined) return 'OLLAMA_CONTEXT_LENGTH in this environment (the server must run with it too)';
  return undefined;
}

function reportFor(discovery: DiscoveryResult | undefined, provider: ProviderId): ProviderReport | undefined {
  return discovery?.providers.find((p) => p.provider === provider);
}

/**
 * Plan profiles for a set of requests: one path for `add`, `setup --yes` and the wizard.
 * Refuses models the provider does not have (unless allowMissing), embedding-only models, names
 * Codex rejects, and (without force) names that exist. Never downloads anything.
 */
export function planProfiles(state: HomeState, codex: CodexInfo, discovery: DiscoveryResult | undefined, requests: ProfileRequest[], opts: PlanOptions): ProfilesPlan {
  const plan = emptyPlan(state.home);
  for (const w of codex.warnings) plan.warnings.push(w);
  const taken = new Set(state.profiles.map((p) => p.name));
  const out: PlannedProfile[] = [];
  const localityOf = new Map<string, PlannedProfile['locality']>();

  const locality = (name: string) => {
    const l = localityOf.get(name);
    return { locality: l ?? hostedBuiltInVerdict(DEFAULT_PROVIDER, 'a hosted profile', state) };
  };
  for (const req of requests) {
    let spec: ProfileSpec;
    let hints: Hint[] = [];
    let contextWindowSource: string | undefined;
    if (req.hosted) {
      if (!req.name) throw new UsageError('a hosted profile needs a name.', 'Pass --name, e.g. --name hosted-gpt.');
      spec = { name: req.name, kind: 'hosted', provider: 'openai', model: req.model };
    } else {
      const provider = req.provider;
      if (!provider) throw new UsageError(`say which provider serves ${req.model}.`, `Pass --provider (${SERVER_KIND_IDS.join(', ')}), or --hosted.`);
      const report = req.report ?? reportFor(discovery, provider);
      const label = displayNameOf(provider);
      if (!report || report.status !== 'up') {
        if (!opts.allowMissing) {
          throw new ConfigError(
            `${label} is not reachable${report ? ` at ${report.url} (${report.reason ?? report.status})` : ''}, so ${req.model} cannot be checked.`,
            `Start ${label} and run again, or pass --allow-missing to write the profile anyway.`,
            'PROVIDER_DOWN',
          );
        }
      }
      const model = report ? findModel([report], provider, req.model) : undefined;
      if (!model && report?.status === 'up' && !opts.allowMissing) {
        throw new ConfigError(
          `${req.model} is not installed in ${label} (${report.url}).`,
          `Get it first: \`${serverKind(provider).getModel(req.model)}\` (codex-profiles never downloads models), or pass --allow-missing.`,
          'MODEL_NOT_FOUND',
        );
      }
      if (model && !isUsableForProfiles(model)) {
        throw new ConfigError(`${req.model} is an embedding model; it cannot answer prompts, so it cannot back a Codex profile.`, undefined, 'MODEL_UNSUITABLE');
      }
      hints = (model?.hints ?? []).filter((h) => h.level !== 'info');
      // The id the server lists: `qwen2.5-coder` becomes `qwen2.5-coder:latest` on Ollama.
      const modelId = model?.id ?? req.model;
      const defaultUrl = serverKind(provider).defaultUrl;
      const serverUrl = report?.url ?? opts.urls?.[provider] ?? defaultUrl;
      if (serverUrl === undefined) throw new UsageError(`${label} has no default address.`, `Pass ${serverKind(provider).urlFlag} with the server's URL.`);
      const target = providerTargetFor(provider, serverUrl, opts.env, opts.apiKeyEnv);
      if (report?.responses?.state === 'no' && !opts.allowMissing) {
        throw new ConfigError(
          `${label} at ${report.url} has no /v1/responses (${report.responses.evidence}); Codex only speaks the Responses API, so this profile could not work.`,
          `Fix: ${serverKind(provider).fixes.noResponses}. Or pass --allow-missing to write it anyway.`,
        );
      }
      // Table-era Codex ignores a provider table nested in a profile: config.toml's top level then.
      const tableInProfile = target.table !== undefined && target.tableHome === 'profile' && codex.layout === 'file';
      if (target.table && !tableInProfile) planMergeTable(plan, state, ['model_providers', target.id], target.table);
      if (target.remote) plan.warnings.push(`${req.model} runs on ${target.url}: prompts sent with this profile leave this machine.`);
      const where = localityOfModel(provider, target.url, { id: modelId, ...(model?.remoteHost ? { remoteHost: model.remoteHost } : {}), ...(model?.device ? { device: model.device } : {}) });
      if (where.locality === 'cloud') {
        if (!opts.allowCloud) {
          throw new ConfigError(
            `${modelId} does not run on this machine: ${where.reason}. Prompts sent with this profile would go to ${where.place ?? 'a hosted service'}.`,
            'Pass --allow-cloud to write it anyway, or pick a local model (`codex-profiles models`).',
            'HOSTED_NOT_ALLOWED',
          );
        }
        plan.warnings.push(`${modelId}: ${where.reason}; prompts sent with this profile go to ${where.place ?? 'a hosted service'} (${LOCALITY_WORDS.cloud}).`);
      } else if (where.locality === 'network' && !target.remote) {
        plan.warnings.push(`${modelId}: ${where.reason}; prompts sent with this profile leave this machine.`);
      }
      const extra: Record<string, unknown> = {};
      const ws = webSearchPlan(codex, opts.webSearch === true);
      if (ws.set !== undefined) extra[WEB_SEARCH_KEY] = ws.set;
      if (ws.warning) plan.warnings.push(ws.warning);
      const ctx = req.contextWindow === false ? undefined : req.contextWindow ?? contextFor(model, opts.env);
      if (ctx !== undefined) extra.model_context_window = ctx;
      const ctxSource = ctx === undefined ? undefined : req.contextWindow !== undefined ? '--context-window' : contextSourceFor(model, opts.env);
      const existingSame = state.profiles.find((p) => p.provider === target.id && (p.model === modelId || p.model === req.model));
      const name = req.name ?? (existingSame && !opts.force ? existingSame.name : suggestProfileName(req.model, taken));
      spec = {
        name,
        kind: target.kind,
        provider: target.id,
        model: modelId,
        extra,
        url: target.url,
        server: label,
        ...(tableInProfile ? { providerTable: target.table } : {}),
      };
      contextWindowSource = ctxSource;
      localityOf.set(spec.name, where);
    }

    const existing = state.profiles.find((p) => p.name === spec.name && p.layout === codex.layout);
    const same = existing && existing.provider === spec.provider && existing.model === spec.model &&
      Object.entries(spec.extra ?? {}).every(([k, v]) => existing.values[k] === v);
    if (same) {
      out.push({ name: spec.name, provider: spec.provider, model: spec.model, kind: spec.kind, layout: codex.layout, hints, unchanged: true, ...(spec.extra as object), ...locality(spec.name) });
      continue;
    }
    planWriteProfile(plan, state, spec, codex.layout, { force: opts.force });
    taken.add(spec.name);
    out.push({ name: spec.name, provider: spec.provider, model: spec.model, kind: spec.kind, layout: codex.layout, hints, ...(spec.extra as object), ...(contextWindowSource ? { contextWindowSource } : {}), ...locality(spec.name) });
  }

  refuseErrors(out, opts);
  if (opts.ossProvider) planSetTopLevel(plan, state, 'oss_provider', opts.ossProvider);
  return { plan, profiles: out };
}

/**
 * A model fact of severity error (no tool support: FACT_SEVERITY) stops the whole plan, as it
 * fails audit and test: exit 1, nothing written, unless --allow-no-tools.
 */
function refuseErrors(profiles: PlannedProfile[], opts: PlanOptions): void {
  if (opts.allowNoTools) return;
  const bad = profiles.flatMap((p) => p.hints.filter((h) => h.level === 'error').map((h) => `${p.model}: ${h.message}.`));
  if (bad.length === 0) return;
  const fixes = [...new Set(profiles.flatMap((p) => p.hints.filter((h) => h.level === 'error' && h.fix).map((h) => h.fix!)))];
  throw new CliError(
    `${bad.join('\n')}\nA model without tool support cannot drive Codex; nothing was written.`,
    EXIT_CHECK_FAILED,
    `${fixes.map((f) => `Fix: ${f}.`).join('\n')}\nOr pass --allow-no-tools to write it anyway.`,
    'MODEL_UNSUITABLE',
  );
}
