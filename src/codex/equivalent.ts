/**
 * The one-off command that routes a single run the way a profile does (issue 18): "direct flags
 * override any saved config for that run only", `codex exec --oss --local-provider X -m MODEL`.
 *
 * `--oss --local-provider X` reaches only Codex's built-in `ollama` / `lmstudio` provider, at the
 * URL Codex gives it in this environment (CODEX_OSS_BASE_URL, else CODEX_OSS_PORT, else the
 * default port: codexOssUrls). So an equivalent exists when the profile uses that built-in id, or
 * a table of its own whose base_url is exactly where the built-in points now (and which adds no
 * token or headers the built-in would not send). Anything else — another URL, a hosted service, a
 * server kind without a built-in id — has none, and we say why. Only the route (provider and
 * model) is equivalent: the profile's other keys (context window, reasoning effort) are not
 * carried over. Used by `list` (both paths) and `add`'s closing lines.
 */
import { sameEndpoint } from '../discover/address.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { codexOssUrls, isLocalBuiltInId, type CodexLocalBuiltInId } from './builtins.js';
import { leavesMachine, profileDestination, providerTable } from './destination.js';
import { showCommand } from '../system/shell-word.js';

export interface Equivalent {
  /** The command (display form, quoted for a POSIX shell where needed); null: none. */
  command: string | null;
  /** The arguments after `codex` (no shell quoting); absent when there is none. */
  args?: string[];
  /** Why there is none, or what differs (always one sentence). */
  note: string;
}

/** Keys of a provider table that change what Codex sends, which `--oss` would drop. */
const AUTH_KEYS = ['env_key', 'experimental_bearer_token', 'http_headers', 'env_http_headers', 'query_params'];


/** The flags that send one `codex exec` to a local built-in server and model, without a profile. */
export function ossRouteArgs(provider: CodexLocalBuiltInId, model: string): string[] {
  return ['--oss', '--local-provider', provider, '-m', model];
}

export function equivalentArgs(provider: CodexLocalBuiltInId, model: string): string[] {
  return ['exec', ...ossRouteArgs(provider, model)];
}

function some(provider: CodexLocalBuiltInId, model: string, note: string): Equivalent {
  const args = equivalentArgs(provider, model);
  return { command: showCommand(['codex', ...args]), args, note };
}

/** Said with every equivalent: the profile never downloads, the flag form does (seen: POST /api/pull). */
export const NO_DOWNLOAD_NOTE = 'unlike -p, --oss downloads the model when the server does not have it';

/** The one-off equivalent of `profile` in this environment (see the header). */
export function profileEquivalent(state: HomeState, profile: Profile, env: NodeJS.ProcessEnv = process.env, dest = profileDestination(state, profile, env)): Equivalent {
  if (leavesMachine(dest)) return { command: null, note: `not a local profile (${dest.reason})` };
  if (dest.model === undefined) return { command: null, note: 'the profile sets no model' };
  const table = providerTable(state, profile, dest.provider);
  const effective = codexOssUrls(env).effective;
  if (isLocalBuiltInId(dest.provider)) {
    if (table?.base_url !== undefined) return { command: null, note: `[model_providers.${dest.provider}] redefines the built-in id, which --oss does not read` };
    return some(dest.provider, dest.model, NO_DOWNLOAD_NOTE);
  }
  const url = dest.baseUrl;
  if (url === undefined) return { command: null, note: `provider \`${dest.provider}\` has no base_url` };
  const candidates = (Object.keys(effective) as CodexLocalBuiltInId[]).filter((id) => sameEndpoint(effective[id], url));
  // CODEX_OSS_BASE_URL points both built-ins at one URL: the server kind decides which one speaks its API.
  const id = candidates.length === 1 ? candidates[0] : candidates.find((c) => c === dest.kind);
  if (id === undefined) {
    const where = effective.ollama === effective.lmstudio ? effective.ollama : `${effective.ollama} (ollama) or ${effective.lmstudio} (lmstudio)`;
    return { command: null, note: `custom provider \`${dest.provider}\` at ${url}; --oss reaches only ${where}` };
  }
  const auth = AUTH_KEYS.filter((k) => table?.[k] !== undefined);
  if (auth.length > 0) return { command: null, note: `custom provider \`${dest.provider}\` sets ${auth.join(', ')}, which the built-in \`${id}\` does not send` };
  return some(id, dest.model, `the built-in \`${id}\` points at the same URL (${url}); ${NO_DOWNLOAD_NOTE}`);
}

/** The lines `list` and `add` print: one per profile, `NAME  command` or `NAME  none: why`. */
export function equivalentLines(rows: Array<{ name: string; equivalent: Equivalent }>): string[] {
  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = rows.map((r) => `  ${r.name.padEnd(width)}  ${r.equivalent.command ?? `none: ${r.equivalent.note}`}`);
  if (rows.some((r) => r.equivalent.command !== null)) lines.push(`  (${NO_DOWNLOAD_NOTE}.)`);
  return lines;
}
