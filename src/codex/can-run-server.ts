/**
 * The second half of "can this Codex run profile NAME?" (src/codex/can-run.ts): what the
 * profile's server says, from a read-only probe. Is it up, does it speak the Responses API, is
 * Ollama new enough, does it have the model, can the model call tools. The smoke test stops at
 * the first of these; the audit reports each one with its own rule.
 */
import { startFix } from '../discover/fixes.js';
import { displayNameOf, serverKind } from '../discover/registry.js';
import { describeStatus, findInstalled, installedList, OLLAMA_MIN_VERSION, ollamaTooOld, type ServerProbe } from '../verify/probe.js';
import type { EffectiveProvider } from '../verify/provider-of.js';
import { localBuiltInUrl } from './builtins.js';
import type { CanRunDiagnostic } from './can-run.js';

/** Where the URL of a provider comes from, for the fix (nothing for the built-in default). */
export function urlSourceOf(provider: EffectiveProvider): string | undefined {
  if (!provider.builtIn) return 'base_url in its [model_providers] table';
  const byDefault = localBuiltInUrl(provider.id, {});
  const strip = (u: string | undefined) => u?.replace(/\/v1\/?$/, '').replace(/\/$/, '').replace('//localhost:', '//127.0.0.1:');
  return provider.serverUrl && byDefault && strip(provider.serverUrl) !== strip(byDefault) ? 'CODEX_OSS_BASE_URL / CODEX_OSS_PORT' : undefined;
}

/**
 * Every reason the probed server cannot run this local profile, the one a run would hit first
 * first. Nothing is known past a server that does not answer, or one that is no kind we know.
 */
export function serverProblems(provider: EffectiveProvider, probe: ServerProbe): CanRunDiagnostic[] {
  const url = provider.serverUrl ?? probe.url;
  if (probe.status === 'down' || probe.status === 'not-responding') {
    return [
      {
        code: 'provider-unreachable',
        severity: 'error',
        message: `Nothing answers at ${url} (${describeStatus(probe)}), where codex would send the prompt for provider \`${provider.id}\`; the profile cannot run until it does, and its model was not checked.`,
        fix: startFix(provider.kind, urlSourceOf(provider)),
        place: { url },
      },
    ];
  }
  if (probe.kind === 'unknown') return [];
  const kind = probe.kind;
  const out: CanRunDiagnostic[] = [];
  const name = displayNameOf(kind);
  if (probe.responses?.state === 'no') {
    // Codex speaks only the Responses API: the run would fail on its first request.
    out.push({
      code: 'no-responses-api',
      severity: 'error',
      message: `${name} at ${url} has no /v1/responses (${probe.responses.evidence}); codex only speaks the Responses API.`,
      fix: `${serverKind(kind).fixes.noResponses.replace(/^./, (c) => c.toUpperCase())}.`,
      place: { url },
    });
  }
  if (kind === 'ollama' && ollamaTooOld(probe.version)) {
    out.push({
      code: 'ollama-too-old',
      severity: 'error',
      message: `Ollama ${probe.version} at ${url} is too old: codex needs the Responses API, supported from Ollama ${OLLAMA_MIN_VERSION}.`,
      fix: 'Update Ollama (https://ollama.com/download).',
      place: { url },
    });
  }
  if (provider.model === undefined) return out;
  const model = findInstalled(probe, provider.model);
  if (!model) {
    const has = installedList(probe);
    out.push({ code: 'model-not-installed', severity: 'error', message: `${name} at ${url} does not have \`${provider.model}\` (it has ${has}).`, fix: `Get it yourself: \`${serverKind(kind).getModel(provider.model)}\` (codex-profiles never downloads), or set \`model\` to an installed one.`, place: { url } });
    return out;
  }
  const tools = model.hints.find((h) => h.code === 'NO_TOOLS');
  if (tools) {
    out.push({ code: 'model-no-tools', severity: tools.level, message: `\`${model.id}\`: ${tools.message}.`, fix: `${tools.fix ?? 'Pick a model with tool support'}.`, place: { url } });
  }
  return out;
}
