import chalk from 'chalk';
import type { CommandContext } from '../context.js';
import { parseDiscoveryTimeout } from '../duration.js';
import { codexMissing, statusWords, type Diagnostic } from '../diagnostics.js';
import { providerDown } from '../discover/fixes.js';
import { UsageError } from '../errors.js';
import { findModel, isUsableForProfiles } from '../discover/discover.js';
import { formatBytes, hintSummaryLines, safeText } from '../discover/render.js';
import type { DiscoveryResult, ModelRecord, ProviderId, ProviderReport } from '../discover/types.js';
import { SERVER_KIND_IDS, displayNameOf, serverKind } from '../discover/registry.js';
import { urlsOf } from '../context.js';
import { showAndApply, type PlanOutcome } from '../ui/confirm.js';
import type { Choice, Prompter } from '../ui/prompter.js';
import { contextFor, planProfiles, type PlannedProfile, type ProfileRequest } from './add.js';
import { profileNameProblem, suggestProfileName } from '../config/naming.js';
import { preflight, type Preflight } from './preflight.js';
import { providerTargetFor } from './provider-target.js';
import { leavesMachine, localityOfModel, LOCALITY_WORDS, type LocalityVerdict } from '../codex/destination.js';

export interface SetupArgs {
  provider?: ProviderId[];
  models?: string;
  ossProvider?: ProviderId;
  contextWindow: boolean;
  test: boolean;
  force: boolean;
  layout?: 'file' | 'table';
  ollamaUrl?: string;
  lmstudioUrl?: string;
  vllmUrl?: string;
  llamacppUrl?: string;
  /** An OpenAI-compatible server to look at too. */
  url?: string;
  apiKeyEnv?: string;
  timeout?: string;
  allowNoTools?: boolean;
  /** Offer (and write) models that run in the cloud (Ollama cloud models); same flag as `add`. */
  allowCloud?: boolean;
}

interface Pick {
  provider: ProviderId;
  model: string;
}

function modelLine(m: ModelRecord): string {
  const facts = [m.parameters, m.quantization, m.sizeBytes ? formatBytes(m.sizeBytes) : undefined, m.contextLength ? `${m.contextLength} ctx max` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${safeText(m.id)}${facts ? chalk.dim(` (${facts})`) : ''}`;
}

function markers(m: ModelRecord): string {
  const words = (level: string) => m.hints.filter((h) => h.level === level).map((h) => h.code.toLowerCase().replace(/_/g, ' ')).join(', ');
  const errors = words('error');
  const warns = words('warn');
  return (errors ? ' ' + chalk.red(`✖ ${errors}`) : '') + (warns ? ' ' + chalk.yellow(`⚠ ${warns}`) : '');
}

/** Where a model's prompts go (src/codex/destination.ts); annotated once per discovery. */
function localityOf(r: ProviderReport, m: ModelRecord): LocalityVerdict {
  if (!m.locality) m.locality = localityOfModel(r.provider, r.url, m);
  return m.locality;
}

/** ` → cloud: ...` for a model whose prompts leave this machine; nothing for one that runs here. */
function awayMarker(r: ProviderReport, m: ModelRecord): string {
  const l = localityOf(r, m);
  return leavesMachine(l) ? ' ' + chalk.yellow(`→ ${LOCALITY_WORDS[l.locality]}: ${l.reason}`) : '';
}

function describeProvider(r: ProviderReport): string {
  const state = r.status === 'up' ? chalk.green('up') : chalk.red(r.status);
  const exposed = r.exposed ? chalk.yellow(' exposed: other hosts can send it prompts') : '';
  const version = r.version ? ` ${r.version}` : '';
  const why = r.status !== 'up' && r.reason ? chalk.dim(` (${r.reason})`) : '';
  return `${displayNameOf(r.provider)}${version} at ${r.url}: ${state}${why}${exposed}`;
}

/** Step 1: what was found. */
export function describeFindings(pre: Preflight): string[] {
  const lines: string[] = [];
  const c = pre.codex;
  lines.push(
    c.found
      ? `Codex ${c.version ?? '(unknown version)'} at ${c.bin}: profiles are ${c.layout === 'file' ? 'per-profile files (NAME.config.toml)' : '[profiles.NAME] tables in config.toml'}`
      : chalk.yellow('Codex was not found on PATH: profiles will be written as per-profile files (Codex >= 0.134).'),
  );
  lines.push(`Codex home: ${pre.state.home}`);
  for (const r of pre.discovery?.providers ?? []) {
    lines.push(describeProvider(r));
    for (const m of r.models) {
      if (!isUsableForProfiles(m)) continue;
      lines.push(`  ${modelLine(m)}${markers(m)}${awayMarker(r, m)}`);
    }
    for (const n of r.notes) if (n.level !== 'info') lines.push(chalk.yellow(`  ${n.message}`));
  }
  for (const n of pre.discovery?.codexOss.notes ?? []) if (n.level !== 'info') lines.push(chalk.yellow(n.message));
  if (pre.state.profiles.length) {
    lines.push(`Existing profiles (kept as they are): ${pre.state.profiles.map((p) => `${p.name} (${p.model ?? '?'})`).join(', ')}`);
  }
  return lines;
}

function upProviders(d: DiscoveryResult | undefined): ProviderReport[] {
  return (d?.providers ?? []).filter((r) => r.status === 'up');
}

/** `--models a,b` against what the providers have: each model must be found in exactly one. */
function picksFromFlags(models: string, discovery: DiscoveryResult | undefined, providers: ProviderId[] | undefined): Pick[] {
  const ids = models.split(',').map((s) => s.trim()).filter(Boolean);
  return ids.map((model) => {
    const candidates = (providers?.length ? providers : [...SERVER_KIND_IDS]).filter((p) => findModel(discovery?.providers ?? [], p, model));
    if (candidates.length === 1) return { provider: candidates[0]!, model };
    if (candidates.length > 1) {
      throw new UsageError(`${model} is installed in both Ollama and LM Studio.`, 'Pass --provider ollama or --provider lmstudio.');
    }
    if (providers?.length === 1) return { provider: providers[0]!, model }; // planProfiles explains what is missing
    throw new UsageError(`${model} is not installed in any provider that answered.`, 'Check `codex-profiles models`, or pass --provider.');
  });
}

function existingProfileFor(pre: Preflight, pick: Pick, env: NodeJS.ProcessEnv): string | undefined {
  const report = pre.discovery?.providers.find((r) => r.provider === pick.provider);
  const target = providerTargetFor(pick.provider, report?.url ?? '', env);
  return pre.state.profiles.find((p) => p.model === pick.model && (p.provider === target.id || p.provider === pick.provider))?.name;
}

async function askPicks(pre: Preflight, prompter: Prompter, env: NodeJS.ProcessEnv, out: CommandContext['out'], allowNoTools: boolean, allowCloud: boolean): Promise<Pick[]> {
  const choices: Choice<Pick>[] = [];
  const ticked = new Map<Pick, string>();
  for (const r of upProviders(pre.discovery)) {
    for (const m of r.models) {
      if (!isUsableForProfiles(m)) continue; // embedding models cannot back a profile
      const pick = { provider: r.provider, model: m.id };
      const existing = existingProfileFor(pre, pick, env);
      if (existing !== undefined) ticked.set(pick, existing);
      // Shown but not offered: picking it would only end in planProfiles' refusal after the names
      // were asked for. A cloud model is shown, so that nobody wonders where it went; its
      // disabled note says where prompts would go, so the name does not say it again.
      const where = localityOf(r, m);
      const held = notOffered(m, where, { allowNoTools, allowCloud });
      const cloud = held === 'cloud';
      const disabled = held === 'no-tools' ? 'no tool calling: cannot drive Codex (--allow-no-tools offers it)' : cloud ? `cloud: prompts would go to ${where.place ?? 'a hosted service'} (--allow-cloud offers it)` : undefined;
      choices.push({
        name: `${displayNameOf(r.provider)}: ${modelLine(m)}${markers(m)}${cloud ? '' : awayMarker(r, m)}${existing ? chalk.dim(` (profile ${existing} exists)`) : ''}`,
        value: pick,
        checked: existing !== undefined && disabled === undefined,
        ...(disabled !== undefined ? { disabled } : {}),
      });
    }
  }
  if (choices.length === 0) return [];
  const picks = await prompter.checkbox({ message: 'Which models should get a Codex profile?', choices });
  // Unticking is not removing: say so, rather than leave the person thinking it is gone.
  for (const [pick, name] of ticked) {
    if (!picks.includes(pick)) out.line(`Profile ${name} is kept (unticked, but setup never removes profiles): remove it with \`codex-profiles remove ${name}\`.`);
  }
  return picks;
}

/**
 * Nothing to set up: no provider answered. What is missing, with the fixes doctor gives
 * (src/diagnostics.ts), so a first run says what to install or start.
 */
export function missingPieces(pre: Preflight): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (upProviders(pre.discovery).length > 0) return out;
  if (!pre.codex.found) out.push(codexMissing(pre.codex.warnings[0]));
  for (const r of pre.discovery?.providers ?? []) out.push(providerDown(r.provider, r.url, r.reason ?? statusWords(r.status)));
  return out;
}

export interface SetupResult {
  /** Set when nothing could be set up: what to install or start (exit 1). */
  missing?: Diagnostic[];
  /** The models setup could offer, where their prompts go, and whether they were offered. */
  choices?: Array<{ provider: ProviderId; model: string; locality: LocalityVerdict; offered: boolean; why?: string }>;
  outcome?: PlanOutcome;
  profiles: PlannedProfile[];
  ossProvider?: ProviderId;
}

/**
 * The wizard and `setup --yes` share this: find, pick, name, choose oss_provider, show the diff,
 * write. `prompter` is absent when no person can answer (then flags must say everything).
 */
export async function setupFlow(ctx: CommandContext, args: SetupArgs, prompter: Prompter | undefined): Promise<SetupResult> {
  const urls = urlsOf({ ...args, provider: undefined });
  const pre = await preflight(ctx, { discover: true, providers: args.provider, urls, apiKeyEnv: args.apiKeyEnv, timeoutMs: parseDiscoveryTimeout(args.timeout), layout: args.layout, force: args.force });
  for (const line of describeFindings(pre)) ctx.out.line(line);
  ctx.out.line('');
  const missing = missingPieces(pre);
  if (missing.length > 0) {
    ctx.out.line('Nothing to set up yet: no model server answered.');
    for (const d of missing) ctx.out.line(`${chalk.red(d.severity)}  ${d.message}\n       fix: ${d.fix}`);
    ctx.out.line('Then run `codex-profiles setup` again (`codex-profiles doctor` shows the same checks).');
    return { profiles: [], missing };
  }

  const choices = modelChoices(pre, args);
  let picks: Pick[];
  if (args.models !== undefined) picks = picksFromFlags(args.models, pre.discovery, args.provider);
  else if (prompter) picks = await askPicks(pre, prompter, ctx.env, ctx.out, Boolean(args.allowNoTools), Boolean(args.allowCloud));
  else {
    throw new UsageError(
      'setup needs to know which models to set up, and there is no terminal to ask on.',
      'Pass them as flags, e.g. `codex-profiles setup --yes --provider ollama --models gpt-oss:20b,qwen3-coder:30b` (see `codex-profiles models`).',
    );
  }

  const taken = new Set(pre.state.profiles.map((p) => p.name));
  const requests: ProfileRequest[] = [];
  for (const pick of picks) {
    const existing = existingProfileFor(pre, pick, ctx.env);
    if (existing && !args.force) continue; // kept as it is: never duplicated
    let name = existing ?? suggestProfileName(pick.model, taken);
    if (prompter && !existing) {
      name = await prompter.input({
        message: `Profile name for ${pick.model}`,
        default: name,
        validate: (v) => profileNameProblem(v.trim(), taken) ?? true,
      });
      name = name.trim();
    }
    taken.add(name);
    const model = findModel(pre.discovery?.providers ?? [], pick.provider, pick.model);
    requests.push({ provider: pick.provider, model: pick.model, name, contextWindow: args.contextWindow ? contextFor(model, ctx.env) ?? false : false });
  }

  let oss = args.ossProvider;
  // oss_provider takes only the kinds Codex has a built-in id for (ollama, lmstudio).
  const ossCapable = (p: ProviderId) => serverKind(p).codexBuiltIn !== undefined;
  const up = upProviders(pre.discovery).map((r) => r.provider).filter(ossCapable);
  if (!oss && prompter && up.length > 0) {
    const keep = pre.state.ossProvider;
    const choices: Choice<ProviderId | undefined>[] = up.map((p) => ({ name: displayNameOf(p), value: p }));
    if (keep) choices.unshift({ name: `keep ${keep}`, value: undefined });
    oss = await prompter.select({ message: 'Which backend should `codex --oss` use (oss_provider)?', choices, default: keep ? undefined : picks.find((p) => ossCapable(p.provider))?.provider ?? up[0] });
  } else if (!oss && !pre.state.ossProvider && picks.some((p) => ossCapable(p.provider))) {
    oss = picks.find((p) => ossCapable(p.provider))!.provider; // nothing set yet: the provider of the first model chosen
  }

  if (requests.length === 0 && (!oss || oss === pre.state.ossProvider)) {
    ctx.out.line(picks.length ? 'Every chosen model already has a profile; nothing to change.' : 'No models chosen; nothing to change.');
    return { choices, profiles: [], ossProvider: oss };
  }
  const { plan, profiles } = planProfiles(pre.state, pre.codex, pre.discovery, requests, { force: args.force, allowNoTools: args.allowNoTools, allowCloud: args.allowCloud, env: ctx.env, ossProvider: oss, urls, apiKeyEnv: args.apiKeyEnv });
  for (const line of hintSummaryLines(profiles.flatMap((p) => p.hints.map((hint) => ({ subject: p.model, hint }))))) ctx.out.note(line);
  const outcome = await showAndApply(ctx, plan, prompter ? { confirm: (message) => prompter.confirm({ message, default: true }) } : {});
  return { choices, outcome, profiles, ossProvider: oss };
}

/**
 * Why setup shows a model but does not offer it, the first that applies; undefined: offered. A
 * model without tool calling cannot drive Codex (--allow-no-tools); a cloud model's prompts leave
 * the machine (--allow-cloud). The wizard and `setup --json` both ask this.
 */
function notOffered(m: ModelRecord, where: LocalityVerdict, allow: { allowNoTools: boolean; allowCloud: boolean }): 'no-tools' | 'cloud' | undefined {
  if (m.capabilities.tools === false && !allow.allowNoTools) return 'no-tools';
  if (where.locality === 'cloud' && !allow.allowCloud) return 'cloud';
  return undefined;
}

/** Every model setup could write a profile for, with where it sends prompts (setup --json). */
function modelChoices(pre: Preflight, args: SetupArgs): NonNullable<SetupResult['choices']> {
  return upProviders(pre.discovery).flatMap((r) =>
    r.models.filter(isUsableForProfiles).map((m) => {
      const locality = localityOf(r, m);
      const held = notOffered(m, locality, { allowNoTools: Boolean(args.allowNoTools), allowCloud: Boolean(args.allowCloud) });
      const why = held === 'no-tools' ? 'no tool calling (--allow-no-tools)' : held === 'cloud' ? 'cloud model (--allow-cloud)' : undefined;
      return { provider: r.provider, model: m.id, locality, offered: why === undefined, ...(why !== undefined ? { why } : {}) };
    }),
  );
}
