/**
 * compare's ad-hoc targets (issue 18): a run written the way the guides route a single run,
 * without a saved profile.
 * - `--local ollama:MODEL` / `--local lmstudio:MODEL`: `codex exec --oss --local-provider KIND -m MODEL`
 *   (the kinds Codex's `--local-provider` takes, its built-in local providers);
 * - `--hosted MODEL`: `codex exec -m MODEL` (the base config's provider, by default `openai`).
 * Each target is judged by the same rules as a profile (src/codex/destination.ts) through a
 * stand-in profile holding just the keys the flags set, so the hosted rule and classify apply
 * unchanged: an Ollama cloud tag behind `--local` is hosted too.
 */
import { CODEX_LOCAL_BUILT_IN_PORTS, isLocalBuiltInId, type CodexLocalBuiltInId } from '../codex/builtins.js';
import { ossRouteArgs } from '../codex/equivalent.js';
import type { HomeState, Profile } from '../config/profiles.js';
import { UsageError } from '../errors.js';

/** The kinds `--local` accepts: the ids Codex's `--local-provider` takes. */
export const LOCAL_TARGET_KINDS = Object.keys(CODEX_LOCAL_BUILT_IN_PORTS) as CodexLocalBuiltInId[];

export type AdhocTarget =
  | { type: 'local'; name: string; kind: CodexLocalBuiltInId; model: string; spec: string }
  | { type: 'hosted'; name: string; model: string; spec: string };

const ACCEPTED = [
  'Accepted forms:',
  ...LOCAL_TARGET_KINDS.map((k) => `  ${`--local ${k}:MODEL`.padEnd(26)}e.g. --local ${k}:${k === 'ollama' ? 'gpt-oss:20b' : 'qwen/qwen3-coder-30b'}`),
  `  ${'--hosted MODEL'.padEnd(26)}e.g. --hosted gpt-5.2-codex`,
  `  ${'--profiles A,B'.padEnd(26)}saved profiles (codex-profiles list)`,
].join('\n');

function checkModel(model: string, flag: string): void {
  if (model === '' || /\s/.test(model) || model.startsWith('-')) {
    throw new UsageError(`\`${flag}\`: the model id must be a single word (no spaces, not starting with -).`, ACCEPTED);
  }
}

/** `ollama:gpt-oss:20b` -> kind `ollama`, model `gpt-oss:20b` (the model may hold colons). */
export function parseLocalTarget(text: string): { kind: CodexLocalBuiltInId; model: string } {
  const t = text.trim();
  const at = t.indexOf(':');
  const kind = (at < 0 ? t : t.slice(0, at)).toLowerCase();
  if (at < 0 || !isLocalBuiltInId(kind)) {
    const why = at < 0 ? 'it has no `KIND:` in front of the model' : `\`${t.slice(0, at)}\` is not a kind Codex's --local-provider takes`;
    throw new UsageError(`\`--local ${text}\`: ${why}; write --local ${LOCAL_TARGET_KINDS.join('|')}:MODEL.`, ACCEPTED);
  }
  const model = t.slice(at + 1);
  checkModel(model, `--local ${text}`);
  return { kind, model };
}

/** A file-safe run name from a model id: `ollama-gpt-oss-20b`, `hosted-gpt-5.2-codex`. */
function nameOf(prefix: string, model: string): string {
  const slug = model.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return `${prefix}-${slug || 'model'}`;
}

/**
 * The ad-hoc targets from the flags, in order (local ones first, then hosted). Names are unique
 * among themselves and against `taken` (the profile names), so each gets its own answer file.
 */
export function parseAdhocTargets(local: readonly string[], hosted: readonly string[], taken: readonly string[] = []): AdhocTarget[] {
  const used = new Set(taken);
  const unique = (base: string): string => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  };
  const seen = new Set<string>();
  const once = (spec: string): void => {
    if (seen.has(spec)) throw new UsageError(`\`${spec}\` is given twice.`, ACCEPTED);
    seen.add(spec);
  };
  const out: AdhocTarget[] = [];
  for (const text of local) {
    const { kind, model } = parseLocalTarget(text);
    const spec = `--local ${kind}:${model}`;
    once(spec);
    out.push({ type: 'local', name: unique(nameOf(kind, model)), kind, model, spec });
  }
  for (const text of hosted) {
    const model = text.trim();
    checkModel(model, `--hosted ${text}`);
    const spec = `--hosted ${model}`;
    once(spec);
    out.push({ type: 'hosted', name: unique(nameOf('hosted', model)), model, spec });
  }
  return out;
}

/** The usage error when compare has fewer than two targets in all. */
export function tooFewTargets(count: number): UsageError {
  return new UsageError(`compare needs at least two targets (it has ${count}): profiles, --local KIND:MODEL or --hosted MODEL.`, ACCEPTED);
}

/** The `codex exec` flags that route one run the guide's way (placed before `-o` and the prompt). */
export function adhocExecArgs(target: AdhocTarget): string[] {
  return target.type === 'local' ? ossRouteArgs(target.kind, target.model) : ['-m', target.model];
}

/**
 * A stand-in profile with only the keys the flags set: `--local` names the provider and model;
 * `--hosted` only the model, so the provider is config.toml's, else Codex's `openai`, exactly as
 * `codex exec -m MODEL` resolves it.
 */
export function adhocProfile(state: HomeState, target: AdhocTarget): Profile {
  const values = target.type === 'local' ? { model_provider: target.kind, model: target.model } : { model: target.model };
  // Its `path` is config.toml: the layer below the flags, where a wrong provider would come from.
  return { name: target.name, layout: 'file', path: state.configPath, values, model: target.model };
}
