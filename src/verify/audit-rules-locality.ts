/**
 * The audit rules about where prompts go (issue 13): a local profile that leaves Codex's
 * web_search tool on (Ollama runs it through ollama.com when signed in), and an administrator's
 * pin that overrides every profile's provider or model.
 */
import { acceptsWebSearchKey, webSearchLeftOn, WEB_SEARCH_KEY, WEB_SEARCH_OFF } from '../codex/web-search.js';
import { keyLine } from './audit-rule-helpers.js';
import type { AuditRule, Draft } from './audit-types.js';

export const LOCALITY_RULES: AuditRule[] = [
  {
    id: 'web-search-on',
    severity: 'warn',
    summary: 'A profile for a local server leaves Codex\'s web_search tool on (Ollama runs it through ollama.com when signed in)',
    check: ({ state, codex, profiles }) => {
      // Older Codex was not seen to take the key: writing it there could break the profile.
      if (!acceptsWebSearchKey(codex)) return [];
      const base = state.config?.data ?? {};
      return profiles
        .filter((a) => a.provider.defined && a.provider.locality !== 'cloud' && webSearchLeftOn(a.profile.values, base))
        .map(({ profile, provider }): Draft => {
          const set = profile.values[WEB_SEARCH_KEY] ?? base[WEB_SEARCH_KEY];
          const where = profile.layout === 'file' ? profile.path : `[profiles.${profile.name}] in ${profile.path}`;
          const line = set !== undefined ? keyLine(state, profile, WEB_SEARCH_KEY) ?? profile.line : profile.line;
          return {
            file: profile.path,
            ...(line !== undefined ? { line } : {}),
            profile: profile.name,
            message:
              `${set === undefined ? 'no `web_search` key' : `web_search = ${JSON.stringify(set)}`}: Codex offers the model its web_search tool, ` +
              `which a local server may run off this machine (Ollama: through ollama.com when signed in), although ${provider.model ?? 'the model'} itself runs ${provider.locality === 'network' ? 'on another host' : 'here'}.`,
            fix:
              `Add \`${WEB_SEARCH_KEY} = "${WEB_SEARCH_OFF}"\` to ${where}, or rewrite the profile: ` +
              `\`codex-profiles add ${provider.model ?? 'MODEL'} --name ${profile.name} --force\`. Keep it on only if you want web search.`,
          };
        });
    },
  },
  {
    id: 'admin-pin',
    severity: 'warn',
    summary: 'An administrator\'s managed config pins model_provider or model: every profile runs with it, whatever the profile says',
    check: ({ adminPins, profiles }) => {
      const out: Draft[] = [];
      const local = profiles.filter((a) => a.provider.defined && !a.provider.hosted).map((a) => a.profile.name);
      for (const pin of adminPins?.pins ?? []) {
        if (!pin.overridesProfiles) continue;
        out.push({
          file: pin.file,
          message:
            `${pin.key} = "${pin.value}" is pinned by the administrator: Codex uses it over every profile's own ${pin.key}` +
            `${local.length > 0 ? `, so the local profile${local.length === 1 ? '' : 's'} ${local.join(', ')} do${local.length === 1 ? 'es' : ''} not run as written` : ''}.`,
          fix: 'Ask whoever manages this machine to lift the pin; `codex-profiles test` shows where the prompt really goes.',
        });
      }
      for (const e of adminPins?.errors ?? []) {
        out.push({ file: e.file, message: `the managed config cannot be read: ${e.message}; Codex may refuse to start.`, fix: 'Ask whoever manages this machine to fix the file.' });
      }
      return out;
    },
  },
];
