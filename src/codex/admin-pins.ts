/**
 * Settings an administrator pins above the user's config (issue 13). Codex layers, top wins
 * (read: openai/codex codex-rs/core/src/config_loader README.md and layer_io.rs):
 * 1. macOS MDM managed preferences: domain `com.openai.codex`, key `config_toml_base64` (macOS only;
 *    not read here: it needs CoreFoundation; doctor names it);
 * 2. the system managed config: `/etc/codex/managed_config.toml` on Unix (CODEX_MANAGED_CONFIG_SYSTEM_PATH);
 * 3. session flags (`-c`), then the user's config.toml and profile.
 * A `model_provider` or `model` in layer 1 or 2 wins over every profile: `codex -p local` then sends
 * prompts where the administrator says. `requirements.toml` (`/etc/codex/requirements.toml` on
 * Unix, Codex changelog PR #8277; `%ProgramData%\OpenAI\Codex\requirements.toml` on Windows, read
 * in third-party docs only) constrains values (approval, sandbox, web search) and is reported too.
 *
 * CODEX_PROFILES_SYSTEM_CONFIG_DIR replaces the system folder: it exists for tests, so that no test
 * reads the machine's real /etc.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseToml } from '../config/toml.js';

export const SYSTEM_CONFIG_DIR_ENV = 'CODEX_PROFILES_SYSTEM_CONFIG_DIR';

/** The folder Codex reads system-wide files from on this platform (undefined: none known). */
export function systemConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const override = env[SYSTEM_CONFIG_DIR_ENV]?.trim();
  if (override) return override;
  if (platform === 'win32') {
    const pd = env.ProgramData ?? env.PROGRAMDATA;
    return pd ? path.win32.join(pd, 'OpenAI', 'Codex') : undefined;
  }
  return '/etc/codex';
}

export interface AdminPin {
  file: string;
  key: 'model_provider' | 'model' | 'web_search';
  value: string;
  /** A pinned provider or model overrides every profile's own. */
  overridesProfiles: boolean;
}

export interface AdminPins {
  dir?: string;
  /** Files that exist and were read. */
  files: string[];
  pins: AdminPin[];
  /** Files that exist but could not be read or parsed (Codex would refuse them too). */
  errors: Array<{ file: string; message: string }>;
}

const PINNED_KEYS = ['model_provider', 'model', 'web_search'] as const;

/** What the system files pin. Never throws: a missing folder or file means nothing is pinned. */
export function readAdminPins(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): AdminPins {
  const dir = systemConfigDir(env, platform);
  const out: AdminPins = { files: [], pins: [], errors: [] };
  if (!dir) return out;
  out.dir = dir;
  const join = platform === 'win32' && !env[SYSTEM_CONFIG_DIR_ENV] ? path.win32.join : path.join;
  for (const [name, overrides] of [['managed_config.toml', true], ['requirements.toml', false]] as const) {
    const file = join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') out.errors.push({ file, message: (e as Error).message });
      continue;
    }
    out.files.push(file);
    let data: Record<string, unknown>;
    try {
      data = parseToml(text, file) as Record<string, unknown>;
    } catch (e) {
      out.errors.push({ file, message: (e as Error).message });
      continue;
    }
    for (const key of PINNED_KEYS) {
      const v = data[key];
      if (typeof v === 'string') out.pins.push({ file, key, value: v, overridesProfiles: overrides && key !== 'web_search' });
    }
  }
  return out;
}

/** One line per pin that takes the choice of provider or model away from profiles. */
export function pinWarnings(p: AdminPins): string[] {
  return p.pins
    .filter((x) => x.overridesProfiles)
    .map((x) => `${x.file} pins ${x.key} = "${x.value}": it overrides every profile's own ${x.key}, so \`codex -p NAME\` uses it whatever the profile says. Ask the administrator, or check with \`codex-profiles test\`.`);
}
