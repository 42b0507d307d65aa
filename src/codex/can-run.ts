/**
 * The one answer to "can this Codex run profile NAME?", as coded diagnostics: which profile
 * `-p NAME` reads in this Codex era, configuration Codex refuses to load, and a provider and
 * model Codex can use. The smoke test's pre-flight (src/verify/smoke-preflight.ts), compare's
 * pre-flight (src/route/compare-preflight.ts) and the audit rules (src/verify/audit-rules*.ts)
 * all ask here, so a fact has one wording and one code everywhere.
 *
 * A diagnostic's code is the id of the audit rule that reports the same fact statically;
 * `RUN_CODES` gives the code `codex-profiles test` (and `codex exec` failures) use for it, so the
 * audit knows which smoke-test skip a static finding already explains.
 */
import type { Diagnostic, Place, Severity } from '../diagnostic.js';
import { isValidProfileName, profileFilePath, type HomeState, type Profile } from '../config/profiles.js';
import { isTable } from '../config/toml-table.js';
import { effectiveProvider, type EffectiveProvider } from '../verify/provider-of.js';
import { isReservedProviderId } from './builtins.js';
import { codexLabel, type CodexInfo } from './detect.js';

/** Each reason a profile cannot run -> the code of a smoke test skipped for it. */
export const RUN_CODES = {
  'invalid-profile-name': 'invalid_profile_name',
  'legacy-profile-selector': 'legacy_profile',
  'legacy-profile-table': 'legacy_profile',
  'profile-not-found': 'profile_not_found',
  'profile-file-unsupported': 'profile_file_unsupported',
  'builtin-provider-redefined': 'config_error',
  'wire-api-chat': 'config_error',
  'unknown-provider': 'unknown_provider',
  'provider-no-url': 'unknown_provider',
  'model-unset': 'no_model',
  // What the profile's server says (src/codex/can-run-server.ts).
  'provider-unreachable': 'provider_down',
  'no-responses-api': 'no_responses_api',
  'ollama-too-old': 'ollama_too_old',
  'model-not-installed': 'model_missing',
  'model-no-tools': 'no_tool_support',
} as const;

export type CanRunCode = keyof typeof RUN_CODES;

export interface CanRunDiagnostic extends Diagnostic {
  code: CanRunCode;
}

/** The smoke-test code of a can-run code (undefined for any other code, e.g. an audit-only rule). */
export function runCodeOf(code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(RUN_CODES, code) ? RUN_CODES[code as CanRunCode] : undefined;
}

export const MIGRATE_FIX = 'Run `codex-profiles migrate` (it moves [profiles.NAME] tables into NAME.config.toml files and removes the legacy selector).';
const CREATE_FIX = 'Create it first (`codex-profiles add`), or check the name (`codex-profiles list`).';

function fact(code: CanRunCode, severity: Severity, message: string, fix: string, place?: Place): CanRunDiagnostic {
  const d: CanRunDiagnostic = { code, severity, message, fix };
  if (place) d.place = place;
  return d;
}

// ---------------------------------------------------------------------------------------------
// The facts, one builder each

/** A name this Codex rejects (an error from 0.134, a warning before: the next Codex rejects it). */
export function invalidProfileName(codex: CodexInfo, name: string, place?: Place): CanRunDiagnostic {
  const message = name.startsWith('-')
    ? `\`${name}\` starts with \`-\`: on a command line it reads as flags, so it cannot be tested; remove it with \`codex-profiles remove -- ${name}\`.`
    : codex.layout === 'file'
      ? `\`${name}\` is not a profile name ${codexLabel(codex)} accepts (letters, digits, - and _ only): \`-p ${name}\` fails with "pass a plain name".`
      : `\`${name}\` will not be accepted as a profile name from codex 0.134 on.`;
  const fix = 'Rename the profile using letters, digits, - and _ only (a model id such as `gpt-oss:20b` is not a profile name).';
  return fact('invalid-profile-name', codex.layout === 'file' ? 'error' : 'warn', message, fix, place);
}

/** From 0.134 a top-level `profile = "X"` makes Codex refuse every run (domain.md, seen on 0.169). */
export function legacySelector(state: HomeState, codex: CodexInfo): CanRunDiagnostic | undefined {
  if (codex.layout !== 'file' || state.profileSelector === undefined) return undefined;
  return fact(
    'legacy-profile-selector',
    'error',
    `\`profile = "${state.profileSelector}"\` in config.toml is a legacy selector: ${codexLabel(codex)} refuses to run at all while it is there (with or without -p).`,
    MIGRATE_FIX,
    { file: state.configPath, line: state.config?.lineOf(['profile']) },
  );
}

/** From 0.134 `[profiles.NAME]` is not read, and `-p NAME` fails while it sits beside NAME.config.toml. */
export function legacyTable(state: HomeState, codex: CodexInfo, table: Profile): CanRunDiagnostic {
  const name = table.name;
  const alsoFile = state.profiles.some((p) => p.layout === 'file' && p.name === name);
  const at = `[profiles.${name}] in config.toml${table.line !== undefined ? ` (line ${table.line})` : ''}`;
  const message = alsoFile
    ? `${at} is a legacy profile table: ${codexLabel(codex)} refuses \`-p ${name}\` while it exists beside ${name}.config.toml.`
    : `${at} is a legacy profile table that ${codexLabel(codex)} does not read: \`-p ${name}\` silently runs the base config instead.`;
  return fact('legacy-profile-table', 'error', message, MIGRATE_FIX, { file: table.path, line: table.line, table: `profiles.${name}` });
}

/**
 * A profile file this Codex cannot select: <= 0.130 reads none, 0.131-0.133 only with
 * `--profile-v2`, which a caller may not pass (compare selects with `-p`).
 */
export function profileFileUnsupported(codex: CodexInfo, file: Profile): CanRunDiagnostic {
  const name = file.name;
  const label = codexLabel(codex);
  return codex.profileV2
    ? fact(
        'profile-file-unsupported',
        'error',
        `${name} is a profile file (${name}.config.toml), which ${label} reads only with --profile-v2; \`-p ${name}\` reads [profiles.${name}] in config.toml.`,
        `Keep it as a [profiles.${name}] table in config.toml (\`codex-profiles migrate --to tables\`), or update codex to 0.134 or newer.`,
        { file: file.path },
      )
    : fact(
        'profile-file-unsupported',
        'error',
        `${name} is a profile file (${name}.config.toml), which ${label} cannot read (profile files need codex 0.131 or newer).`,
        'Update codex (npm install -g @openai/codex), or keep this profile as a [profiles.NAME] table in config.toml.',
        { file: file.path },
      );
}

function profileNotFound(state: HomeState, codex: CodexInfo, name: string, readsFiles: boolean): CanRunDiagnostic {
  if (codex.layout === 'file') {
    const file = profileFilePath(state.home, name);
    return fact('profile-not-found', 'error', `${file} does not exist; ${codexLabel(codex)} would silently run the base config (possibly a hosted model) instead.`, CREATE_FIX, { file });
  }
  const alsoNoFile = readsFiles ? ` and there is no ${name}.config.toml` : '';
  return fact('profile-not-found', 'error', `config.toml has no [profiles.${name}] table${alsoNoFile}.`, CREATE_FIX, { file: state.configPath });
}

/** `[model_providers.ID]` tables Codex refuses to load the whole config for. */
export function providerTableProblem(id: string, table: Record<string, unknown>, place: Place & { file: string }): CanRunDiagnostic | undefined {
  if (isReservedProviderId(id)) {
    return fact(
      'builtin-provider-redefined',
      'error',
      `[model_providers.${id}] in ${place.file} redefines the built-in provider id \`${id}\`: codex refuses to load the config ("reserved built-in provider IDs").`,
      `Rename it (e.g. [model_providers.${id}-local]) and set model_provider = "${id}-local" where it is used; for the default local URL, drop the table and use the built-in \`${id}\`.`,
      place,
    );
  }
  if (table.wire_api === 'chat') {
    return fact(
      'wire-api-chat',
      'error',
      `[model_providers.${id}] in ${place.file} sets wire_api = "chat", which codex no longer supports: it refuses to load the config.`,
      'Set wire_api = "responses" (Ollama 0.13.4+ and LM Studio 0.3.29+ serve /v1/responses).',
      place,
    );
  }
  return undefined;
}

export function unknownProvider(id: string, place?: Place): CanRunDiagnostic {
  return fact(
    'unknown-provider',
    'error',
    `model_provider = "${id}" is not a built-in provider and no [model_providers.${id}] table defines it: codex cannot run with it.`,
    `Add [model_providers.${id}] with name, base_url = "http://127.0.0.1:PORT/v1" and wire_api = "responses", or use ollama / lmstudio.`,
    place,
  );
}

export function modelUnset(place?: Place): CanRunDiagnostic {
  return fact(
    'model-unset',
    'error',
    'Neither the profile nor config.toml sets `model`: codex would ask the local server for its own default, a hosted model name.',
    'Set model = "..." in the profile (`codex-profiles models` lists what is installed).',
    place,
  );
}

// ---------------------------------------------------------------------------------------------
// The answer for one name

export interface Selection {
  profile: Profile;
  /** Select it with `--profile-v2` (0.131-0.133 reading NAME.config.toml) instead of `-p`. */
  profileV2: boolean;
  warnings: string[];
}

export interface SelectOptions {
  /** The caller can select a profile file with `--profile-v2` on 0.131-0.133 (default true). */
  profileV2?: boolean;
}

/**
 * Which profile `-p NAME` (or `--profile-v2 NAME`) reads in this Codex, and every reason the
 * selection fails, the one Codex stops at first first. No selection when there are problems.
 */
export function selectProfile(state: HomeState, codex: CodexInfo, name: string, opts: SelectOptions = {}): { selection?: Selection; problems: CanRunDiagnostic[] } {
  const file = state.profiles.find((p) => p.name === name && p.layout === 'file');
  const table = state.profiles.find((p) => p.name === name && p.layout === 'table');
  const canV2 = codex.profileV2 && opts.profileV2 !== false;

  if (codex.layout === 'file') {
    const problems: CanRunDiagnostic[] = [];
    if (!isValidProfileName(name)) problems.push(invalidProfileName(codex, name, file ? { file: file.path } : undefined));
    const selector = legacySelector(state, codex);
    if (selector) problems.push(selector);
    if (table) problems.push(legacyTable(state, codex, table));
    else if (!file) problems.push(profileNotFound(state, codex, name, true));
    return problems.length > 0 || !file ? { problems } : { selection: { profile: file, profileV2: false, warnings: [] }, problems };
  }

  // Table era (<= 0.133): -p reads [profiles.NAME]; 0.131-0.133 read NAME.config.toml with --profile-v2.
  if (table) {
    const warnings = file ? [`${name}.config.toml exists too; ${codexLabel(codex)} reads [profiles.${name}] with -p, so the table was tested.`] : [];
    return { selection: { profile: table, profileV2: false, warnings }, problems: [] };
  }
  if (file) {
    if (canV2) return { selection: { profile: file, profileV2: true, warnings: [] }, problems: [] };
    return { problems: [profileFileUnsupported(codex, file)] };
  }
  return { problems: [profileNotFound(state, codex, name, canV2)] };
}

/** Provider tables in config.toml and in the profile's own file (file layout). */
export function providerTableProblems(state: HomeState, profile: Profile): CanRunDiagnostic[] {
  const out: CanRunDiagnostic[] = [];
  const scan = (mp: unknown, file: string) => {
    if (!isTable(mp)) return;
    for (const [id, table] of Object.entries(mp)) {
      const d = isTable(table) ? providerTableProblem(id, table, { file, table: `model_providers.${id}` }) : undefined;
      if (d) out.push(d);
    }
  };
  scan(state.config?.data.model_providers, state.configPath);
  if (profile.layout === 'file') scan(profile.values.model_providers, profile.path);
  return out;
}

/** A provider Codex cannot use for a local run: undefined, no model, no URL (hosted: only undefined). */
export function providerProblems(provider: EffectiveProvider): CanRunDiagnostic[] {
  if (!provider.defined) return [unknownProvider(provider.id)];
  if (provider.hosted) return [];
  if (provider.model === undefined) return [modelUnset()];
  if (provider.serverUrl === undefined) {
    return [fact('provider-no-url', 'error', `[model_providers.${provider.id}] has no base_url: codex has nowhere to send the prompt.`, 'Set base_url = "http://127.0.0.1:PORT/v1".')];
  }
  return [];
}

export interface CanRun {
  /** The profile `-p NAME` reads, and how to select it (none when it cannot be selected). */
  selection?: Selection;
  provider?: EffectiveProvider;
  /** Why it cannot run, the first one Codex would stop at first; empty: nothing static stops it. */
  problems: CanRunDiagnostic[];
}

/** Whether this Codex can run profile `name`, without contacting anything (the server: can-run-server.ts). */
export function canRun(state: HomeState, codex: CodexInfo, name: string, env: NodeJS.ProcessEnv, opts: SelectOptions = {}): CanRun {
  const { selection, problems } = selectProfile(state, codex, name, opts);
  if (!selection) return { problems };
  const provider = effectiveProvider(state, selection.profile, env);
  return { selection, provider, problems: [...providerTableProblems(state, selection.profile), ...providerProblems(provider)] };
}
