/**
 * compare's pre-flight, before anything is sent: the flags, the prompt, and the profiles as the
 * installed Codex reads them.
 */
import { selectProfile } from '../codex/can-run.js';
import type { CodexInfo } from '../codex/detect.js';
import { isValidProfileName, type HomeState, type Profile } from '../config/profiles.js';
import { ConfigError, UsageError } from '../errors.js';
import { readPromptInput } from '../ui/prompt-input.js';
import type { CompareOptions } from './compare-types.js';

// ------------------------------------------------------------------------------------- input

const USAGE_HINT = [
  'Examples:',
  '  codex-profiles compare "explain this regex" --profiles ollama-qwen,lmstudio-coder',
  '  codex-profiles compare --file prompt.txt --profiles local-a,local-b --out answers/',
].join('\n');

/**
 * `--profiles a,b --profiles c` -> [a, b, c]; refuses fewer than `min` (two, or fewer when
 * `--local` / `--hosted` targets make up the rest), duplicates, bad names.
 */
export function parseProfileList(values: readonly string[], min = 2): string[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length < min) {
    throw new UsageError('compare needs at least two targets: --profiles A,B[,C...], or --local KIND:MODEL / --hosted MODEL beside them.', USAGE_HINT);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UsageError(`Profile \`${name}\` is listed twice in --profiles.`);
    seen.add(name);
    if (!isValidProfileName(name)) {
      throw new UsageError(
        `\`${name}\` is not a profile name: use letters, digits, \`-\` and \`_\` (a model id such as \`gpt-oss:20b\` is not a profile name).`,
        'List the profiles with: codex-profiles list',
      );
    }
  }
  return names;
}

export async function readPrompt(opts: Pick<CompareOptions, 'prompt' | 'file'>): Promise<{ text: string; source: string }> {
  const input = await readPromptInput(opts, 'compare', USAGE_HINT);
  if (input.text.trim() === '') throw new UsageError('The prompt is empty.', USAGE_HINT);
  return input;
}

// ---------------------------------------------------------------------------------- profiles

/**
 * The profiles as the installed Codex reads them (src/codex/can-run.ts): `NAME.config.toml`
 * (file era) or `[profiles.NAME]` in config.toml (table era; compare selects with `-p`, never
 * `--profile-v2`). Any name that cannot be selected is refused, with every problem in one
 * message: a missing profile file would make codex >= 0.134 run the base config.
 */
export function findProfiles(state: HomeState, codex: CodexInfo, names: readonly string[]): Profile[] {
  const problems: string[] = [];
  let selector: string | undefined;
  const found: Profile[] = [];
  for (const name of names) {
    const { selection, problems: why } = selectProfile(state, codex, name, { profileV2: false });
    if (selection) found.push(selection.profile);
    for (const d of why) {
      // The selector stops every profile: said once, last, without a name.
      if (d.code === 'legacy-profile-selector') selector = d.message;
      else problems.push(`\`${name}\`: ${d.message}`);
    }
  }
  if (selector !== undefined) problems.push(selector);
  if (problems.length > 0) {
    const known = state.profiles.filter((p) => p.layout === codex.layout).map((p) => p.name);
    throw new ConfigError(
      `Not comparing, nothing was run:\n  ${problems.join('\n  ')}`,
      known.length > 0 ? `Profiles this Codex can run: ${known.join(', ')}.` : 'This Codex home has no profiles yet: create them with `codex-profiles setup`.',
      'PROFILE_NOT_RUNNABLE',
    );
  }
  return found;
}

/** Refuses to run when config.toml or one of the chosen profile files is not valid TOML. */
export function refuseInvalidToml(state: HomeState, profiles: readonly Profile[]): void {
  const files = new Set([state.configPath, ...profiles.map((p) => p.path)]);
  const bad = state.errors.filter((e) => files.has(e.file));
  if (bad.length > 0) {
    throw new ConfigError(
      `Not comparing: ${bad.map((e) => e.message).join('; ')}`,
      'Codex cannot read it either; fix the file (codex-profiles list shows every file it read).',
      'CONFIG_PARSE',
    );
  }
}

