import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/**
 * The real Codex CLI at `version` (e.g. '0.169'), pinned as an npm alias in
 * test-codex/package.json and installed by scripts/test-codex.mjs (`npm test`). Not in the
 * package's node_modules: its .bin would shadow the user's Codex under `npx codex-profiles`.
 */
export function codexBinPath(version: string): string {
  return path.join(REPO_ROOT, 'test-codex', 'node_modules', `codex-${version}`, 'bin', 'codex.js');
}

/** The real Codex CLI, one build per era. */
export const CODEX_BINS = {
  '0.131': codexBinPath('0.131'),
  '0.133': codexBinPath('0.133'),
  '0.169': codexBinPath('0.169'),
  '0.171': codexBinPath('0.171'),
} as const;

export type CodexVersion = keyof typeof CODEX_BINS;

/** What `-p NAME` reads in each pinned version. */
export const LAYOUT_OF: Record<CodexVersion, 'file' | 'table'> = { '0.131': 'table', '0.133': 'table', '0.169': 'file', '0.171': 'file' };

/**
 * A base config whose own provider is a local decoy: if Codex ever ignored a profile, the prompt
 * would land on 127.0.0.1, never on a hosted model.
 */
export function decoyBaseConfig(decoyBaseUrl: string): string {
  return `model = "decoy-model"\nmodel_provider = "decoy"\n\n[model_providers.decoy]\nname = "decoy"\nbase_url = "${decoyBaseUrl}"\nwire_api = "responses"\n`;
}

/**
 * Runs the real codex with `args` (async: fakes answering it usually live in the test's own
 * process, which spawnSync would block), stdin closed, killed after 60 s.
 */
export function runCodexBin(version: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string }): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [codexBinPath(version), ...args], { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}
