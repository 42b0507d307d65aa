/**
 * The audit rules that ask each profile's server: is it up and new enough, does it have the
 * model, can the model call tools, and is the context Codex plans for the one it runs with.
 */
import { FACT_SEVERITY } from '../diagnostics.js';
import { formatTokens } from '../discover/hints.js';
import type { CanRunCode } from '../codex/can-run.js';
import { serverProblems } from '../codex/can-run-server.js';
import type { Profile } from '../config/profiles.js';
import { keyLine, settingAt } from './audit-rule-helpers.js';
import type { AuditContext, AuditRule } from './audit-types.js';
import { findInstalled, OLLAMA_MIN_VERSION } from './probe.js';

/**
 * The findings of one can-run server fact (src/codex/can-run-server.ts), on the profile or where
 * `at` says. `upOnly`: only servers that answered in full (a half answer is not judged here).
 */
function serverFact(code: CanRunCode, upOnly: boolean, at?: (ctx: AuditContext, profile: Profile) => { file: string; line?: number }): AuditRule['check'] {
  return (ctx) =>
    ctx.profiles.flatMap(({ profile, provider, probe }) => {
      if (!probe || (upOnly && probe.status !== 'up')) return [];
      return serverProblems(provider, probe)
        .filter((d) => d.code === code)
        .map((d) => ({ ...(at ? at(ctx, profile) : { file: profile.path, line: profile.line }), profile: profile.name, severity: d.severity, message: d.message, fix: d.fix! }));
    });
}

export const SERVER_RULES: AuditRule[] = [
  {
    id: 'provider-unreachable',
    severity: FACT_SEVERITY.PROVIDER_DOWN,
    summary: 'The server of a local profile does not answer: the profile cannot run, and its model could not be checked',
    check: serverFact('provider-unreachable', false),
  },
  {
    id: 'ollama-too-old',
    severity: 'error',
    summary: `Ollama older than ${OLLAMA_MIN_VERSION} (no usable Responses API for codex)`,
    check: serverFact('ollama-too-old', true),
  },
  {
    id: 'model-not-installed',
    severity: 'error',
    summary: "The profile's model is not on its provider's server",
    check: serverFact('model-not-installed', true, ({ state }, profile) => settingAt(state, profile, 'model')),
  },
  {
    id: 'model-no-tools',
    severity: FACT_SEVERITY.NO_TOOLS,
    summary: 'The model cannot call tools, so it cannot drive codex (Ollama refuses the request; LM Studio stalls or answers without acting)',
    check: serverFact('model-no-tools', false),
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
