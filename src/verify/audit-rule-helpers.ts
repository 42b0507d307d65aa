/**
 * What the audit rules share: where a profile's setting is written (file and line), every
 * provider table in the home, and a server's name for messages.
 */
import { CODEX_RESERVED_PROVIDER_IDS } from '../codex/builtins.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { isTable } from '../config/toml.js';
import { displayNameOf } from '../discover/registry.js';
import type { ServerProbe } from './probe.js';

export const BUILT_IN = new Set<string>(CODEX_RESERVED_PROVIDER_IDS);
export const MIGRATE_FIX = 'Run `codex-profiles migrate` (it moves [profiles.NAME] tables into NAME.config.toml files and removes the legacy selector).';

/** The line of `key` in a profile (its file, or its `[profiles.NAME]` table), else of the profile. */
export function keyLine(state: HomeState, profile: Profile, key: string): number | undefined {
  if (profile.layout === 'file') return state.profileFiles.get(profile.name)?.doc?.lineOf([key]);
  return state.config?.lineOf(['profiles', profile.name, key]) ?? profile.line;
}

/** Where a profile's setting comes from: the profile's own key, else config.toml's top-level key. */
export function settingAt(state: HomeState, profile: Profile, key: string): { file: string; line?: number } {
  if (profile.values[key] !== undefined) return { file: profile.path, line: keyLine(state, profile, key) };
  if (state.config?.data[key] !== undefined) return { file: state.configPath, line: state.config.lineOf([key]) };
  return { file: profile.path, line: profile.line };
}

export interface ProviderTableRef {
  id: string;
  table: Record<string, unknown>;
  file: string;
  line?: number;
  key(k: string): number | undefined;
}

/** Every `[model_providers.ID]` in config.toml and in the profile files. */
export function allProviderTables(state: HomeState): ProviderTableRef[] {
  const out: ProviderTableRef[] = [];
  const docs: Array<{ file: string; doc: HomeState['config'] }> = [{ file: state.configPath, doc: state.config }];
  for (const [, entry] of state.profileFiles) docs.push({ file: entry.path, doc: entry.doc });
  for (const { file, doc } of docs) {
    const mp = doc?.data.model_providers;
    if (!doc || !isTable(mp)) continue;
    for (const [id, table] of Object.entries(mp)) {
      if (!isTable(table)) continue;
      out.push({ id, table, file, line: doc.lineOf(['model_providers', id]), key: (k) => doc.lineOf(['model_providers', id, k]) });
    }
  }
  return out;
}

export function kindName(probe: ServerProbe | undefined): string {
  return probe && probe.kind !== 'unknown' ? displayNameOf(probe.kind) : 'the server';
}
