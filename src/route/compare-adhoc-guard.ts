/**
 * The no-download guard of `compare --local KIND:MODEL` (issue 18). `codex exec --oss -m MODEL`
 * DOWNLOADS a model the server does not have (Ollama: `POST /api/pull`, seen; LM Studio:
 * `lms get --yes`, read; docs/routing.md), so before anything runs every `--local` model is
 * looked up, read-only, on the server Codex's built-in provider will call (CODEX_OSS_BASE_URL /
 * CODEX_OSS_PORT as Codex reads them). A server that does not answer, or a model it does not
 * list, stops the whole comparison: nothing is run, no prompt is sent.
 */
import { displayNameOf } from '../discover/registry.js';
import { CliError, EXIT_USAGE } from '../errors.js';
import { describeStatus, lookupOssModel, probeServer, type OssLookup } from '../verify/probe.js';
import type { AdhocTarget } from './compare-adhoc.js';

export interface GuardOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface LocalCheck {
  spec: string;
  /** The server asked (without /v1). */
  server: string;
  status: 'installed' | 'missing' | 'server-down';
  /** The id exactly as the server lists it (Ollama: `NAME` is `NAME:latest`). */
  resolved?: string;
}

/**
 * Checks every `--local` target; returns the targets with their model ids as the server lists
 * them (so Codex's own lookup cannot miss and pull), or throws PROVIDER_DOWN / MODEL_NOT_FOUND.
 */
export async function guardLocalTargets(targets: readonly AdhocTarget[], opts: GuardOptions): Promise<{ targets: AdhocTarget[]; checks: LocalCheck[] }> {
  const local = targets.filter((t): t is Extract<AdhocTarget, { type: 'local' }> => t.type === 'local');
  if (local.length === 0) return { targets: [...targets], checks: [] };
  // Only the server Codex will call counts (no CLI listing, which could describe another one);
  // one probe per server, however many targets name it.
  const probes = new Map<string, ReturnType<typeof probeServer>>();
  const probe = (url: string, kind: Parameters<typeof probeServer>[1]) => {
    if (!probes.has(url)) probes.set(url, probeServer(url, kind, { env: opts.env, timeoutMs: opts.timeoutMs, useCli: false }));
    return probes.get(url)!;
  };
  const lookups = await Promise.all(local.map((t) => lookupOssModel(t.kind, t.model, { env: opts.env, probe })));
  const checks: LocalCheck[] = [];
  const resolved = new Map<string, string>();
  for (const [i, t] of local.entries()) {
    const { serverUrl: server, probe: p, found } = lookups[i]!;
    if (p.status !== 'up' || p.kind !== t.kind) checks.push({ spec: t.spec, server, status: 'server-down' });
    else if (!found) checks.push({ spec: t.spec, server, status: 'missing' });
    else {
      checks.push({ spec: t.spec, server, status: 'installed', resolved: found.id });
      resolved.set(t.name, found.id);
    }
  }
  const bad = checks.filter((c) => c.status !== 'installed');
  if (bad.length > 0) throw guardError(bad, local, lookups);
  return { targets: targets.map((t) => (t.type === 'local' ? { ...t, model: resolved.get(t.name) ?? t.model } : t)), checks };
}

function guardError(bad: readonly LocalCheck[], local: readonly Extract<AdhocTarget, { type: 'local' }>[], lookups: readonly OssLookup[]): CliError {
  const lines = bad.map((c) => {
    const i = local.findIndex((x) => x.spec === c.spec);
    const t = local[i]!;
    const p = lookups[i]!.probe;
    if (c.status === 'server-down') {
      const other = p.status === 'up' ? (p.kind === 'unknown' ? 'a server that is neither Ollama nor LM Studio' : displayNameOf(p.kind)) : undefined;
      if (other) return `${c.spec}: ${other} answers at ${c.server}, not ${displayNameOf(t.kind)}.`;
      return `${c.spec}: no ${t.kind} server answers at ${c.server} (${describeStatus(p)}).`;
    }
    const listed = p.models.map((m) => m.id);
    return `${c.spec}: ${c.server} does not have \`${t.model}\`${listed.length > 0 ? ` (it has: ${listed.slice(0, 8).join(', ')}${listed.length > 8 ? ', ...' : ''})` : ' (it lists no model)'}.`;
  });
  const down = bad.some((c) => c.status === 'server-down');
  return new CliError(
    `Not comparing, nothing was run:\n  ${lines.join('\n  ')}\n` +
      '`codex exec --oss -m MODEL` would download a missing model (gigabytes), so Codex was not started.',
    EXIT_USAGE,
    down
      ? 'Start the server (ollama serve / lms server start), or point Codex at it with CODEX_OSS_BASE_URL; see codex-profiles models.'
      : 'Pick an installed model (codex-profiles models), or download it yourself first (ollama pull MODEL / lms get MODEL).',
    down ? 'PROVIDER_DOWN' : 'MODEL_NOT_FOUND',
  );
}
