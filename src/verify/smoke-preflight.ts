/**
 * The smoke test's pre-flight: which profile this codex reads and how to select it, the config
 * codex refuses to load, the provider, its server, the model. A failed check skips the run with
 * the reason; nothing here starts codex.
 */
import type { Diagnostic } from '../diagnostic.js';
import type { CodexInfo } from '../codex/detect.js';
import { isValidProfileName, profileFilePath, type HomeState, type Profile } from '../config/profiles.js';
import { CODEX_RESERVED_PROVIDER_IDS } from '../codex/builtins.js';
import { SMOKE_CODE } from '../diagnostics.js';
import { startFix } from '../discover/fixes.js';
import { formatTokens } from '../discover/hints.js';
import { displayNameOf, isServerKindId, serverKind } from '../discover/registry.js';
import { effectiveProvider, type EffectiveProvider } from './provider-of.js';
import { describeStatus, findInstalled, OLLAMA_MIN_VERSION, ollamaTooOld, type ProbeCache } from './probe.js';
import type { SmokeOptions, SmokeResult } from './smoke-types.js';

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

export type Skip = Pick<Diagnostic, 'code' | 'message' | 'fix'>;

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

export interface Prepared {
  result: SmokeResult;
  run?: { profile: string; profileV2: boolean; extraArgs: string[]; provider: EffectiveProvider };
}

/** Where the URL of a provider comes from, for the fix (nothing for the built-in default). */
export function urlSourceOf(provider: EffectiveProvider): string | undefined {
  if (!provider.builtIn) return 'base_url in its [model_providers] table';
  return provider.serverUrl && !/:(11434|1234)\/?$/.test(provider.serverUrl) ? 'CODEX_OSS_BASE_URL / CODEX_OSS_PORT' : undefined;
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
