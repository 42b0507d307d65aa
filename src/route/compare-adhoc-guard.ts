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
import { answeredBy, describeStatus, lookupOssModel, ProbeCache, probeServer } from '../verify/probe.js';
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
  const cache = new ProbeCache((url, kind) => probeServer(url, kind, { env: opts.env, timeoutMs: opts.timeoutMs }));
  const lookups = await Promise.all(local.map((t) => lookupOssModel(t.kind, t.model, { env: opts.env, probe: (url, kind) => cache.get(url, kind) })));
  const checks: LocalCheck[] = [];
  const bad: string[] = [];
  const resolved = new Map<string, string>();
  for (const [i, t] of local.entries()) {
    const { serverUrl: server, probe: p, found } = lookups[i]!;
    if (p.status !== 'up' || p.kind !== t.kind) {
      checks.push({ spec: t.spec, server, status: 'server-down' });
      bad.push(p.status === 'up' ? `${t.spec}: ${answeredBy(p.kind)} answers at ${server}, not ${displayNameOf(t.kind)}.` : `${t.spec}: no ${t.kind} server answers at ${server} (${describeStatus(p)}).`);
    } else if (!found) {
      checks.push({ spec: t.spec, server, status: 'missing' });
      const listed = p.models.map((m) => m.id);
      bad.push(`${t.spec}: ${server} does not have \`${t.model}\`${listed.length > 0 ? ` (it has: ${listed.slice(0, 8).join(', ')}${listed.length > 8 ? ', ...' : ''})` : ' (it lists no model)'}.`);
    } else {
      checks.push({ spec: t.spec, server, status: 'installed', resolved: found.id });
      resolved.set(t.name, found.id);
    }
  }
  if (bad.length > 0) throw guardError(bad, checks.some((c) => c.status === 'server-down'));
  return { targets: targets.map((t) => (t.type === 'local' ? { ...t, model: resolved.get(t.name) ?? t.model } : t)), checks };
}

function guardError(lines: readonly string[], down: boolean): CliError {
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
