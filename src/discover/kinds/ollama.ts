/**
 * Ollama behind the registry interface. Discovery itself stays in src/discover/ollama.ts
 * (wrapped, not changed); this file adds the registry's data: ports, env, fixes, Codex route.
 */
import { shellWord } from '../../system/shell-word.js';
import { OLLAMA_MIN_RESPONSES_VERSION, discoverOllama, resolveOllamaModelId, resolveOllamaTarget, DEFAULT_OLLAMA_URL } from '../ollama.js';
import { builtInOrCustom, findIn } from '../openai-compat.js';
import { OLLAMA_MIN_CONTEXT } from '../hints.js';
import type { ResponsesSupport, ServerKind, ServerTarget } from '../server-kind.js';
import { compareVersions } from '../../version-order.js';
import { fromProviderReport } from './legacy.js';

/** Ollama says which version it is; /v1/responses exists from OLLAMA_MIN_RESPONSES_VERSION. */
export function ollamaResponses(version: string | undefined): ResponsesSupport {
  if (!version) return { state: 'unknown', evidence: 'GET /api/version did not answer' };
  const cmp = compareVersions(version, OLLAMA_MIN_RESPONSES_VERSION);
  if (cmp === undefined || /^0\.0\.0/.test(version)) return { state: 'unknown', evidence: `GET /api/version ${version} (not a release number)` };
  return { state: cmp >= 0 ? 'yes' : 'no', evidence: `GET /api/version ${version} (${cmp >= 0 ? '>=' : '<'} ${OLLAMA_MIN_RESPONSES_VERSION})` };
}

export const ollama: ServerKind = {
  id: 'ollama',
  displayName: 'Ollama',
  defaultPort: 11434,
  defaultUrl: DEFAULT_OLLAMA_URL,
  urlFlag: '--ollama-url',
  env: [
    { name: 'OLLAMA_HOST', use: 'locate', description: 'where the server listens (every form Ollama accepts)' },
    { name: 'OLLAMA_CONTEXT_LENGTH', use: 'context', description: "the server's default context; read here only to explain hints" },
  ],
  probeByDefault: true,
  reportWhenDown: true,
  minContext: OLLAMA_MIN_CONTEXT,
  codexBuiltIn: 'ollama',
  cli: { command: 'ollama', listArgs: ['list'], sideEffects: 'on macOS and Windows, `ollama list` starts the Ollama app when the server is down; it never pulls' },
  fixes: {
    install: 'install Ollama from https://ollama.com/download',
    start: 'start it: `ollama serve` (or open the Ollama app)',
    noResponses: 'update Ollama (https://ollama.com/download): /v1/responses exists from 0.13.3',
    moreContext: 'restart the server with OLLAMA_CONTEXT_LENGTH=65536 (e.g. `OLLAMA_CONTEXT_LENGTH=65536 ollama serve`)',
    tools: 'choose a model whose `ollama show` lists "tools" under Capabilities (e.g. gpt-oss, qwen3-coder)',
  },
  resolveTarget(flagUrl, env): ServerTarget {
    const t = resolveOllamaTarget(flagUrl, env);
    return {
      kind: 'ollama',
      url: t.url,
      source: t.source,
      notes: [],
      ...(t.invalid ? { invalid: t.invalid } : {}),
      ...(t.host?.bindsAllInterfaces ? { exposedByConfig: true } : {}),
    };
  },
  async discover(opts) {
    const t = resolveOllamaTarget(opts.flagUrl, opts.env);
    const r = await discoverOllama(t, opts);
    return fromProviderReport(r, 'ollama', t.source, r.status === 'up' ? ollamaResponses(r.version) : { state: 'unknown', evidence: r.reason ?? 'not up' });
  },
  findModel(report, id) {
    const found = ollama.resolveModelId(report.models.map((m) => m.id), id);
    return found === undefined ? undefined : findIn(report, found);
  },
  // A name without a tag means `:latest` (`qwen2.5-coder` is `qwen2.5-coder:latest`).
  resolveModelId: resolveOllamaModelId,
  getModel: (model) => `ollama pull ${shellWord(model)}`,
  codexRoute(serverUrl, builtInUrls) {
    return builtInOrCustom(ollama, 'ollama', serverUrl, builtInUrls);
  },
};
