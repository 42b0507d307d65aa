/**
 * The audit rules, as data: an id, a severity, what it checks, and a function returning findings
 * with file, line and fix (docs/checks.md lists them).
 */
import { allProviderTables, isValidProfileName } from '../config/profiles.js';
import { endpointOf, isLoopbackHost } from '../discover/address.js';
import { codexOssUrls, isLocalBuiltInId } from '../codex/builtins.js';
import { displayNameOf, serverKind } from '../discover/registry.js';
import type { AuditRule, Draft } from './audit-types.js';
import { isTable } from '../config/toml-table.js';
import { invalidProfileName, legacySelector, legacyTable, modelUnset, profileFileUnsupported, unknownProvider } from '../codex/can-run.js';
import { isReservedProviderId } from '../codex/builtins.js';
import { draftOf, providerTableFindings, settingAt } from './audit-rule-helpers.js';
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
    check: ({ state, codex }) =>
      codex.layout !== 'file' ? [] : state.profiles.filter((p) => p.layout === 'table').map((p) => draftOf(legacyTable(state, codex, p), p.name)),
  },
  {
    id: 'legacy-profile-selector',
    severity: 'error',
    summary: 'Codex >= 0.134: a top-level `profile = "NAME"` in config.toml makes every codex run fail',
    check: ({ state, codex }) => {
      const d = legacySelector(state, codex);
      return d ? [draftOf(d)] : [];
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
        .map((p) => draftOf(profileFileUnsupported(codex, p), p.name));
    },
  },
  {
    id: 'builtin-provider-redefined',
    severity: 'error',
    summary: 'A [model_providers.ID] table for a built-in id (openai, ollama, lmstudio, ...): codex refuses to load the config',
    check: ({ state }) => providerTableFindings(state, 'builtin-provider-redefined'),
  },
  {
    id: 'wire-api-chat',
    severity: 'error',
    summary: '`wire_api = "chat"`: removed from codex, which refuses to load the config',
    check: ({ state }) => providerTableFindings(state, 'wire-api-chat', 'wire_api'),
  },
  {
    id: 'invalid-profile-name',
    severity: 'error',
    summary: 'Profile names must be letters, digits, - and _ (codex >= 0.134 rejects others before running)',
    check: ({ state, codex }) =>
      [...new Map(state.profiles.map((p) => [p.name, p])).values()]
        .filter((p) => !isValidProfileName(p.name))
        .map((p) => draftOf(invalidProfileName(codex, p.name, { file: p.path, line: p.line }), p.name)),
  },
  {
    id: 'unknown-provider',
    severity: 'error',
    summary: 'model_provider names neither a built-in id nor a [model_providers.ID] table',
    check: ({ state, profiles }) => {
      const out: Draft[] = profiles
        .filter((a) => !a.provider.defined)
        .map(({ profile, provider }) => draftOf(unknownProvider(provider.id, settingAt(state, profile, 'model_provider')), profile.name));
      // config.toml's own provider, when no profile covers it.
      const baseId = state.config?.data.model_provider;
      const mp = state.config?.data.model_providers;
      if (typeof baseId === 'string' && !isReservedProviderId(baseId) && !(isTable(mp) && isTable(mp[baseId])) && !out.some((f) => f.file === state.configPath)) {
        out.push(draftOf(unknownProvider(baseId, { file: state.configPath, line: state.config?.lineOf(['model_provider']) })));
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
        .map(({ profile }) => draftOf(modelUnset({ file: profile.path, line: profile.line }), profile.name)),
  },
  // What the server says about each profile's provider and model (audit-rules-server.ts).
  ...SERVER_RULES,
  {
    id: 'non-loopback-provider',
    severity: 'warn',
    summary: 'A provider on a non-loopback address: prompts (code, files) cross the network',
    check: ({ state, env, profiles }) => {
      const out: Draft[] = allProviderTables(state)
        .filter((t) => !isReservedProviderId(t.id) && typeof t.table.base_url === 'string')
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
      if (ossEp && !isLoopbackHost(ossEp.host) && profiles.some((a) => isLocalBuiltInId(a.provider.id))) {
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
      if (!isLocalBuiltInId(value)) {
        return [{ ...at, severity: 'error' as const, message: `oss_provider = "${value}": codex --oss knows only "ollama" and "lmstudio".`, fix: 'Set oss_provider = "ollama" or "lmstudio", or remove it.' }];
      }
      if (!ossProbe || ossProbe.status === 'up') return [];
      const notInstalled = ossProbe.notes.some((n) => n.code === 'NOT_INSTALLED');
      if (!notInstalled) return [];
      return [
        {
          ...at,
          message: `oss_provider = "${value}", but ${displayNameOf(value)} is not installed (no server at ${ossProbe.url} and no \`${serverKind(value).cli?.command ?? value}\` command).`,
          fix: `Install ${displayNameOf(value)}, or set oss_provider to the one you use (or remove the line).`,
        },
      ];
    },
  },
];
