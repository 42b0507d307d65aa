/**
 * `codex-profiles apply FILE`: make this home match a fleet file (src/fleet/format.ts).
 *
 * No writer of its own: the file becomes ProfileRequests for planProfiles (the planner of `add`
 * and `setup`), removals go through planRemoveProfile, and the plan ends in showAndApply (diff,
 * --dry-run, confirmation or --yes, lock, backup, verified atomic writes). So the layout is the
 * one the installed Codex reads, and a home already in sync gives an empty plan: nothing written.
 *
 * `--check` plans the same way and writes nothing: exit 1 when the plan is not empty, listing
 * each difference. A profile someone edited or deleted since shows up as an update or a create.
 */
import path from 'node:path';
import type { CommandContext } from '../context.js';
import { planRemoveProfile } from '../config/profile-writer.js';
import { readRegularFile } from '../write/read-file.js';
import { effectiveChanges } from '../write/plan.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { ConfigError, EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../errors.js';
import { expandUrl, parseFleet, type FleetProfile } from '../plan/fleet-file.js';
import { readManaged, writeManaged } from '../write/fleet-state.js';
import { serverKind } from '../discover/registry.js';
import { planProfiles, type ProfileRequest } from '../plan/add.js';
import { preflight } from '../plan/preflight.js';
import { findModel } from '../discover/discover.js';
import { discover } from '../codex/discovery.js';
import type { ProviderReport } from '../discover/types.js';
import { showAndApply } from '../ui/confirm.js';
import { unifiedDiff } from '../ui/diff.js';

export interface ApplyArgs {
  file: string;
  check: boolean;
  prune: boolean;
  timeout?: string;
}

/** One line per way the home differs from the file (also the --json `differences`). */
export interface Difference {
  profile?: string;
  /** missing: would be created; differs: would be updated; unlisted: apply wrote it, the file no longer lists it. */
  kind: 'missing' | 'differs' | 'unlisted' | 'config';
  detail: string;
}

async function readFleetFile(file: string): Promise<string> {
  let bytes: Uint8Array | null;
  try {
    bytes = await readRegularFile(file);
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`, undefined, 'NOT_A_FILE');
  }
  if (bytes === null) throw new UsageError(`${file} does not exist.`, 'Write one with `codex-profiles export FILE` (see docs/fleet.md).');
  return Buffer.from(bytes).toString('utf8');
}

/** One discovery per (server, url): two Ollama hosts in one file are two reports. */
async function reportsFor(profiles: FleetProfile[], env: NodeJS.ProcessEnv, timeoutMs: number | undefined): Promise<Map<string, ProviderReport | undefined>> {
  const keys = new Map<string, { server: 'ollama' | 'lmstudio'; url?: string }>();
  for (const p of profiles) {
    if (p.server === 'hosted') continue;
    const url = p.url === undefined ? undefined : expandUrl(p.url, env, `[profiles.${p.name}]`);
    keys.set(`${p.server} ${url ?? ''}`, { server: p.server, url });
  }
  const out = new Map<string, ProviderReport | undefined>();
  await Promise.all(
    [...keys].map(async ([key, k]) => {
      // useCli off: `ollama list` / `lms` describe the local default server, not the url asked for.
      const result = await discover({
        providers: [k.server],
        ...(k.server === 'ollama' ? { ollamaUrl: k.url } : { lmstudioUrl: k.url }),
        timeoutMs,
        env,
        useCli: k.url === undefined,
      });
      out.set(key, result.providers.find((r) => r.provider === k.server));
    }),
  );
  return out;
}

export async function runApply(ctx: CommandContext, argv: ApplyArgs): Promise<number> {
  if (argv.check && ctx.opts.dryRun) throw new UsageError('--check already writes nothing; leave out --dry-run.');
  const file = path.resolve(argv.file);
  const fleet = parseFleet(await readFleetFile(file), file);
  const timeoutMs = parseDiscoveryTimeout(argv.timeout);
  const [{ state, codex }, reports, managed] = await Promise.all([
    preflight(ctx, { discover: false }),
    reportsFor(fleet.profiles, ctx.env, timeoutMs),
    readManaged(ctx.opts.codexHome),
  ]);

  const missingModels: Array<{ profile: string; model: string; server: 'ollama' | 'lmstudio'; url?: string; reason: string }> = [];
  const requests: ProfileRequest[] = fleet.profiles.map((p) => {
    if (p.server === 'hosted') return { name: p.name, model: p.model, hosted: true };
    const url = p.url === undefined ? undefined : expandUrl(p.url, ctx.env, `[profiles.${p.name}]`);
    const report = reports.get(`${p.server} ${url ?? ''}`);
    if (!report || report.status !== 'up') {
      missingModels.push({ profile: p.name, model: p.model, server: p.server, url: report?.url ?? url, reason: `server not reachable${report?.reason ? ` (${report.reason})` : ''}; model not checked` });
    } else if (!findModel([report], p.server, p.model)) {
      missingModels.push({ profile: p.name, model: p.model, server: p.server, url: report.url, reason: 'not installed' });
    }
    // Only what the file says: a context taken from the server would differ between runs.
    return { name: p.name, model: p.model, provider: p.server, report, contextWindow: p.model_context_window ?? false };
  });

  // force: update a profile that drifted; allowMissing: a fleet is configured before its models
  // arrive (reported below, never downloaded); allowNoTools: the file decides, the hint warns.
  const { plan, profiles } = planProfiles(state, codex, undefined, requests, {
    force: true,
    allowMissing: true,
    allowNoTools: true,
    ossProvider: fleet.ossProvider,
    env: ctx.env,
  });

  const listed = new Set(fleet.profiles.map((p) => p.name));
  const present = new Set(state.profiles.map((p) => p.name));
  const unlisted = managed.filter((n) => !listed.has(n) && present.has(n));
  if (argv.prune) for (const name of unlisted) planRemoveProfile(plan, state, name);

  const differences: Difference[] = [];
  for (const p of profiles) {
    if (p.unchanged) continue;
    differences.push(present.has(p.name) ? { profile: p.name, kind: 'differs', detail: `${p.name} differs from the file (${p.provider} / ${p.model})` } : { profile: p.name, kind: 'missing', detail: `${p.name} is missing` });
  }
  for (const name of unlisted) differences.push({ profile: name, kind: 'unlisted', detail: `${name} was written by apply and the file no longer lists it${argv.prune ? '' : ' (--prune removes it)'}` });
  for (const s of plan.summary) if (/\[model_providers\.|oss_provider/.test(s)) differences.push({ kind: 'config', detail: s });
  const notes = [...new Set(profiles.flatMap((p) => p.hints.map((h) => `${p.name} (${p.model}): ${h.message}`)))];
  for (const m of missingModels) ctx.out.warn(`${m.profile}: model ${m.model} ${m.reason}${m.url ? ` at ${m.url}` : ''}; codex-profiles never downloads it (${serverKind(m.server).getModel(m.model)}).`);
  for (const n of notes) ctx.out.warn(n);

  if (argv.check) {
    const changes = effectiveChanges(plan);
    // Unlisted profiles are drift only when pruning is the policy; otherwise they are reported.
    const drift = changes.length > 0;
    for (const w of plan.warnings) ctx.out.warn(w);
    if (!drift) ctx.out.line(`In sync: ${state.home} matches ${file}.`);
    else {
      ctx.out.line(`${state.home} differs from ${file}:`);
      for (const d of differences) ctx.out.line(`  • ${d.detail}`);
    }
    if (ctx.opts.json) {
      ctx.out.json({ ok: !drift, inSync: !drift, changed: false, file, home: state.home, codex: { version: codex.version ?? null, layout: codex.layout }, differences, missingModels, diff: changes.map((c) => unifiedDiff(c, plan.home)).join('') });
    }
    return drift ? EXIT_CHECK_FAILED : EXIT_OK;
  }

  const outcome = await showAndApply(ctx, plan);
  const nothingToDo = effectiveChanges(plan).length === 0;
  if (nothingToDo && !ctx.opts.json) ctx.out.line(`This home already matches ${path.basename(file)}; nothing was written.`);
  // The marker for --prune: what apply manages from now on (kept for unlisted ones until pruned).
  let stateWritten = false;
  if (!ctx.opts.dryRun && (outcome.applied || nothingToDo)) {
    const keep = argv.prune ? [] : unlisted;
    stateWritten = await writeManaged(ctx.opts.codexHome, [...listed, ...keep]);
  }
  if (ctx.opts.json) {
    // `changed` is the boolean configuration management reads; the outcome's file list is `files`.
    const { changed: files, ...rest } = outcome;
    ctx.out.json({ ok: true, ...rest, changed: outcome.applied, files, file, codex: { version: codex.version ?? null, layout: codex.layout }, differences, missingModels, managedListUpdated: stateWritten });
  }
  return EXIT_OK;
}
