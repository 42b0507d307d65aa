/**
 * The audit rules, as data: an id, a severity, what it checks, and a function returning findings
 * with file, line and fix (docs/checks.md lists them).
 */
import { isValidProfileName, type HomeState, type Profile } from '../config/profiles.js';
import { FACT_SEVERITY } from '../diagnostics.js';
import { startFix } from '../discover/fixes.js';
import { CODEX_RESERVED_PROVIDER_IDS } from '../codex/builtins.js';
import { endpointOf, isLoopbackHost } from '../discover/address.js';
import { codexOssUrls } from '../codex/builtins.js';
import { formatTokens } from '../discover/hints.js';
import { displayNameOf, serverKind } from '../discover/registry.js';
import type { ServerKindId } from '../discover/types.js';
import { describeStatus, findInstalled, OLLAMA_MIN_VERSION, ollamaTooOld, type ServerProbe } from './probe.js';
import { urlSourceOf } from './smoke-preflight.js';
import type { AuditRule, Draft } from './audit-types.js';

const BUILT_IN = new Set<string>(CODEX_RESERVED_PROVIDER_IDS);
const MIGRATE_FIX = 'Run `codex-profiles migrate` (it moves [profiles.NAME] tables into NAME.config.toml files and removes the legacy selector).';

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The line of `key` in a profile (its file, or its `[profiles.NAME]` table), else of the profile. */
function keyLine(state: HomeState, profile: Profile, key: string): number | undefined {
  if (profile.layout === 'file') return state.profileFiles.get(profile.name)?.doc?.lineOf([key]);
  return state.config?.lineOf(['profiles', profile.name, key]) ?? profile.line;
}

/** Where a profile's setting comes from: the profile's own key, else config.toml's top-level key. */
function settingAt(state: HomeState, profile: Profile, key: string): { file: string; line?: number } {
  if (profile.values[key] !== undefined) return { file: profile.path, line: keyLine(state, profile, key) };
  if (state.config?.data[key] !== undefined) return { file: state.configPath, line: state.config.lineOf([key]) };
  return { file: profile.path, line: profile.line };
}

interface ProviderTableRef {
  id: string;
  table: Record<string, unknown>;
  file: string;
  line?: number;
  key(k: string): number | undefined;
}

/** Every `[model_providers.ID]` in config.toml and in the profile files. */
function allProviderTables(state: HomeState): ProviderTableRef[] {
  const out: ProviderTableRef[] = [];
  const docs: Array<{ file: string; doc: HomeState['config'] }> = [{ file: state.configPath, doc: state.config }];
  for (const [, entry] of state.profileFiles) docs.push({ file: entry.path, doc: entry.doc });
  for (const { file, doc } of docs) {
    const mp = doc?.data.model_providers;
    if (!doc || !isTable(mp)) continue;
    for (const [id, table] of Object.entries(mp)) {
      if (!isTable(table)) continue;
      out.push({ id, table, file, line: doc.lineOf(['model_providers', id]), key: (k) => doc.lineOf(['model_providers', id, k]) });
    }
  }
  return out;
}

function kindName(probe: ServerProbe | undefined): string {
  return probe && probe.kind !== 'unknown' ? displayNameOf(probe.kind) : 'the server';
}

// ---------------------------------------------------------------------------------------------
// The rules

export const AUDIT_RULES: AuditRule[] = [
  {
    id: 'toml-syntax',
    severity: 'error',
    summary: 'config.toml and every NAME.config.toml must be valid TOML (UTF-8)',
    check: ({ state }) =>
      state.errors.map((e) => ({
        file: e.file,
        line: e.line,
        column: e.column,
        message: `not valid TOML: ${e.reason}; codex cannot read it either.`,
        fix: 'Fix the file at that line (or `codex-profiles restore` a backup).',
      })),
  },
  {
    id: 'legacy-profile-table',
    severity: 'error',
    summary: 'Codex >= 0.134: [profiles.NAME] tables in config.toml are not read (and `-p NAME` fails when NAME.config.toml exists too)',
    check: ({ state, codex }) => {
      if (codex.layout !== 'file') return [];
      return state.profiles
        .filter((p) => p.layout === 'table')
        .map((p) => {
          const alsoFile = state.profiles.some((q) => q.layout === 'file' && q.name === p.name);
          return {
            file: p.path,
            line: p.line,
            profile: p.name,
            message: alsoFile
              ? `[profiles.${p.name}] is a legacy profile table: codex ${codex.version ?? '>= 0.134'} refuses \`-p ${p.name}\` while it exists beside ${p.name}.config.toml.`
              : `[profiles.${p.name}] is a legacy profile table that codex ${codex.version ?? '>= 0.134'} does not read: \`-p ${p.name}\` silently runs the base config instead.`,
            fix: MIGRATE_FIX,
          };
        });
    },
  },
  {
    id: 'legacy-profile-selector',
    severity: 'error',
    summary: 'Codex >= 0.134: a top-level `profile = "NAME"` in config.toml makes every codex run fail',
    check: ({ state, codex }) => {
      if (codex.layout !== 'file' || state.profileSelector === undefined) return [];
      return [
        {
          file: state.configPath,
          line: state.config?.lineOf(['profile']),
          message: `\`profile = "${state.profileSelector}"\` is a legacy selector: codex ${codex.version ?? '>= 0.134'} refuses to run at all while it is there (with or without -p).`,
          fix: MIGRATE_FIX,
        },
      ];
    },
  },
  {
    id: 'profile-file-unsupported',
    severity: 'error',
    summary: 'Codex <= 0.130 does not read NAME.config.toml profile files',
    check: ({ state, codex }) => {
      if (codex.layout !== 'table' || codex.profileV2) return [];
      return state.profiles
        .filter((p) => p.layout === 'file' && !state.profiles.some((q) => q.layout === 'table' && q.name === p.name))
        .map((p) => ({
          file: p.path,
          profile: p.name,
          message: `codex ${codex.version ?? '<= 0.130'} does not read profile files: \`-p ${p.name}\` cannot select this one.`,
          fix: 'Update codex (npm install -g @openai/codex), or write the profile as [profiles.NAME] in config.toml.',
        }));
    },
  },
  {
    id: 'builtin-provider-redefined',
    severity: 'error',
    summary: 'A [model_providers.ID] table for a built-in id (openai, ollama, lmstudio, ...): codex refuses to load the config',
    check: ({ state }) =>
      allProviderTables(state)
        .filter((t) => BUILT_IN.has(t.id))
        .map((t) => ({
          file: t.file,
          line: t.line,
          message: `[model_providers.${t.id}] redefines the built-in provider id \`${t.id}\`; codex stops with "reserved built-in provider IDs".`,
          fix: `Rename it (e.g. [model_providers.${t.id}-local]) and set model_provider = "${t.id}-local" where it is used; for the default local URL, drop the table and use the built-in \`${t.id}\`.`,
        })),
  },
  {
    id: 'wire-api-chat',
    severity: 'error',
    summary: '`wire_api = "chat"`: removed from codex, which refuses to load the config',
    check: ({ state }) =>
      allProviderTables(state)
        .filter((t) => t.table.wire_api === 'chat')
        .map((t) => ({
          file: t.file,
          line: t.key('wire_api') ?? t.line,
          message: `[model_providers.${t.id}] sets wire_api = "chat", which codex no longer supports (it refuses the whole config).`,
          fix: 'Set wire_api = "responses" (Ollama 0.13.4+ and LM Studio 0.3.29+ serve /v1/responses).',
        })),
  },
  {
    id: 'invalid-profile-name',
    severity: 'error',
    summary: 'Profile names must be letters, digits, - and _ (codex >= 0.134 rejects others before running)',
    check: ({ state, codex }) =>
      [...new Map(state.profiles.map((p) => [p.name, p])).values()]
        .filter((p) => !isValidProfileName(p.name))
        .map((p) => ({
          severity: codex.layout === 'file' ? ('error' as const) : ('warn' as const),
          file: p.path,
          line: p.line,
          profile: p.name,
          message: p.name.startsWith('-')
            ? `\`${p.name}\` starts with \`-\`: on a command line it reads as flags, so it cannot be tested; remove it with \`codex-profiles remove -- ${p.name}\`.`
            : codex.layout === 'file'
              ? `\`${p.name}\` is not a profile name codex accepts: \`-p ${p.name}\` fails with "pass a plain name".`
              : `\`${p.name}\` will not be accepted as a profile name from codex 0.134 on.`,
          fix: 'Rename the profile using letters, digits, - and _ only (a model id such as `gpt-oss:20b` is not a profile name).',
        })),
  },
  {
    id: 'unknown-provider',
    severity: 'error',
    summary: 'model_provider names neither a built-in id nor a [model_providers.ID] table',
    check: ({ state, profiles }) => {
      const out: Draft[] = profiles
        .filter((a) => !a.provider.defined)
        .map(({ profile, provider }) => ({
          ...settingAt(state, profile, 'model_provider'),
          profile: profile.name,
          message: `model_provider = "${provider.id}" is not a built-in provider and no [model_providers.${provider.id}] table defines it; codex cannot run this profile.`,
          fix: `Add [model_providers.${provider.id}] with name, base_url = "http://127.0.0.1:PORT/v1" and wire_api = "responses", or use ollama / lmstudio.`,
        }));
      // config.toml's own provider, when no profile covers it.
      const baseId = state.config?.data.model_provider;
      const mp = state.config?.data.model_providers;
      if (typeof baseId === 'string' && !BUILT_IN.has(baseId) && !(isTable(mp) && isTable(mp[baseId])) && !out.some((f) => f.file === state.configPath)) {
        out.push({
          file: state.configPath,
          line: state.config?.lineOf(['model_provider']),
          message: `model_provider = "${baseId}" in config.toml is not a built-in provider and no [model_providers.${baseId}] table defines it.`,
          fix: `Add [model_providers.${baseId}], or set model_provider to a defined id.`,
        });
      }
      return out;
    },
  },
  {
    id: 'model-unset',
    severity: 'error',
    summary: 'A local profile with no `model` (codex would ask the local server for its hosted default)',
    check: ({ profiles }) =>
      profiles
        .filter((a) => a.provider.defined && !a.provider.hosted && a.provider.model === undefined)
        .map(({ profile }) => ({
          file: profile.path,
          line: profile.line,
          profile: profile.name,
          message: 'neither the profile nor config.toml sets `model`: codex would ask the local server for its own default, a hosted model name.',
          fix: 'Set model = "..." in the profile (`codex-profiles models` lists what is installed).',
        })),
  },
  {
    id: 'provider-unreachable',
    severity: FACT_SEVERITY.PROVIDER_DOWN,
    summary: 'The server of a local profile does not answer: the profile cannot run, and its model could not be checked',
    check: ({ profiles }) =>
      profiles
        .filter((a) => a.probe && (a.probe.status === 'down' || a.probe.status === 'not-responding'))
        .map(({ profile, provider, probe }) => ({
          file: profile.path,
          line: profile.line,
          profile: profile.name,
          message: `nothing answers at ${provider.serverUrl} (${describeStatus(probe!)}); the profile cannot run until it does, and its model was not checked.`,
          fix: startFix(provider.kind, urlSourceOf(provider)),
        })),
  },
  {
    id: 'ollama-too-old',
    severity: 'error',
    summary: `Ollama older than ${OLLAMA_MIN_VERSION} (no usable Responses API for codex)`,
    check: ({ profiles }) =>
      profiles
        .filter((a) => a.probe?.status === 'up' && a.probe.kind === 'ollama' && ollamaTooOld(a.probe.version))
        .map(({ profile, probe }) => ({
          file: profile.path,
          line: profile.line,
          profile: profile.name,
          message: `Ollama ${probe!.version} at ${probe!.url} is too old: codex needs the Responses API, supported from Ollama ${OLLAMA_MIN_VERSION}.`,
          fix: 'Update Ollama (https://ollama.com/download).',
        })),
  },
  {
    id: 'model-not-installed',
    severity: 'error',
    summary: "The profile's model is not on its provider's server",
    check: ({ state, profiles }) =>
      profiles
        .filter((a) => a.probe?.status === 'up' && a.probe.kind !== 'unknown' && a.provider.model !== undefined && !findInstalled(a.probe, a.provider.model))
        .map(({ profile, provider, probe }) => ({
          ...settingAt(state, profile, 'model'),
          profile: profile.name,
          message: `${kindName(probe)} at ${probe!.url} does not have \`${provider.model}\`${probe!.models.length > 0 ? ` (it has ${probe!.models.slice(0, 5).map((m) => `\`${m.id}\``).join(', ')}${probe!.models.length > 5 ? ', ...' : ''})` : ' (it has no models)'}.`,
          fix: `Get it yourself: \`${serverKind(probe!.kind as ServerKindId).getModel(provider.model!)}\` (codex-profiles never downloads), or set model to an installed one.`,
        })),
  },
  {
    id: 'model-no-tools',
    severity: FACT_SEVERITY.NO_TOOLS,
    summary: 'The model cannot call tools, so it cannot drive codex (Ollama refuses the request; LM Studio stalls or answers without acting)',
    check: ({ profiles }) =>
      profiles.flatMap(({ profile, provider, probe }) => {
        const m = probe && provider.model ? findInstalled(probe, provider.model) : undefined;
        const h = m?.hints.find((x) => x.code === 'NO_TOOLS');
        if (!m || !h) return [];
        return [{ severity: h.level, file: profile.path, line: profile.line, profile: profile.name, message: `\`${m.id}\`: ${h.message}.`, fix: `${h.fix ?? 'Pick a model with tool support'}.` }];
      }),
  },
  {
    id: 'model-context-small',
    severity: 'warn',
    summary: 'The model runs with (or supports) less context than codex needs',
    check: ({ profiles }) =>
      profiles.flatMap(({ profile, provider, probe }) => {
        const m = probe && provider.model ? findInstalled(probe, provider.model) : undefined;
        // CONTEXT_DEFAULT: not loaded and no server setting seen, so Ollama's 4k default applies.
        const h = m?.hints.find((x) => ['MODEL_CONTEXT_SMALL', 'CONTEXT_SMALL', 'CONTEXT_DEFAULT'].includes(x.code) && x.level !== 'info');
        if (!m || !h) return [];
        return [{ severity: h.level, file: profile.path, line: profile.line, profile: profile.name, message: `\`${m.id}\`: ${h.message}.`, fix: h.fix ?? 'Give the model a larger context.' }];
      }),
  },
  {
    id: 'context-window-too-large',
    severity: 'warn',
    summary: "model_context_window is larger than the model's own maximum",
    check: ({ state, profiles }) =>
      profiles.flatMap(({ profile, provider, probe }) => {
        const m = probe && provider.model ? findInstalled(probe, provider.model) : undefined;
        const w = profile.values.model_context_window;
        if (!m || typeof w !== 'number' || m.contextLength === undefined || w <= m.contextLength) return [];
        return [
          {
            file: profile.path,
            line: keyLine(state, profile, 'model_context_window'),
            profile: profile.name,
            message: `model_context_window = ${w}, but \`${m.id}\` supports at most ${formatTokens(m.contextLength)} tokens; codex will plan for room that is not there.`,
            fix: `Set model_context_window = ${m.contextLength} or less.`,
          },
        ];
      }),
  },
  {
    // Codex plans its prompts for model_context_window; a server running the model with less cuts
    // the prompt silently (Ollama keeps the end, dropping Codex's instructions first).
    id: 'context-window-above-runtime',
    severity: 'warn',
    summary: 'model_context_window is larger than the context the server runs the model with',
    check: ({ state, profiles }) =>
      profiles.flatMap(({ profile, provider, probe }) => {
        const m = probe && provider.model ? findInstalled(probe, provider.model) : undefined;
        const w = profile.values.model_context_window;
        const run = m?.runtimeContextLength;
        if (!m || typeof w !== 'number' || run === undefined || w <= run) return [];
        if (m.contextLength !== undefined && w > m.contextLength) return []; // context-window-too-large says it
        const where = m.sources.runtimeContextLength ?? 'the server';
        return [
          {
            file: profile.path,
            line: keyLine(state, profile, 'model_context_window'),
            profile: profile.name,
            message: `model_context_window = ${w}, but the server runs \`${m.id}\` with ${formatTokens(run)} tokens (${where}); prompts longer than that are cut.`,
            fix: `Set model_context_window = ${run}, or give the model a larger context on the server (Ollama: OLLAMA_CONTEXT_LENGTH=65536 or num_ctx; LM Studio: reload it with a larger context length).`,
          },
        ];
      }),
  },
  {
    id: 'non-loopback-provider',
    severity: 'warn',
    summary: 'A provider on a non-loopback address: prompts (code, files) cross the network',
    check: ({ state, env, profiles }) => {
      const out: Draft[] = allProviderTables(state)
        .filter((t) => !BUILT_IN.has(t.id) && typeof t.table.base_url === 'string')
        .flatMap((t) => {
          const ep = endpointOf(t.table.base_url as string);
          if (!ep || isLoopbackHost(ep.host)) return [];
          return [
            {
              file: t.file,
              line: t.key('base_url') ?? t.line,
              message: `[model_providers.${t.id}] sends prompts to ${ep.host}, which is not this machine: what codex sends (code, file contents) crosses the network${ep.protocol === 'http:' ? ' unencrypted' : ''}.`,
              fix: 'Keep it only if that server is yours and the network is trusted; otherwise point base_url at 127.0.0.1. `codex-profiles test` runs such profiles only with --include-hosted.',
            },
          ];
        });
      const oss = codexOssUrls(env);
      const ossEp = oss.baseUrl ? endpointOf(oss.baseUrl) : undefined;
      if (ossEp && !isLoopbackHost(ossEp.host) && profiles.some((a) => a.provider.id === 'ollama' || a.provider.id === 'lmstudio')) {
        out.push({
          file: '(environment)',
          message: `CODEX_OSS_BASE_URL=${oss.baseUrl} sends the built-in ollama / lmstudio providers' prompts to ${ossEp.host}, which is not this machine.`,
          fix: 'Unset CODEX_OSS_BASE_URL, or give that server its own provider id so the choice is visible in the config.',
        });
      }
      return out;
    },
  },
  {
    id: 'hosted-profile',
    severity: 'info',
    summary: 'A profile whose prompts leave this machine: not probed, and smoke-tested only with `test --include-hosted`',
    check: ({ profiles }) =>
      profiles
        .filter((a) => a.provider.defined && a.provider.hosted)
        .map(({ profile, provider }) => ({
          file: profile.path,
          line: profile.line,
          profile: profile.name,
          message: `prompts leave this machine (${provider.reason}); not contacted by the audit, not part of its smoke test.`,
          fix: `Nothing to fix if that is intended; \`codex-profiles test ${profile.name} --include-hosted\` runs it (sends the prompt, may cost money).`,
        })),
  },
  {
    id: 'oss-provider-missing',
    severity: 'warn',
    summary: '`oss_provider` names a provider that is not installed (or not ollama / lmstudio)',
    check: ({ state, ossProbe }) => {
      const value = state.ossProvider;
      if (value === undefined) return [];
      const at = { file: state.configPath, line: state.config?.lineOf(['oss_provider']) };
      if (value !== 'ollama' && value !== 'lmstudio') {
        return [{ ...at, severity: 'error' as const, message: `oss_provider = "${value}": codex --oss knows only "ollama" and "lmstudio".`, fix: 'Set oss_provider = "ollama" or "lmstudio", or remove it.' }];
      }
      if (!ossProbe || ossProbe.status === 'up') return [];
      const notInstalled = ossProbe.notes.some((n) => n.code === 'NOT_INSTALLED');
      if (!notInstalled) return [];
      return [
        {
          ...at,
          message: `oss_provider = "${value}", but ${displayNameOf(value)} is not installed (no server at ${ossProbe.url} and no ${value === 'ollama' ? '`ollama`' : '`lms`'} command).`,
          fix: `Install ${displayNameOf(value)}, or set oss_provider to the one you use (or remove the line).`,
        },
      ];
    },
  },
];
