/**
 * LM Studio behind the registry interface; discovery stays in src/discover/lmstudio.ts.
 */
import { shellWord } from '../../system/shell-word.js';
import { DEFAULT_LMSTUDIO_URL, LMSTUDIO_DEFAULT_PORT, discoverLmStudio, normalizeLmStudioUrl } from '../lmstudio.js';
import { LMSTUDIO_MIN_CONTEXT } from '../hints.js';
import { builtInOrCustom, findIn } from '../openai-compat.js';
import type { ResponsesSupport, ServerKind, ServerTarget } from '../server-kind.js';
import type { ProviderReport } from '../types.js';
import { fromProviderReport } from './legacy.js';

/**
 * LM Studio has /v1/responses since 0.3.29. Which model list answered tells the era: only
 * /v1/models (LMSTUDIO_TOO_OLD) is before 0.3.6; /api/v0 without /api/v1 (LMSTUDIO_0_3) is 0.3.x,
 * maybe before 0.3.29; /api/v1 is 0.4+.
 */
export function lmStudioResponses(r: ProviderReport): ResponsesSupport {
  if (r.status !== 'up') return { state: 'unknown', evidence: r.reason ?? 'not up' };
  if (r.via !== 'http') return { state: 'unknown', evidence: 'listed by `lms ls`; the server did not answer' };
  if (r.notes.some((n) => n.code === 'LMSTUDIO_TOO_OLD')) return { state: 'no', evidence: 'only /v1/models answered (LM Studio before 0.3.6)' };
  if (r.notes.some((n) => n.code === 'LMSTUDIO_0_3')) return { state: 'unknown', evidence: '/api/v0 but no /api/v1: LM Studio 0.3.x (/v1/responses needs 0.3.29+)' };
  return { state: 'yes', evidence: '/api/v1/models answered (LM Studio 0.4+)' };
}

export const lmstudio: ServerKind = {
  id: 'lmstudio',
  displayName: 'LM Studio',
  defaultPort: LMSTUDIO_DEFAULT_PORT,
  defaultUrl: DEFAULT_LMSTUDIO_URL,
  urlFlag: '--lmstudio-url',
  env: [{ name: 'LM_API_TOKEN', use: 'auth', description: 'sent as a bearer token when LM Studio requires authentication' }],
  probeByDefault: true,
  reportWhenDown: true,
  minContext: LMSTUDIO_MIN_CONTEXT,
  codexBuiltIn: 'lmstudio',
  cli: { command: 'lms', listArgs: ['ls', '--json'], sideEffects: 'recent `lms` versions wake the LM Studio service; listing loads no model' },
  fixes: {
    install: 'install LM Studio from https://lmstudio.ai',
    start: 'start it: `lms server start` (or Developer > Start Server in LM Studio)',
    noResponses: 'update LM Studio: /v1/responses exists from 0.3.29',
    moreContext: 'reload the model with a larger context: `lms load KEY --context-length 32768`',
    tools: 'prefer a model LM Studio marks as trained for tool use (the hammer badge)',
  },
  resolveTarget(flagUrl): ServerTarget {
    // `lms server status` (the port LM Studio last used) is asked during discovery, not here.
    if (flagUrl !== undefined) return { kind: 'lmstudio', url: normalizeLmStudioUrl(flagUrl), source: '--lmstudio-url', notes: [] };
    return { kind: 'lmstudio', url: DEFAULT_LMSTUDIO_URL, source: 'default', notes: [] };
  },
  async discover(opts) {
    const r = await discoverLmStudio(opts.flagUrl, opts);
    const source = opts.flagUrl !== undefined ? '--lmstudio-url' : r.notes.some((n) => n.code === 'URL_SOURCE') ? 'lms server status' : 'default';
    return fromProviderReport(r, 'lmstudio', source, lmStudioResponses(r));
  },
  findModel(report, id) {
    const found = lmstudio.resolveModelId(report.models.map((m) => m.id), id);
    return found === undefined ? undefined : findIn(report, found);
  },
  // Keys match without regard to case; a key without its publisher (`qwen3-coder-30b`) matches
  // the one listed `publisher/qwen3-coder-30b` (not when two publishers have it).
  resolveModelId(listed, id) {
    if (listed.includes(id)) return id;
    const want = id.toLowerCase();
    const same = listed.filter((m) => m.toLowerCase() === want);
    if (same.length === 1) return same[0];
    if (want.includes('/')) return undefined;
    const unprefixed = listed.filter((m) => m.toLowerCase().split('/').pop() === want);
    return unprefixed.length === 1 ? unprefixed[0] : undefined;
  },
  getModel: (model) => `lms get ${shellWord(model)}`,
  codexRoute(serverUrl, builtInUrls) {
    return builtInOrCustom(lmstudio, 'lmstudio', serverUrl, builtInUrls);
  },
};
