import { isValidProfileName } from './profiles.js';

/** Codex's limit on names is not documented; 64 keeps file names short on every OS. */
export const PROFILE_NAME_MAX = 64;

/**
 * A name Codex accepts (letters, digits, `-`, `_`), as close to `name` as possible: accents are
 * dropped, runs of other characters become `-`, case is kept (`gpt-oss:20b` -> `gpt-oss-20b`,
 * `qwen/qwen3-coder-30b` -> `qwen-qwen3-coder-30b`). Names in `taken` get `-2`, `-3`, ...
 * Used to rename existing profiles (migrate).
 */
export function sanitizeProfileName(name: string, taken: Iterable<string> = [], fallback = 'profile'): string {
  const used = new Set(taken);
  let base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, PROFILE_NAME_MAX)
    .replace(/-+$/, '');
  if (!base) base = fallback;
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const candidate = base.slice(0, PROFILE_NAME_MAX - suffix.length).replace(/-+$/, '') + suffix;
    if (!used.has(candidate)) return candidate;
  }
}

/**
 * A new profile's suggested name from a model id: the last path segment, lower case
 * (`gpt-oss:20b` -> `gpt-oss-20b`, `qwen/qwen3-coder-30b` -> `qwen3-coder-30b`,
 * `hf.co/org/Model-GGUF:Q4_K_M` -> `model-gguf-q4_k_m`).
 */
export function suggestProfileName(modelId: string, taken: Iterable<string> = []): string {
  const last = modelId.split('/').filter(Boolean).pop() ?? '';
  return sanitizeProfileName(last.toLowerCase(), taken, 'local-model');
}

/** Why a name is refused, or undefined when Codex accepts it (the wizard's validation). */
export function profileNameProblem(name: string, taken: Iterable<string> = []): string | undefined {
  if (!isValidProfileName(name)) return `use letters, digits, '-' and '_' only (at most 64), not starting with '-'; e.g. ${sanitizeProfileName(name)}`;
  if (new Set(taken).has(name)) return `a profile named ${name} already exists`;
  return undefined;
}
