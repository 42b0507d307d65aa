import { UsageError } from '../errors.js';
import { hostOf, isLoopbackHost, stripV1 } from './address.js';
import { findLmsCli, runCli, type CliResult } from './exec.js';
import { judgeModel } from './hints.js';
import { oneLine, requestJson, type JsonResult } from './http.js';
import type { ProbeOptions } from './types.js';
import type { Hint, ModelRecord, ProviderReport, ProviderStatus } from './types.js';
import { isRecord, num } from './util.js';
import { parseLmsLinkStatus, PARSERS, recordsFromLmsLs, resolveDevices, type LmStudioShape } from './lmstudio-lists.js';
export { recordsFromLmsLs, recordsFromOpenAi, recordsFromV0, recordsFromV1 } from './lmstudio-lists.js';

export const LMSTUDIO_DEFAULT_PORT = 1234;
export const DEFAULT_LMSTUDIO_URL = `http://127.0.0.1:${LMSTUDIO_DEFAULT_PORT}`;

export type { LmStudioShape } from './lmstudio-lists.js';

/** The model-list endpoints, newest first: LM Studio 0.4+ (native v1), 0.3.6+ (v0), any (OpenAI). */
export const LMSTUDIO_ENDPOINTS: Array<{ shape: LmStudioShape; path: string }> = [
  { shape: 'v1', path: '/api/v1/models' },
  { shape: 'v0', path: '/api/v0/models' },
  { shape: 'openai', path: '/v1/models' },
];

export interface LmStudioTarget {
  url: string;
  source: '--lmstudio-url' | 'lms server status' | 'default';
}

/**
 * `--lmstudio-url` forms: `http://host:port`, `host:port`, `host` (port 1234); a trailing `/v1`
 * (a Codex base_url pasted as is) is dropped.
 */
export function normalizeLmStudioUrl(value: string): string {
  const v = stripV1(value.trim());
  if (v === '') throw new UsageError('--lmstudio-url is empty', 'Pass a URL such as http://127.0.0.1:1234');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new UsageError(`--lmstudio-url: "${oneLine(value, 80)}" is not a URL`, 'Pass a URL such as http://127.0.0.1:1234');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UsageError(`--lmstudio-url: scheme "${u.protocol.replace(/:$/, '')}" is not http or https`);
  }
  if (withScheme !== v && u.port === '') u.port = String(LMSTUDIO_DEFAULT_PORT);
  u.search = '';
  u.hash = '';
  return u.href.replace(/\/+$/, '');
}

/** `lms server status --json` -> `{"running":true,"port":1234}` (port may be null). */
export function parseLmsServerStatus(stdout: string): { running?: boolean; port?: number } | undefined {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const j = JSON.parse(line) as unknown;
      if (!isRecord(j)) continue;
      const port = num(j.port);
      return {
        running: typeof j.running === 'boolean' ? j.running : undefined,
        port: port !== undefined && port > 0 && port <= 65535 ? port : undefined,
      };
    } catch {
      // not this line
    }
  }
  return undefined;
}

/** Ask `lms` which port the server uses (its last-used port, even when stopped). */
export async function lmsServerPort(
  lms: string,
  opts: Pick<ProbeOptions, 'env' | 'cliTimeoutMs'>,
): Promise<{ port?: number; running?: boolean; reason?: string }> {
  const r = await runCli(lms, ['server', 'status', '--json'], { env: opts.env, timeoutMs: opts.cliTimeoutMs });
  if (!r.ok) return { reason: r.reason };
  const parsed = parseLmsServerStatus(r.stdout);
  if (!parsed) return { reason: '`lms server status --json` printed no JSON status' };
  return parsed;
}

/**
 * Where LM Studio is expected: `--lmstudio-url`, else the port `lms server status --json` reports,
 * else 127.0.0.1:1234. Runs `lms` when it is installed.
 */
export async function resolveLmStudioUrl(
  flag?: string,
  env: NodeJS.ProcessEnv = process.env,
  opts: { cliTimeoutMs?: number; platform?: NodeJS.Platform } = {},
): Promise<string> {
  if (flag !== undefined) return normalizeLmStudioUrl(flag);
  const lms = findLmsCli(env, opts.platform);
  if (lms) {
    const s = await lmsServerPort(lms, { env, cliTimeoutMs: opts.cliTimeoutMs ?? 3000 });
    if (s.port !== undefined) return `http://127.0.0.1:${s.port}`;
  }
  return DEFAULT_LMSTUDIO_URL;
}

function statusFor(r: Extract<JsonResult, { ok: false }>): ProviderStatus {
  if (r.kind === 'refused') return 'down';
  if (r.kind === 'timeout') return 'not-responding';
  return 'error';
}

interface HttpOutcome {
  status: ProviderStatus;
  reason?: string;
  shape?: LmStudioShape;
  models: ModelRecord[];
  skipped: number;
  /** Endpoints that said 404 before the one that answered. */
  missing: string[];
}

/** Try the model-list endpoints newest first; stop at the first that answers with a list. */
async function probeLmStudioHttp(base: string, opts: ProbeOptions, speculative?: AbortSignal): Promise<HttpOutcome> {
  const signal = speculative && opts.signal ? AbortSignal.any([speculative, opts.signal]) : (speculative ?? opts.signal);
  const token = opts.env.LM_API_TOKEN?.trim();
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  const missing: string[] = [];
  const failures: string[] = [];
  for (const ep of LMSTUDIO_ENDPOINTS) {
    const r = await requestJson(`${base}${ep.path}`, { timeoutMs: opts.timeoutMs, signal, headers });
    if (!r.ok) {
      if (r.kind === 'refused' || r.kind === 'timeout') {
        return { status: statusFor(r), reason: r.reason, models: [], skipped: 0, missing };
      }
      if (r.kind === 'http' && (r.status === 401 || r.status === 403)) {
        return {
          status: 'error',
          reason: `${r.reason} on ${ep.path}: the server requires an API token (set LM_API_TOKEN, or turn off "Require Authentication" in LM Studio's server settings)`,
          models: [],
          skipped: 0,
          missing,
        };
      }
      if (r.kind === 'http' && r.status === 404) missing.push(ep.path);
      else failures.push(`${ep.path}: ${r.reason}`);
      continue;
    }
    const parsed = PARSERS[ep.shape](r.json);
    if (!parsed) {
      failures.push(`${ep.path}: JSON without the expected model list`);
      continue;
    }
    return { status: 'up', shape: ep.shape, models: parsed.models, skipped: parsed.skipped, missing };
  }
  const reason =
    failures.length > 0
      ? oneLine(failures.join('; '), 240)
      : `HTTP 404 on ${LMSTUDIO_ENDPOINTS.map((e) => e.path).join(', ')}: this does not look like LM Studio`;
  return { status: 'error', reason, models: [], skipped: 0, missing };
}

function exposure(base: string, reachable: boolean): { exposed: boolean; notes: Hint[] } {
  const host = hostOf(base);
  if (!reachable || host === undefined || isLoopbackHost(host)) return { exposed: false, notes: [] };
  return {
    exposed: true,
    notes: [
      {
        level: 'warn',
        code: 'EXPOSED_ADDRESS',
        message: `reached at ${host}, which is not a loopback address: the server accepts prompts over the network, and what Codex sends (code, files) crosses it`,
        fix: 'turn off "Serve on Local Network" in LM Studio unless the server is meant to be shared',
      },
    ],
  };
}

/**
 * LM Studio: port from the flag, else `lms server status --json` (asked while the default port is
 * already being probed), else 1234; then the model-list endpoints; `lms ls --json` when down.
 */
export async function discoverLmStudio(flagUrl: string | undefined, opts: ProbeOptions): Promise<ProviderReport> {
  const lms = opts.useCli ? findLmsCli(opts.env, opts.platform) : undefined;
  // For a server on this machine `lms ls --json` is wanted whichever way the HTTP probe goes (the
  // devices of the models the server lists when it is up, the listing itself when it is down),
  // and lms takes a while to start: one run, started alongside the probe, stopped if unused.
  const onThisMachine = flagUrl === undefined || isLoopbackHost(hostOf(normalizeLmStudioUrl(flagUrl)) ?? '');
  const listing = lms ? lmsListing(lms, opts, onThisMachine) : undefined;
  try {
    return await discoverWith(flagUrl, opts, lms, listing);
  } finally {
    listing?.stopIfUnused();
  }
}

/**
 * One `lms ls --json` per discovery: started at once when `now`, else when first asked for;
 * `stopIfUnused` ends a run nobody asked for.
 */
function lmsListing(lms: string, opts: ProbeOptions, now: boolean): { result: () => Promise<CliResult>; stopIfUnused: () => void } {
  const stop = new AbortController();
  let running: Promise<CliResult> | undefined;
  const start = () => (running ??= runCli(lms, ['ls', '--json'], { env: opts.env, timeoutMs: opts.cliTimeoutMs, signal: stop.signal }));
  if (now) start();
  let used = false;
  return {
    result: () => ((used = true), start()),
    stopIfUnused: () => {
      if (!used) stop.abort();
    },
  };
}

async function discoverWith(flagUrl: string | undefined, opts: ProbeOptions, lms: string | undefined, listing: ReturnType<typeof lmsListing> | undefined): Promise<ProviderReport> {
  const notes: Hint[] = [];
  let target: LmStudioTarget;
  let outcome: HttpOutcome;

  if (flagUrl !== undefined) {
    target = { url: normalizeLmStudioUrl(flagUrl), source: '--lmstudio-url' };
    outcome = await probeLmStudioHttp(target.url, opts);
  } else if (!lms) {
    target = { url: DEFAULT_LMSTUDIO_URL, source: 'default' };
    outcome = await probeLmStudioHttp(target.url, opts);
  } else {
    // Probe the default port while lms starts up; keep that answer unless lms names another port.
    const speculative = new AbortController();
    const atDefault = probeLmStudioHttp(DEFAULT_LMSTUDIO_URL, opts, speculative.signal);
    const status = await lmsServerPort(lms, opts);
    if (status.port !== undefined && status.port !== LMSTUDIO_DEFAULT_PORT) {
      speculative.abort();
      await atDefault;
      target = { url: `http://127.0.0.1:${status.port}`, source: 'lms server status' };
      outcome = await probeLmStudioHttp(target.url, opts);
    } else {
      target = { url: DEFAULT_LMSTUDIO_URL, source: status.port !== undefined ? 'lms server status' : 'default' };
      outcome = await atDefault;
    }
    if (status.reason) notes.push({ level: 'info', code: 'LMS_STATUS_FAILED', message: status.reason });
  }

  const report: ProviderReport = {
    provider: 'lmstudio',
    url: target.url,
    status: outcome.status,
    reason: outcome.reason,
    exposed: false,
    via: outcome.status === 'up' ? 'http' : 'none',
    models: [],
    notes,
  };
  if (report.reason === undefined) delete report.reason;
  if (target.source !== 'default') {
    notes.unshift({ level: 'info', code: 'URL_SOURCE', message: `looked for LM Studio at ${target.url} (from ${target.source})` });
  }
  const exp = exposure(target.url, outcome.status !== 'down');
  report.exposed = exp.exposed;
  notes.push(...exp.notes);

  if (outcome.status === 'up') {
    if (outcome.shape === 'openai' && outcome.missing.length === 2) {
      notes.push({
        level: 'warn',
        code: 'LMSTUDIO_TOO_OLD',
        message: 'this LM Studio has no /api/v0 (before 0.3.6): it cannot serve /v1/responses (0.3.29+), which Codex needs; model details are unknown',
        fix: 'update LM Studio (https://lmstudio.ai/download)',
      });
    } else if (outcome.shape === 'v0' && outcome.missing.length === 1) {
      notes.push({
        level: 'info',
        code: 'LMSTUDIO_0_3',
        message: 'LM Studio 0.3.x (no /api/v1, added in 0.4.0): Codex needs /v1/responses, added in 0.3.29',
        fix: 'check the version in LM Studio (or `lms version`) and update if it is older than 0.3.29',
      });
    }
    if (outcome.skipped > 0) {
      notes.push({ level: 'warn', code: 'ENTRIES_SKIPPED', message: `${outcome.skipped} model entr${outcome.skipped === 1 ? 'y was' : 'ies were'} skipped (no usable id)` });
    }
    report.models = dedupe(outcome.models);
    if (lms && report.models.length > 0 && isLoopbackHost(hostOf(target.url) ?? '')) {
      await linkDevicesFromLms(lms, opts, report.models, listing!.result());
    }
    for (const m of report.models) m.hints = judgeModel(m, opts.env);
    if (report.models.length === 0) {
      notes.push({
        level: 'info',
        code: 'NO_MODELS',
        message: 'LM Studio is running but lists no models',
        fix: 'download one in LM Studio (this tool never downloads)',
      });
    }
    return report;
  }

  if (outcome.status === 'down' && opts.useCli) {
    if (!lms) {
      notes.push({
        level: 'info',
        code: 'NOT_INSTALLED',
        message: 'no LM Studio server answered, and no `lms` command is on PATH or in ~/.lmstudio/bin',
        fix: 'install LM Studio from https://lmstudio.ai if you want to use it',
      });
    } else {
      const r = await listing!.result();
      const parsed = r.ok ? recordsFromLmsLs(r.stdout) : undefined;
      if (parsed) {
        report.models = dedupe(parsed.models);
        if (report.models.some((m) => m.device)) resolveDevices(report.models, await linkStatus(lms, opts));
        for (const m of report.models) m.hints = judgeModel(m, opts.env);
        report.via = 'cli';
        notes.push({
          level: 'info',
          code: 'CLI_LISTING',
          message: `models listed by \`lms ls --json\` (${lms}); whether they are loaded is unknown while the server is off`,
        });
        if (parsed.skipped > 0) {
          notes.push({ level: 'warn', code: 'ENTRIES_SKIPPED', message: `${parsed.skipped} \`lms ls\` entr${parsed.skipped === 1 ? 'y was' : 'ies were'} skipped (no usable id)` });
        }
      } else {
        notes.push({ level: 'info', code: 'CLI_FAILED', message: r.ok ? '`lms ls --json` printed no JSON list' : r.reason });
      }
      notes.push({
        level: 'info',
        code: 'START_SERVER',
        message: `LM Studio is installed (${lms}) but its server does not answer at ${target.url}`,
        fix: `start it: \`lms server start${target.url.endsWith(`:${LMSTUDIO_DEFAULT_PORT}`) ? '' : ` --port ${new URL(target.url).port}`}\`, or Developer > Start Server in the app`,
      });
    }
  }
  return report;
}

async function linkStatus(lms: string, opts: ProbeOptions) {
  const r = await runCli(lms, ['link', 'status', '--json'], { env: opts.env, timeoutMs: opts.cliTimeoutMs });
  return r.ok ? parseLmsLinkStatus(r.stdout) : undefined;
}

/**
 * LM Link: this machine's server may run a model on another device. The REST lists carry no
 * device (LM Studio's docs, 2026-04); `lms ls --json` does (`deviceIdentifier`), and
 * `lms link status --json` names the devices. Asked only for a loopback server that lists models;
 * a failing `lms` leaves the models as the server listed them.
 */
async function linkDevicesFromLms(lms: string, opts: ProbeOptions, models: ModelRecord[], listing: Promise<CliResult>): Promise<void> {
  const r = await listing;
  const listed = r.ok ? recordsFromLmsLs(r.stdout)?.models.filter((m) => m.device) : undefined;
  if (!listed?.length) return;
  const status = await linkStatus(lms, opts);
  resolveDevices(listed, status);
  const byId = new Map(listed.map((m) => [m.id, m]));
  for (const m of models) {
    const other = byId.get(m.id);
    if (!other?.device) continue;
    m.device = other.device;
    m.sources.device = other.sources.device ?? '`lms ls --json` deviceIdentifier';
  }
}

function dedupe(models: ModelRecord[]): ModelRecord[] {
  const seen = new Set<string>();
  return models.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}
