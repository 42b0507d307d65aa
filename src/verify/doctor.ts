/**
 * `codex-profiles doctor`: the environment at a glance — which codex (path, version, profile
 * layout), CODEX_HOME, whether the config parses, each provider codex can use (URL, up/down,
 * version, exposed or not, which profiles use it) — and what to do about each problem.
 *
 * Providers are probed where CODEX will call them: the built-in `ollama` / `lmstudio` at
 * codexOssUrls(env).effective (CODEX_OSS_BASE_URL / CODEX_OSS_PORT; codex does not read
 * OLLAMA_HOST), custom ids at their `base_url`. Non-loopback servers are listed, not contacted.
 *
 * Problems: `error` needs fixing (exit 1), `warn` is worth a look, `info` is for the record.
 * Invalid TOML is exit 2 (a config error), after the report.
 */
import type { Diagnostic, Severity } from '../diagnostic.js';
import { pinWarnings, type AdminPins } from '../codex/admin-pins.js';
import { localityOfUrl, localityText, profileDestination, verdictOf, type LocalityVerdict } from '../codex/destination.js';
import chalk from 'chalk';
import type { CodexInfo } from '../codex/detect.js';
import { allProviderTables, type HomeState } from '../config/profiles.js';
import { CODEX_INSTALL_FIX, FACT_SEVERITY, statusWords } from '../diagnostics.js';
import { startFix } from '../discover/fixes.js';
import { codexOssReport, codexOssUrls, isLocalBuiltInId, isReservedProviderId, type CodexLocalBuiltInId } from '../codex/builtins.js';
import { cleanBaseUrl, endpointOf, isLoopbackHost, stripV1 } from '../discover/address.js';
import { displayNameOf, SERVER_KIND_IDS, serverKind } from '../discover/registry.js';
import type { ProviderStatus } from '../discover/types.js';
import { renderTable } from '../ui/table.js';
import { OLLAMA_MIN_VERSION, ollamaTooOld, type ServerProbe } from './probe.js';
import { effectiveProvider, guessKind, serverQueueKey, type ServerKind } from './provider-of.js';

export type ProblemSeverity = Severity;

/** A doctor check that did not pass: the one diagnostic shape (src/diagnostic.ts) by area; codes to come. */
export interface DoctorProblem extends Omit<Diagnostic, 'code'> {
  code?: string;
  area: 'codex' | 'home' | 'config' | 'provider';
  fix: string;
}

export interface DoctorProvider {
  id: string;
  /** What answered (or what the id suggests, when nothing did). */
  kind: ServerKind;
  /** The base URL codex calls (with /v1). */
  url: string;
  /** Where that URL comes from: Codex's default, an environment variable, or a file. */
  source: string;
  /** False for non-loopback servers: listed, never contacted by doctor. */
  probed: boolean;
  status: ProviderStatus | 'not-probed';
  reason?: string;
  version?: string;
  /** Reachable from other hosts (non-loopback address, bind-all OLLAMA_HOST). */
  exposed: boolean;
  models: number;
  /** Profiles whose prompts go through it. */
  usedBy: string[];
  /** Discovery said the program is not installed (no server, no CLI). */
  notInstalled?: boolean;
  /**
   * Listed because it is a server kind's own address (vLLM's, llama-server's), not because Codex
   * is set up to call it: shown in the table, never a problem while nothing answers there.
   */
  defaultAddress?: boolean;
  /** Where prompts sent to this URL go (src/codex/destination.ts). */
  locality?: LocalityVerdict;
}

export interface DoctorReport {
  ok: boolean;
  codex: { found: boolean; bin?: string; version?: string; layout: CodexInfo['layout']; profileV2: boolean; ephemeral: boolean; warnings: string[] };
  codexHome: { path: string; source: string; exists: boolean };
  config: {
    path: string;
    exists: boolean;
    valid: boolean;
    errors: Array<{ file: string; line: number; column: number; message: string }>;
    profileFiles: number;
    profileTables: number;
    legacySelector?: string;
  };
  providers: DoctorProvider[];
  /** Every profile (the one this codex reads, per name) and where its prompts go. */
  profiles: Array<{ name: string; layout: string; locality: LocalityVerdict }>;
  problems: DoctorProblem[];
}

export interface DoctorInputs {
  codex: CodexInfo;
  home: { path: string; source: string; exists: boolean };
  state: HomeState;
  providers: DoctorProvider[];
  env: NodeJS.ProcessEnv;
  /** What the system config pins (readAdminPins; passed in so that the report stays pure). */
  adminPins?: AdminPins;
}

function layoutText(codex: Pick<CodexInfo, 'layout' | 'profileV2'>): string {
  if (codex.layout === 'file') return 'profile files (NAME.config.toml, -p NAME)';
  return codex.profileV2 ? '[profiles.NAME] tables (-p); NAME.config.toml with --profile-v2' : '[profiles.NAME] tables (-p)';
}

/** The report, and every problem in it with its fix. Pure: unit-tested. */
export function buildDoctorReport(input: DoctorInputs): DoctorReport {
  const { codex, home, state, providers, env } = input;
  const problems: DoctorProblem[] = [];
  // An administrator's managed_config.toml can override every profile's provider (issue 13).
  for (const w of pinWarnings(input.adminPins ?? { files: [], pins: [], errors: [] })) {
    problems.push({ severity: 'warn', area: 'config', message: w, fix: 'Profiles for local models cannot take effect while this pin stands; ask whoever manages this machine.' });
  }

  if (!codex.found) {
    problems.push({
      severity: 'error',
      area: 'codex',
      message: codex.warnings[0] ?? 'codex was not found.',
      fix: CODEX_INSTALL_FIX,
    });
  } else {
    for (const w of codex.warnings) problems.push({ severity: 'warn', area: 'codex', message: w, fix: 'Check the codex installation (`codex --version`, `codex exec --help`).' });
  }

  if (!home.exists) {
    problems.push({
      severity: 'warn',
      area: 'home',
      message: `${home.path} (from ${home.source}) does not exist: codex has not been run with this home yet, or ${home.source === 'default' ? 'CODEX_HOME' : home.source} points elsewhere.`,
      fix: 'Run codex once, or `codex-profiles add` to create a profile there; check CODEX_HOME / --codex-home otherwise.',
    });
  }

  for (const e of state.errors) {
    problems.push({
      severity: 'error',
      area: 'config',
      message: `${e.file}:${e.line}:${e.column}: not valid TOML: ${e.reason}`,
      fix: 'Fix the file at that line (or `codex-profiles restore` a backup); codex cannot read it either.',
    });
  }

  const tables = state.profiles.filter((p) => p.layout === 'table');
  if (codex.layout === 'file' && (tables.length > 0 || state.profileSelector !== undefined)) {
    const what = [
      ...(state.profileSelector !== undefined ? [`\`profile = "${state.profileSelector}"\` (breaks every run)`] : []),
      ...(tables.length > 0 ? [`${tables.length} [profiles.*] table${tables.length === 1 ? '' : 's'} (${tables.map((t) => t.name).join(', ')})`] : []),
    ];
    problems.push({
      severity: 'error',
      area: 'config',
      message: `config.toml has legacy profiles that codex ${codex.version ?? '>= 0.134'} does not accept: ${what.join(' and ')}.`,
      fix: 'Run `codex-profiles migrate` (then `codex-profiles audit` for the rest).',
    });
  }

  for (const n of codexOssReport(env, []).notes) {
    if (n.level === 'warn') problems.push({ severity: 'warn', area: 'provider', message: n.message, fix: n.fix ?? '' });
  }

  for (const p of providers) {
    const used = p.usedBy.length > 0;
    const usedText = used ? `used by ${p.usedBy.join(', ')}` : 'no profile uses it';
    const name = p.kind === 'unknown' ? `provider \`${p.id}\`` : `${displayNameOf(p.kind)} (provider \`${p.id}\`)`;
    if (p.defaultAddress && p.status !== 'up') continue;
    if (p.status === 'down' || p.status === 'not-responding') {
      if (!used && p.notInstalled) {
        problems.push({ severity: 'info', area: 'provider', message: `${name} is not installed (${usedText}).`, fix: 'Nothing to do unless you want to use it.' });
        continue;
      }
      let fix = startFix(p.kind, p.source === 'built-in default' ? undefined : p.source);
      if (p.id === 'ollama' && env.OLLAMA_HOST?.trim() && !env.CODEX_OSS_BASE_URL?.trim()) {
        fix += ` Codex does not read OLLAMA_HOST (${env.OLLAMA_HOST.trim()}): set CODEX_OSS_BASE_URL, or give such profiles their own provider id with that base_url.`;
      }
      problems.push({
        severity: used ? FACT_SEVERITY.PROVIDER_DOWN : 'info',
        area: 'provider',
        message: `${name}: nothing answers at ${p.url} (${statusWords(p.status)}${p.reason ? `: ${p.reason}` : ''}); ${usedText}.`,
        fix,
      });
      continue;
    }
    if (p.status === 'error') {
      problems.push({
        severity: used ? 'error' : 'warn',
        area: 'provider',
        message: `${name}: something answers at ${p.url} but not as any server kind codex-profiles knows (${p.reason ?? 'unrecognised'}); ${usedText}.`,
        fix: 'Check the port: another program may be listening there, or the server needs an API token (LM_API_TOKEN).',
      });
    }
    if (isLocalBuiltInId(p.id) && p.status === 'up' && p.kind !== 'unknown' && p.kind !== p.id) {
      problems.push({
        severity: used ? 'error' : 'warn',
        area: 'provider',
        message: `the built-in \`${p.id}\` provider points at ${p.url} (${p.source}), where ${displayNameOf(p.kind)} answers, not ${displayNameOf(p.id)}; ${usedText}.`,
        fix: 'CODEX_OSS_BASE_URL / CODEX_OSS_PORT move both built-in ids at once: give the other server its own provider id with base_url instead.',
      });
    }
    if (p.kind === 'ollama' && p.status === 'up' && ollamaTooOld(p.version)) {
      problems.push({
        severity: used ? 'error' : 'warn',
        area: 'provider',
        message: `Ollama ${p.version} at ${p.url} is too old for codex (Responses API from ${OLLAMA_MIN_VERSION}); ${usedText}.`,
        fix: 'Update Ollama (https://ollama.com/download).',
      });
    }
    if (p.exposed) {
      problems.push({
        severity: 'warn',
        area: 'provider',
        message: `${name} at ${p.url} is reachable over the network: prompts (code, files) cross it${p.probed ? '' : ' (not contacted by doctor)'}.`,
        fix: 'Use a loopback address (127.0.0.1) unless the server is meant to be shared; `codex-profiles test` runs such profiles only with --include-hosted.',
      });
    }
  }

  const report: DoctorReport = {
    ok: !problems.some((p) => p.severity === 'error'),
    codex: {
      found: codex.found,
      bin: codex.bin,
      version: codex.version,
      layout: codex.layout,
      profileV2: codex.profileV2,
      ephemeral: codex.ephemeral,
      warnings: codex.warnings,
    },
    codexHome: home,
    config: {
      path: state.configPath,
      exists: state.configText !== null,
      valid: state.errors.length === 0,
      errors: state.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, message: e.message })),
      profileFiles: state.profiles.filter((p) => p.layout === 'file').length,
      profileTables: tables.length,
    },
    providers: providers.map((p) => ({ ...p, locality: p.locality ?? localityOfUrl(p.url) })),
    profiles: profileLocalities(state, codex, env),
    problems,
  };
  if (state.profileSelector !== undefined) report.config.legacySelector = state.profileSelector;
  return report;
}

/** Where each profile's prompts go: one line per name, the layout this codex reads first. */
function profileLocalities(state: HomeState, codex: CodexInfo, env: NodeJS.ProcessEnv): DoctorReport['profiles'] {
  const preferred = codex.layout;
  const byName = new Map<string, HomeState['profiles'][number]>();
  for (const p of state.profiles) {
    const seen = byName.get(p.name);
    if (!seen || (seen.layout !== preferred && p.layout === preferred)) byName.set(p.name, p);
  }
  return [...byName.values()].map((p) => {
    return { name: p.name, layout: p.layout, locality: verdictOf(profileDestination(state, p, env)) };
  });
}

type Target = Omit<DoctorProvider, 'status' | 'probed' | 'exposed' | 'models'>;

/**
 * The providers codex can use here: the built-in local ids at the URLs Codex computes, every
 * custom id in the files, then each other server kind of the registry at its own address (its
 * environment variables respected, as `models` reads them) unless a provider already points there.
 */
export function providerTargets(state: HomeState, env: NodeJS.ProcessEnv): Target[] {
  const oss = codexOssUrls(env);
  const ossSource = oss.baseUrl !== undefined ? 'CODEX_OSS_BASE_URL' : oss.port !== undefined && oss.portValid ? 'CODEX_OSS_PORT' : 'built-in default';
  const usedBy = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const p of state.profiles) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    const id = effectiveProvider(state, p, env).id;
    usedBy.set(id, [...(usedBy.get(id) ?? []), p.name]);
  }
  const out: Target[] = [];
  for (const id of Object.keys(oss.effective) as CodexLocalBuiltInId[]) {
    out.push({ id, kind: id, url: oss.effective[id], source: ossSource, usedBy: usedBy.get(id) ?? [] });
  }
  const listed = new Set<string>();
  for (const { id, table: t, file, line } of allProviderTables(state)) {
    if (isReservedProviderId(id) || typeof t.base_url !== 'string') continue;
    const url = cleanBaseUrl(t.base_url);
    const key = `${id} ${t.base_url}`;
    if (listed.has(key)) continue;
    listed.add(key);
    out.push({ id, kind: guessKind(id, typeof t.name === 'string' ? t.name : undefined, url), url, source: `${file}${line ? `:${line}` : ''}`, usedBy: usedBy.get(id) ?? [] });
  }
  const covered = new Set(out.map((t) => serverQueueKey(stripV1(t.url))));
  for (const kind of SERVER_KIND_IDS.map(serverKind)) {
    if (kind.codexBuiltIn || kind.defaultUrl === undefined) continue;
    const target = kind.resolveTarget(undefined, env);
    if (covered.has(serverQueueKey(target.url))) continue;
    const source = target.source === 'default' ? `${kind.displayName} default address` : target.source;
    out.push({ id: kind.id, kind: kind.id, url: `${target.url}/v1`, source, usedBy: [], defaultAddress: true });
  }
  return out;
}

export type DoctorProbe = (url: string, kind: ServerKind, useCli: boolean) => Promise<ServerProbe>;

export async function probeTargets(targets: Target[], probe: DoctorProbe): Promise<DoctorProvider[]> {
  const cache = new Map<string, Promise<ServerProbe>>();
  return Promise.all(
    targets.map(async (t): Promise<DoctorProvider> => {
      const server = stripV1(t.url);
      const host = endpointOf(server)?.host;
      if (host === undefined || !isLoopbackHost(host)) {
        return { ...t, probed: false, status: 'not-probed', exposed: host !== undefined, models: 0 };
      }
      const builtIn = isLocalBuiltInId(t.id);
      const key = `${server} ${t.kind} ${builtIn}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = probe(server, t.kind, builtIn);
        cache.set(key, pending);
      }
      const r = await pending;
      const out: DoctorProvider = { ...t, kind: r.kind === 'unknown' ? t.kind : r.kind, probed: true, status: r.status, exposed: r.exposed, models: r.models.length };
      if (r.reason !== undefined) out.reason = r.reason;
      if (r.version !== undefined) out.version = r.version;
      if (r.notes.some((n) => n.code === 'NOT_INSTALLED')) out.notInstalled = true;
      return out;
    }),
  );
}

export function renderDoctor(r: DoctorReport): string {
  const lines: string[] = [];
  const c = r.codex;
  lines.push(`codex        ${c.found ? `${c.bin}  ${c.version ?? '(version unknown)'}` : chalk.red('not found')}`);
  lines.push(`layout       ${layoutText(c)}${c.found ? '' : ' (assumed: the newest)'}`);
  lines.push(`CODEX_HOME   ${r.codexHome.path} (from ${r.codexHome.source})${r.codexHome.exists ? '' : chalk.yellow(' does not exist')}`);
  const cfg = r.config;
  const status = !cfg.exists ? chalk.dim('no config.toml') : cfg.valid ? chalk.green('valid') : chalk.red(`${cfg.errors.length} error${cfg.errors.length === 1 ? '' : 's'}`);
  lines.push(`config       ${cfg.path}: ${status}; ${cfg.profileFiles} profile file${cfg.profileFiles === 1 ? '' : 's'}, ${cfg.profileTables} [profiles.*] table${cfg.profileTables === 1 ? '' : 's'}`);
  for (const e of cfg.errors) lines.push(`             ${chalk.red(e.message)}`);
  lines.push('', 'Providers:');
  lines.push(
    renderTable(
      ['ID', 'KIND', 'URL', 'STATUS', 'VERSION', 'EXPOSED', 'MODELS', 'USED BY'],
      r.providers.map((p) => [
        p.id,
        p.kind === 'unknown' ? '?' : displayNameOf(p.kind),
        p.url,
        p.status === 'up' ? chalk.green('up') : p.status === 'not-probed' ? chalk.dim('not probed') : chalk.red(p.status),
        p.version ?? '-',
        p.exposed ? chalk.yellow('yes') : 'no',
        p.probed && p.status === 'up' ? String(p.models) : '-',
        p.usedBy.length > 0 ? p.usedBy.join(', ') : '-',
      ]),
    ),
  );
  if (r.profiles.length > 0) {
    lines.push('', 'Profiles (where prompts go):');
    for (const p of r.profiles) lines.push(`  ${p.name}: ${localityText(p.locality)}`);
  }
  lines.push('');
  if (r.problems.length === 0) {
    lines.push(chalk.green('No problems found.'));
  } else {
    lines.push('Problems:');
    for (const p of r.problems) {
      const sev = p.severity === 'error' ? chalk.red('error') : p.severity === 'warn' ? chalk.yellow('warn ') : chalk.dim('info ');
      lines.push(`${sev}  ${p.area.padEnd(8)} ${p.message}`);
      if (p.fix) lines.push(`       ${' '.repeat(9)}fix: ${p.fix}`);
    }
  }
  return lines.join('\n');
}
