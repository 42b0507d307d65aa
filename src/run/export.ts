/**
 * `codex-profiles export [FILE]`: the profiles of this home as a fleet file (src/fleet/format.ts).
 * Each profile is described by what it means (server kind, model, URL), not by how this machine
 * stores it, so `apply` on another machine writes what that machine's Codex reads.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { effectiveProvider } from '../verify/provider-of.js';
import { throwOnSyntaxErrors } from '../run/test.js';
import type { CommandContext } from '../context.js';
import { writeFileVerified } from '../write/atomic-write.js';
import { isValidProfileName, loadHome, type HomeState, type Profile } from '../config/profiles.js';
import { ConfigError, EXIT_OK } from '../errors.js';
import { renderFleet, withoutCredentials, type FleetFile, type FleetProfile } from '../plan/fleet-file.js';

export interface ExportArgs {
  file?: string;
  force: boolean;
}

/** One profile per name: the layout Codex >= 0.134 reads first (files), else the table. */
function byName(state: HomeState): Profile[] {
  const out = new Map<string, Profile>();
  for (const p of state.profiles) {
    const seen = out.get(p.name);
    if (!seen || (seen.layout === 'table' && p.layout === 'file')) out.set(p.name, p);
  }
  return [...out.values()];
}

/** The fleet entry for a profile, or why it cannot be described (skipped with a note). */
export function describeProfile(state: HomeState, profile: Profile, env: NodeJS.ProcessEnv): { entry: FleetProfile; note?: string } | { skip: string } {
  if (!isValidProfileName(profile.name)) return { skip: `${profile.name}: not a name Codex accepts on a command line` };
  const provider = effectiveProvider(state, profile, env);
  if (provider.model === undefined) return { skip: `${profile.name}: sets no model` };
  const ctx = profile.values.model_context_window;
  const extra = typeof ctx === 'number' && Number.isInteger(ctx) && ctx > 0 ? { model_context_window: ctx } : {};
  if (provider.kind === 'ollama' || provider.kind === 'lmstudio') {
    const entry: FleetProfile = { name: profile.name, server: provider.kind, model: provider.model, ...extra };
    // The built-in ids use the machine's default server: no url, each machine finds its own.
    if (!provider.builtIn) {
      if (!provider.serverUrl) return { skip: `${profile.name}: [model_providers.${provider.id}] has no base_url` };
      const clean = withoutCredentials(provider.serverUrl);
      entry.url = clean.url;
      if (clean.stripped) return { entry, note: `${profile.name}: the user name and password in its URL were left out (a fleet file holds no secrets)` };
    }
    return { entry };
  }
  if (provider.hosted && provider.id === 'openai') return { entry: { name: profile.name, server: 'hosted', model: provider.model } };
  return { skip: `${profile.name}: provider \`${provider.id}\` is not Ollama, LM Studio or Codex's hosted openai` };
}

export function fleetOf(state: HomeState, env: NodeJS.ProcessEnv): { fleet: FleetFile; notes: string[] } {
  const fleet: FleetFile = { profiles: [] };
  const notes: string[] = [];
  if (state.ossProvider === 'ollama' || state.ossProvider === 'lmstudio') fleet.ossProvider = state.ossProvider;
  for (const profile of byName(state)) {
    const d = describeProfile(state, profile, env);
    if ('skip' in d) notes.push(`left out ${d.skip}.`);
    else {
      fleet.profiles.push(d.entry);
      if (d.note) notes.push(`${d.note}.`);
    }
  }
  fleet.profiles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { fleet, notes };
}

export async function runExport(ctx: CommandContext, argv: ExportArgs): Promise<number> {
  const state = await loadHome(ctx.opts.codexHome);
  throwOnSyntaxErrors(state);
  const { fleet, notes } = fleetOf(state, ctx.env);
  for (const n of notes) ctx.out.warn(n);
  const text = renderFleet(fleet);
  if (argv.file === undefined || argv.file === '-') {
    if (ctx.opts.json) ctx.out.json({ ok: true, file: null, profiles: fleet.profiles, ossProvider: fleet.ossProvider ?? null, notes, text });
    else process.stdout.write(text);
    return EXIT_OK;
  }
  const file = path.resolve(argv.file);
  const existing = await fs.lstat(file).catch(() => null);
  if (existing && !existing.isFile()) throw new ConfigError(`${file} exists and is not a regular file; nothing was written.`, undefined, 'NOT_A_FILE');
  if (existing && !argv.force) throw new ConfigError(`${file} already exists; nothing was written.`, 'Pass --force to replace it, or choose another FILE.', 'USAGE');
  await writeFileVerified(file, text, 0o644);
  if (ctx.opts.json) ctx.out.json({ ok: true, file, profiles: fleet.profiles, ossProvider: fleet.ossProvider ?? null, notes });
  else ctx.out.line(`Wrote ${fleet.profiles.length} profile${fleet.profiles.length === 1 ? '' : 's'} to ${file}. Apply it elsewhere: codex-profiles apply ${path.basename(file)}`);
  return EXIT_OK;
}
