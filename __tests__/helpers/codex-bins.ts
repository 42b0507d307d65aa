import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/** The real Codex CLI, pinned per era in devDependencies (npm aliases). */
export const CODEX_BINS = {
  '0.131': path.join(REPO_ROOT, 'node_modules', 'codex-0.131', 'bin', 'codex.js'),
  '0.133': path.join(REPO_ROOT, 'node_modules', 'codex-0.133', 'bin', 'codex.js'),
  '0.169': path.join(REPO_ROOT, 'node_modules', 'codex-0.169', 'bin', 'codex.js'),
} as const;

export type CodexVersion = keyof typeof CODEX_BINS;

/** What `-p NAME` reads in each pinned version. */
export const LAYOUT_OF: Record<CodexVersion, 'file' | 'table'> = { '0.131': 'table', '0.133': 'table', '0.169': 'file' };

/**
 * A base config whose own provider is a local decoy: if Codex ever ignored a profile, the prompt
 * would land on 127.0.0.1, never on a hosted model.
 */
export function decoyBaseConfig(decoyBaseUrl: string): string {
  return `model = "decoy-model"\nmodel_provider = "decoy"\n\n[model_providers.decoy]\nname = "decoy"\nbase_url = "${decoyBaseUrl}"\nwire_api = "responses"\n`;
}
