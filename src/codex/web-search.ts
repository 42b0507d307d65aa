/**
 * Codex's `web_search` tool and local profiles (issue 13).
 *
 * Codex offers the model a `web_search` tool; Ollama's `/v1/responses` runs it through ollama.com
 * when the user is signed in, so a "local" profile can still send text off the machine. The key
 * `web_search = "disabled"` in a profile (file or `[profiles.NAME]` table) removes the tool from
 * the requests. Seen with the real binaries (request bodies recorded by a fake /v1/responses):
 * 0.131.0 and 0.133.0 (file with --profile-v2, and table), 0.169.0 and 0.171.0 (file): accepted,
 * also under --strict-config, and `web_search` is gone from `tools`; an unknown value is an error
 * (`unknown variant`, expected `disabled`, `cached`, `live`), so the key is typed, not ignored.
 * Older than 0.131 was not checked: there we do not write it and say so instead.
 */
import type { CodexInfo } from './detect.js';
import { compareVersions } from '../version-order.js';

export const WEB_SEARCH_KEY = 'web_search';
export const WEB_SEARCH_OFF = 'disabled';
/** The oldest Codex seen to accept `web_search = "disabled"` in a profile. */
export const WEB_SEARCH_SEEN_FROM = '0.131.0';

/**
 * Whether the installed Codex takes `web_search = "disabled"` in a profile. An unknown version
 * (no codex found, `--version` unreadable) counts as the newest, as the profile layout does.
 */
export function acceptsWebSearchKey(codex: Pick<CodexInfo, 'version'>): boolean {
  return (codex.version === undefined ? 1 : (compareVersions(codex.version, WEB_SEARCH_SEEN_FROM) ?? 1)) >= 0;
}

/** What to do for a new local profile: write the key, or warn (older Codex), or leave it (opt-in). */
export function webSearchPlan(codex: Pick<CodexInfo, 'version'>, keepOn: boolean): { set?: string; warning?: string } {
  if (keepOn) return {};
  if (acceptsWebSearchKey(codex)) return { set: WEB_SEARCH_OFF };
  return {
    warning:
      `codex ${codex.version} is older than ${WEB_SEARCH_SEEN_FROM}, where \`web_search = "disabled"\` was not checked: the profile keeps Codex's web_search tool, ` +
      'which Ollama runs through ollama.com when signed in. Upgrade Codex and run `codex-profiles add` again with --force.',
  };
}

/** True when a profile's values leave Codex's web_search tool on (the key missing or not `disabled`). */
export function webSearchLeftOn(values: Record<string, unknown>, base: Record<string, unknown> = {}): boolean {
  const v = values[WEB_SEARCH_KEY] ?? base[WEB_SEARCH_KEY];
  return v !== WEB_SEARCH_OFF;
}
