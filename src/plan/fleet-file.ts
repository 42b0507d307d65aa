/**
 * The fleet file (`codex-profiles export` / `apply`): the profiles a machine should have, as one
 * declarative TOML file. It names servers and models, never this machine's layout: whether a
 * profile becomes `NAME.config.toml` or `[profiles.NAME]`, and which `[model_providers.*]` id it
 * needs, is decided on each machine by the same planner `add` uses. See docs/fleet.md.
 *
 * ```toml
 * version = 1
 * oss_provider = "ollama"            # optional
 * [profiles.NAME]
 * server = "ollama"                  # ollama | lmstudio | hosted
 * model = "gpt-oss:20b"
 * url = "${OLLAMA_HOST}"             # optional; ${VAR} and ${VAR:-default} read the environment
 * model_context_window = 65536       # optional
 * ```
 */
import { ConfigError } from '../errors.js';
import { isValidProfileName } from '../config/profiles.js';
import { formatKey, formatValue, parseToml } from '../config/toml.js';
import { isTable } from '../config/toml-table.js';

export const FLEET_VERSION = 1;
export type FleetServer = 'ollama' | 'lmstudio' | 'hosted';
const SERVERS: readonly FleetServer[] = ['ollama', 'lmstudio', 'hosted'];
const PROFILE_KEYS = ['server', 'model', 'url', 'model_context_window'] as const;

export interface FleetProfile {
  name: string;
  server: FleetServer;
  model: string;
  /** As written (may hold `${VAR}`); expanded by expandUrl at apply time. */
  url?: string;
  model_context_window?: number;
}

export interface FleetFile {
  ossProvider?: 'ollama' | 'lmstudio';
  /** Sorted by name. */
  profiles: FleetProfile[];
}


/**
 * Parses and validates a fleet file. Every mistake is an error naming the file and the profile:
 * an unknown key is refused (a typo such as `modle` would otherwise be dropped silently).
 */
export function parseFleet(text: string, file: string): FleetFile {
  const data = parseToml(text, file); // invalid TOML: TomlSyntaxError, file:line:col, exit 2
  const bad = (what: string, fix?: string) => new ConfigError(`${file}: ${what}`, fix ?? 'See docs/fleet.md for the format (`codex-profiles export` writes an example).', 'CONFIG_PARSE');
  for (const key of Object.keys(data)) {
    if (!['version', 'oss_provider', 'profiles'].includes(key)) throw bad(`unknown key \`${key}\` (expected version, oss_provider, [profiles.NAME]).`);
  }
  if (data.version !== undefined && data.version !== FLEET_VERSION) {
    throw bad(`version = ${formatValue(data.version)} is not one this codex-profiles reads (${FLEET_VERSION}).`, 'Update codex-profiles, or write the file for version 1.');
  }
  const out: FleetFile = { profiles: [] };
  if (data.oss_provider !== undefined) {
    if (data.oss_provider !== 'ollama' && data.oss_provider !== 'lmstudio') throw bad('oss_provider must be "ollama" or "lmstudio".');
    out.ossProvider = data.oss_provider;
  }
  const profiles = data.profiles ?? {};
  if (!isTable(profiles)) throw bad('`profiles` must be tables: [profiles.NAME].');
  for (const [name, raw] of Object.entries(profiles)) {
    if (!isValidProfileName(name)) throw bad(`"${name}" is not a profile name Codex accepts (letters, digits, '-' and '_', not starting with '-').`);
    if (!isTable(raw)) throw bad(`profiles.${name} must be a table.`);
    for (const key of Object.keys(raw)) {
      if (!(PROFILE_KEYS as readonly string[]).includes(key)) throw bad(`[profiles.${name}]: unknown key \`${key}\` (expected ${PROFILE_KEYS.join(', ')}).`);
    }
    if (!SERVERS.includes(raw.server as FleetServer)) throw bad(`[profiles.${name}]: server must be one of ${SERVERS.map((s) => `"${s}"`).join(', ')}.`);
    if (typeof raw.model !== 'string' || raw.model.trim() === '') throw bad(`[profiles.${name}]: model must be a model id (a non-empty string).`);
    const p: FleetProfile = { name, server: raw.server as FleetServer, model: raw.model };
    if (raw.url !== undefined) {
      if (typeof raw.url !== 'string' || raw.url.trim() === '') throw bad(`[profiles.${name}]: url must be a non-empty string.`);
      if (p.server === 'hosted') throw bad(`[profiles.${name}]: a hosted profile takes no url (it uses Codex's own provider).`);
      p.url = raw.url;
    }
    if (raw.model_context_window !== undefined) {
      const n = raw.model_context_window;
      if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw bad(`[profiles.${name}]: model_context_window must be a whole number of tokens.`);
      if (p.server === 'hosted') throw bad(`[profiles.${name}]: model_context_window is for local servers only.`);
      p.model_context_window = n;
    }
    out.profiles.push(p);
  }
  out.profiles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/**
 * `${VAR}` and `${VAR:-default}` from the environment. An unset variable without a default is an
 * error: guessing a URL would point a fleet's profiles at the wrong server.
 */
export function expandUrl(url: string, env: NodeJS.ProcessEnv, where: string): string {
  return url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`${where}: url refers to \${${name}}, which is not set.`, `Set ${name}, or write \${${name}:-http://127.0.0.1:11434} for a default.`, 'USAGE');
  });
}

/** A URL without user:password (a fleet file holds no secrets). */
export function withoutCredentials(url: string): { url: string; stripped: boolean } {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return { url, stripped: false };
    u.username = '';
    u.password = '';
    return { url: u.toString().replace(/\/$/, ''), stripped: true };
  } catch {
    return { url, stripped: false };
  }
}

const HEADER = `# codex-profiles fleet file: the Codex profiles a machine should have.
# Make a home match it:   codex-profiles apply FILE        (--dry-run: show the diff; --yes: no prompt)
# Report drift only:      codex-profiles apply FILE --check  (exit 1 when the home differs)
# Each machine writes what its own Codex reads (NAME.config.toml files or [profiles.NAME] tables).
# No secrets and no paths of one machine belong here. See docs/fleet.md.

# Format of this file.
version = ${FLEET_VERSION}
`;

/** The fleet file's text: fixed order (header, oss_provider, profiles by name), every field explained. */
export function renderFleet(fleet: FleetFile): string {
  let text = HEADER;
  if (fleet.ossProvider) text += `\n# Which server \`codex --oss\` uses: "ollama" or "lmstudio".\noss_provider = ${formatValue(fleet.ossProvider)}\n`;
  if (fleet.profiles.length > 0) {
    text +=
      '\n# One table per profile; the name is what `codex -p NAME` takes.\n' +
      '#   server: "ollama", "lmstudio" or "hosted" (a hosted model: prompts leave the machine)\n' +
      '#   model: the model id exactly as the server lists it (apply reports a missing one; it never downloads)\n' +
      "#   url: the server, when it is not the machine's default; ${VAR} (or ${VAR:-default}) reads the environment\n" +
      '#   model_context_window: optional, the context (tokens) Codex should assume\n';
  }
  const sorted = [...fleet.profiles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const p of sorted) {
    text += `\n[profiles.${formatKey(p.name)}]\nserver = ${formatValue(p.server)}\nmodel = ${formatValue(p.model)}\n`;
    if (p.url !== undefined) text += `url = ${formatValue(p.url)}\n`;
    if (p.model_context_window !== undefined) text += `model_context_window = ${formatValue(p.model_context_window)}\n`;
  }
  return text;
}
