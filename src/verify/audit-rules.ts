/**
 * The audit rules, as data: an id, a severity, what it checks, and a function returning findings
 * with file, line and fix (docs/checks.md lists them).
 */
import { isValidProfileName, type Profile } from '../config/profiles.js';
import { endpointOf, isLoopbackHost } from '../discover/address.js';
import { codexOssUrls } from '../codex/builtins.js';
import { displayNameOf } from '../discover/registry.js';
import type { AuditRule, Draft } from './audit-types.js';
import { allProviderTables, BUILT_IN, isTable, MIGRATE_FIX, settingAt } from './audit-rule-helpers.js';
import { SERVER_RULES } from './audit-rules-server.js';
import { LOCALITY_RULES } from './audit-rules-locality.js';

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
  // What the server says about each profile's provider and model (audit-rules-server.ts).
  ...SERVER_RULES,
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
  // Where prompts go: web_search left on, administrator pins (audit-rules-locality.ts).
  ...LOCALITY_RULES,
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
