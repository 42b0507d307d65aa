import type { ResponsesSupport, ServerKindId, ServerReport } from '../server-kind.js';
import type { ProviderReport } from '../types.js';

/** A ProviderReport from ollama.ts / lmstudio.ts as a ServerReport (models keep their hints). */
export function fromProviderReport(r: ProviderReport, kind: ServerKindId, source: string, responses: ResponsesSupport): ServerReport {
  const { provider: _provider, models, ...rest } = r;
  return {
    ...rest,
    kind,
    source,
    responses,
    models: models.map(({ provider: _p, ...m }) => ({ ...m, kind })),
  };
}
