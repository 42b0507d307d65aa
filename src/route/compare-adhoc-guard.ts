/**
 * The no-download guard of `compare --local KIND:MODEL` (issue 18). `codex exec --oss -m MODEL`
 * DOWNLOADS a model the server does not have (Ollama: `POST /api/pull`, seen; LM Studio:
 * `lms get --yes`, read; docs/routing.md), so before anything runs every `--local` model is
 * looked up, read-only, on the server Codex's built-in provider will call (CODEX_OSS_BASE_URL /
 * CODEX_OSS_PORT as Codex reads them). A server that does not answer, or a model it does not
 * list, stops the whole comparison: nothing is run, no prompt is sent.
 */
import { ossServerUrl } from '../codex/builtins.js';
import { discoverServers, findServerModel, type ServerReport } from '../discover/registry.js';
import { CliError, EXIT_USAGE } from '../errors.js';
import type { AdhocTarget } from './compare-adhoc.js';

export interface GuardOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Seam for unit tests (default: discoverServers). */
  discover?: typeof discoverServers;
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
  const kinds = [...new Set(local.map((t) => t.kind))];
  const discover = opts.discover ?? discoverServers;
  const reports: ServerReport[] = await discover({
    kinds,
    urls: Object.fromEntries(kinds.map((k) => [k, ossServerUrl(k, opts.env)])),
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    cliTimeoutMs: opts.timeoutMs,
    // Only the server Codex will call counts: a CLI listing could describe another one.
    useCli: false,
  });
  const checks: LocalCheck[] = [];
  const resolved = new Map<string, string>();
  for (const t of local) {
    const report = reports.find((r) => r.kind === t.kind);
    const server = report?.url ?? ossServerUrl(t.kind, opts.env);
    if (!report || report.status !== 'up') {
      checks.push({ spec: t.spec, server, status: 'server-down' });
      continue;
    }
    const found = findServerModel(reports, t.kind, t.model);
    if (!found) {
      checks.push({ spec: t.spec, server, status: 'missing' });
      continue;
    }
    checks.push({ spec: t.spec, server, status: 'installed', resolved: found.id });
    resolved.set(t.name, found.id);
  }
  const bad = checks.filter((c) => c.status !== 'installed');
  if (bad.length > 0) throw guardError(bad, local, reports);
  return { targets: targets.map((t) => (t.type === 'local' ? { ...t, model: resolved.get(t.name) ?? t.model } : t)), checks };
}

function guardError(bad: readonly LocalCheck[], local: readonly Extract<AdhocTarget, { type: 'local' }>[], reports: readonly ServerReport[]): CliError {
  const lines = bad.map((c) => {
    const t = local.find((x) => x.spec === c.spec)!;
    if (c.status === 'server-down') {
      const why = reports.find((r) => r.kind === t.kind)?.reason;
      return `${c.spec}: no ${t.kind} server answers at ${c.server}${why ? ` (${why})` : ''}.`;
    }
    const listed = reports.find((r) => r.kind === t.kind)?.models.map((m) => m.id) ?? [];
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
