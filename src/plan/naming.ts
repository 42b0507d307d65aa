import { isValidProfileName } from '../config/profiles.js';

const MAX = 64;

/**
 * A profile name Codex accepts (letters, digits, `-`, `_`) derived from a model id:
 * `gpt-oss:20b` -> `gpt-oss-20b`, `qwen/qwen3-coder-30b` -> `qwen3-coder-30b`,
 * `hf.co/org/Model-GGUF:Q4_K_M` -> `model-gguf-q4_k_m`. Collisions with `taken` get `-2`, `-3`...
 */
export function suggestProfileName(modelId: string, taken: Iterable<string> = []): string {
  const used = new Set(taken);
  const last = modelId.split('/').filter(Boolean).pop() ?? '';
  let base = last
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, MAX - 4);
  if (!base) base = 'local-model';
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Why a name is refused, or undefined when Codex accepts it (used by the wizard's validation). */
export function profileNameProblem(name: string, taken: Iterable<string> = []): string | undefined {
  if (!isValidProfileName(name)) return "use letters, digits, '-' and '_' only (at most 64)";
  if (new Set(taken).has(name)) return `a profile named ${name} already exists`;
  return undefined;
}
