/**
 * What the audit rules share: where a profile's setting is written (file and line), every
 * provider table in the home, and can-run diagnostics (src/codex/can-run.ts) as findings.
 */
import { allProviderTables, type HomeState, type Profile } from '../config/profiles.js';
import { isTable } from '../config/toml-table.js';
import type { Diagnostic } from '../diagnostic.js';
import { providerTableProblem, type CanRunCode } from '../codex/can-run.js';
import type { Draft } from './audit-types.js';


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

/** A can-run diagnostic as an audit finding's draft (the rule gives the id; the place gives file and line). */
export function draftOf(d: Diagnostic, profile?: string): Draft {
  const draft: Draft = { file: d.place?.file ?? '(environment)', severity: d.severity, message: d.message, fix: d.fix ?? '' };
  if (d.place?.line !== undefined) draft.line = d.place.line;
  if (profile !== undefined) draft.profile = profile;
  return draft;
}

/** The provider tables Codex refuses to load the config for, as `code` findings on the table (or `key`) line. */
export function providerTableFindings(state: HomeState, code: CanRunCode, key?: string): Draft[] {
  return allProviderTables(state).flatMap((t) => {
    const d = providerTableProblem(t.id, t.table, { file: t.file, line: (key === undefined ? undefined : t.key(key)) ?? t.line });
    return d && d.code === code ? [draftOf(d)] : [];
  });
}
