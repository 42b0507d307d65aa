/**
 * The audit rules that ask each profile's server: is it up and new enough, does it have the
 * model, can the model call tools, and is the context Codex plans for the one it runs with.
 */
import { FACT_SEVERITY } from '../diagnostics.js';
import { startFix } from '../discover/fixes.js';
import { formatTokens } from '../discover/hints.js';
import { serverKind } from '../discover/registry.js';
import type { ServerKindId } from '../discover/types.js';
import { kindName, keyLine, settingAt } from './audit-rule-helpers.js';
import type { AuditRule } from './audit-types.js';
import { describeStatus, findInstalled, OLLAMA_MIN_VERSION, ollamaTooOld } from './probe.js';
import { urlSourceOf } from './smoke-preflight.js';

export const SERVER_RULES: AuditRule[] = [
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
];
