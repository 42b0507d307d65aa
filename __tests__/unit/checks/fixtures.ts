/** Shared fixtures of the checks unit tests: codex eras, temporary homes, model records, probes. */
import fs from 'node:fs';
import path from 'node:path';
import type { CodexInfo } from '../../../src/codex/detect.js';
import type { ExecOptions, ExecResult } from '../../../src/codex/exec.js';
import { loadHome, type HomeState } from '../../../src/config/profiles.js';
import type { ServerProbe } from '../../../src/verify/probe.js';
import type { ModelRecord } from '../../../src/discover/types.js';
import { judgeModel } from '../../../src/discover/hints.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';
import { codexInfo } from '../../helpers/codex-info.js';

export const FILE_CODEX: CodexInfo = codexInfo('0.169.0');
export const V2_CODEX: CodexInfo = codexInfo('0.133.0');
export const OLD_CODEX: CodexInfo = codexInfo('0.121.0');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

/** A CODEX_HOME holding exactly these files, loaded. */
export async function homeWith(files: Record<string, string>): Promise<HomeState> {
  const dir = makeTempDir('cp-checks-');
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return loadHome(dir);
}

export function model(provider: 'ollama' | 'lmstudio', id: string, extra: Partial<ModelRecord> = {}): ModelRecord {
  const m: ModelRecord = {
    provider,
    id,
    displayName: id,
    capabilities: { tools: true, completion: true },
    contextLength: 131072,
    runtimeContextLength: 65536,
    sources: {},
    hints: [],
    ...extra,
  };
  m.hints = judgeModel(m);
  return m;
}

export function probeOf(kind: ServerProbe['kind'], url: string, models: ModelRecord[] = [], extra: Partial<ServerProbe> = {}): ServerProbe {
  return { url, kind, status: 'up', exposed: false, models, notes: [], ...(kind === 'ollama' ? { version: '0.13.5' } : {}), ...extra };
}

/** An ExecResult as runCodexExec returns it for a run that answered `text` through `provider`/`model`. */
export function answered(opts: ExecOptions, text: string, provider: string, modelId: string, extra: Partial<ExecResult> = {}): ExecResult {
  return {
    ok: text.trim() !== '',
    exitCode: 0,
    timedOut: false,
    finalMessage: text,
    reportedProvider: provider,
    reportedModel: modelId,
    stderr: '',
    stdout: '',
    durationMs: 10,
    args: ['exec', '--skip-git-repo-check', '--ephemeral', opts.profileV2 ? '--profile-v2' : '-p', opts.profile ?? '', '-o', '/tmp/x', ...(opts.extraArgs ?? []), '--', opts.prompt],
    ...extra,
  };
}
