/**
 * What the audit rules read: the profiles codex will see, their providers and a probe of each
 * local server.
 */
import type { CodexInfo } from '../codex/detect.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { endpointOf, isLoopbackHost } from '../discover/address.js';
import { isLocalBuiltInId, ossServerUrl } from '../codex/builtins.js';
import { probeServer, type ProbeFn } from './probe.js';
import { effectiveProvider } from './provider-of.js';
import type { AuditContext, AuditedProfile } from './audit-types.js';

/**
 * The profiles as codex will see them (deduplicated by name: the one this codex's `-p` reads),
 * with their providers, and a probe of each local provider's server (hosted ones are never
 * contacted).
 */
export async function buildAuditContext(
  state: HomeState,
  codex: CodexInfo,
  env: NodeJS.ProcessEnv,
  probe: ProbeFn,
  // The CLI fallback tells "installed but not running" from "not installed".
  ossProbe: ProbeFn = (url, kind) => probeServer(url, kind, { env, useCli: true }),
): Promise<AuditContext> {
  const seen = new Set<string>();
  const chosen: Profile[] = [];
  const preferred = codex.layout === 'file' ? 'file' : 'table';
  for (const p of [...state.profiles].sort((a, b) => (a.layout === preferred ? 0 : 1) - (b.layout === preferred ? 0 : 1))) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    chosen.push(p);
  }
  chosen.sort((a, b) => state.profiles.indexOf(a) - state.profiles.indexOf(b));
  const profiles = await Promise.all(
    chosen.map(async (profile): Promise<AuditedProfile> => {
      const provider = effectiveProvider(state, profile, env);
      const a: AuditedProfile = { profile, provider };
      if (provider.defined && !provider.hosted && provider.serverUrl !== undefined) a.probe = await probe(provider.serverUrl, provider.kind);
      return a;
    }),
  );
  const ctx: AuditContext = { state, codex, env, profiles };
  const oss = state.ossProvider;
  if (oss !== undefined && isLocalBuiltInId(oss)) {
    const url = ossServerUrl(oss, env);
    const host = endpointOf(url)?.host;
    if (host !== undefined && isLoopbackHost(host)) ctx.ossProbe = await ossProbe(url, oss);
  }
  return ctx;
}
