/**
 * The guarded confirmation of `oss_provider` (issue 18): what the guides do by hand with
 * `codex exec --oss -m gpt-oss:20b "Reply with exactly OK"`, without its trap. `--oss -m MODEL`
 * downloads a model the server does not list (Ollama: `POST /api/pull`; LM Studio: `lms get`;
 * seen on 0.131, 0.133, 0.169, 0.171 against the fakes), and Codex compares the name exactly as
 * listed (read: codex-rs/ollama and lmstudio `ensure_oss_ready`, `models.iter().any(|m| m ==
 * model)`): `-m qwen3` pulls when the server lists `qwen3:latest`.
 *
 * So, before codex starts (read-only discovery, the smoke test's probe):
 * 1. config.toml has `oss_provider = "ollama" | "lmstudio"` (without it `codex exec --oss` stops:
 *    "No default OSS provider configured");
 * 2. the server answers where Codex's built-in provider of that id points (codexOssUrls), and it
 *    is that kind of server (an Ollama new enough for Codex's own `--oss` check);
 * 3. the model is installed there, passed exactly as the server lists it; none named: an installed
 *    one is chosen (one that can call tools first; never an embedding or a cloud model).
 * Any failure: a result with a stable code and codex never started. Then the run, through
 * runCodexExec (same timeout, process-tree kill and Ctrl-C as the smoke test), with `--oss -m ID`
 * and no `-p`, so that only config.toml's oss_provider picks the backend; it passes when codex's
 * `provider:` header names that backend, `model:` the model, and the answer is OK.
 */
import type { CodexInfo } from '../codex/detect.js';
import { codexOssUrls, isLocalBuiltInId, ossServerUrl, type CodexLocalBuiltInId } from '../codex/builtins.js';
import { localityOfModel, leavesMachine } from '../codex/destination.js';
import { runCodexExec, type ExecOptions, type ExecResult } from '../codex/exec.js';
import type { HomeState } from '../config/profiles.js';
import { startFix } from '../discover/fixes.js';
import { cleanBaseUrl } from '../discover/address.js';
import { displayNameOf, serverKind } from '../discover/registry.js';
import type { ModelRecord } from '../discover/types.js';
import { answeredBy, describeStatus, installedList, lookupOssModel, OLLAMA_MIN_VERSION, ollamaTooOld, type ProbeFn } from './probe.js';
import { judgeRun } from './smoke-explain.js';
import { base } from './smoke-preflight.js';
import { SMOKE_PROMPT, type SmokeResult } from './smoke-types.js';

/** Stable codes of the checks before codex runs (the run's own codes are the smoke test's). */
export const OSS_CHECK_CODES = ['oss_provider_unset', 'oss_provider_invalid', 'provider_down', 'wrong_server', 'ollama_too_old', 'model_missing', 'no_usable_model', 'model_not_local'] as const;

export interface OssResult extends SmokeResult {
  /** config.toml's oss_provider, as written (undefined: not set). */
  ossProvider?: string;
  /** The server Codex's built-in id points at (no /v1). */
  serverUrl?: string;
  /** `given` (--model, as listed), `resolved` (--model named it another way), `picked` (none given). */
  modelChoice?: 'given' | 'resolved' | 'picked';
}

export interface OssOptions {
  state: HomeState;
  codex: CodexInfo;
  env: NodeJS.ProcessEnv;
  model?: string;
  probe: ProbeFn;
  timeoutMs: number;
  signal?: AbortSignal;
  exec?: (opts: ExecOptions) => Promise<ExecResult>;
}

/** Where `--oss` goes with this config and environment, before anything is asked. */
export function ossTarget(state: HomeState, env: NodeJS.ProcessEnv): { id?: CodexLocalBuiltInId; raw?: string; baseUrl?: string; serverUrl?: string } {
  const raw = state.ossProvider;
  if (raw === undefined || !isLocalBuiltInId(raw)) return { raw };
  const baseUrl = codexOssUrls(env).effective[raw];
  return { id: raw, raw, baseUrl, serverUrl: cleanBaseUrl(ossServerUrl(raw, env)) };
}

/** The arguments `--oss` adds (after the era's own: `--skip-git-repo-check`, `--ephemeral`, `-o`). */
export function ossArgs(model: string): string[] {
  return ['--oss', '-m', model];
}

function skip(result: OssResult, code: (typeof OSS_CHECK_CODES)[number], message: string, fix?: string): OssResult {
  return { ...result, status: 'skipped', code, message, ...(fix !== undefined ? { fix } : {}) };
}

const runsHere = (kind: string, url: string, m: ModelRecord) => !leavesMachine(localityOfModel(kind, url, m));
const canChat = (m: ModelRecord) => m.capabilities.embedding !== true && m.capabilities.completion !== false;

/** An installed model to confirm with: local, not an embedding, tools first, loaded first. */
export function pickModel(models: readonly ModelRecord[], kind: string, url: string): ModelRecord | undefined {
  const usable = models.filter((m) => canChat(m) && runsHere(kind, url, m));
  const score = (m: ModelRecord) => (m.capabilities.tools === true ? 2 : m.capabilities.tools === undefined ? 1 : 0) * 2 + (m.loaded ? 1 : 0);
  return [...usable].sort((a, b) => score(b) - score(a))[0];
}

/** The checks before codex runs: a result to report (skipped), or the model to run with. */
export async function checkOss(opts: Omit<OssOptions, 'timeoutMs'>): Promise<{ result: OssResult; model?: string }> {
  const target = ossTarget(opts.state, opts.env);
  const result: OssResult = { ...base('oss'), ...(target.raw !== undefined ? { ossProvider: target.raw } : {}) };
  if (target.raw === undefined) {
    return { result: skip(result, 'oss_provider_unset', `${opts.state.configPath} sets no oss_provider; \`codex exec --oss\` would stop ("No default OSS provider configured").`, 'Choose one: `codex-profiles default ollama` (or lmstudio).') };
  }
  if (!target.id || !target.serverUrl || !target.baseUrl) {
    return { result: skip(result, 'oss_provider_invalid', `oss_provider = ${JSON.stringify(target.raw)} is not one Codex knows (ollama or lmstudio).`, 'Set it with `codex-profiles default ollama` (or lmstudio).') };
  }
  const id = target.id;
  Object.assign(result, { provider: id, providerUrl: target.baseUrl, serverUrl: target.serverUrl });
  const name = displayNameOf(id);
  const { probe, found } = await lookupOssModel(id, opts.model, { env: opts.env, probe: opts.probe });
  if (probe.status !== 'up') {
    return { result: skip(result, 'provider_down', `Nothing usable answers at ${target.serverUrl} (${describeStatus(probe)}), where \`--oss\` sends prompts for oss_provider \`${id}\`.`, startFix(id, opts.env.CODEX_OSS_BASE_URL?.trim() || opts.env.CODEX_OSS_PORT?.trim() ? 'CODEX_OSS_BASE_URL / CODEX_OSS_PORT' : undefined)) };
  }
  if (probe.kind !== id) {
    const found = answeredBy(probe.kind);
    return { result: skip(result, 'wrong_server', `${found} answers at ${target.serverUrl}, but oss_provider is \`${id}\` (${name}): codex would speak ${name}'s API to it.`, `Point oss_provider at the server that runs there (\`codex-profiles default ${probe.kind === 'unknown' ? 'ollama' : probe.kind}\`), or fix CODEX_OSS_BASE_URL / CODEX_OSS_PORT.`) };
  }
  if (id === 'ollama' && ollamaTooOld(probe.version)) {
    return { result: skip(result, 'ollama_too_old', `Ollama ${probe.version} at ${target.serverUrl} is too old: codex --oss requires ${OLLAMA_MIN_VERSION} or newer.`, 'Update Ollama (https://ollama.com/download).') };
  }
  let chosen: ModelRecord | undefined;
  if (opts.model !== undefined) {
    chosen = found;
    if (!chosen) {
      const has = installedList(probe);
      return { result: skip({ ...result, model: opts.model }, 'model_missing', `${name} at ${target.serverUrl} does not have \`${opts.model}\` (it has ${has}); \`codex exec --oss -m ${opts.model}\` would download it.`, `Get it yourself if you want it: \`${serverKind(id).getModel(opts.model)}\`; or pass --model with an installed one (\`codex-profiles models\`).`) };
    }
    if (!runsHere(id, target.serverUrl, chosen)) {
      return { result: skip({ ...result, model: chosen.id }, 'model_not_local', `\`${chosen.id}\` does not run on this machine (${localityOfModel(id, target.serverUrl, chosen).reason}); this check sends prompts only to local models.`, 'Pass --model with a model that runs here.') };
    }
    result.modelChoice = chosen.id === opts.model ? 'given' : 'resolved';
    if (chosen.id !== opts.model) result.warnings.push(`\`${opts.model}\` is listed as \`${chosen.id}\`: passing that, since codex compares names exactly and would download \`${opts.model}\`.`);
  } else {
    chosen = pickModel(probe.models, id, target.serverUrl);
    if (!chosen) {
      return { result: skip(result, 'no_usable_model', `${name} at ${target.serverUrl} has no local chat model to confirm with (${probe.models.length} listed).`, `Get one yourself, e.g. \`${serverKind(id).getModel('gpt-oss:20b')}\` (codex-profiles never downloads).`) };
    }
    result.modelChoice = 'picked';
  }
  result.model = chosen.id;
  if (chosen.capabilities.tools === false) result.warnings.push(`\`${chosen.id}\` has no tool support: it may answer OK but cannot drive Codex.`);
  return { result, model: chosen.id };
}

/** Checks, then (only if they passed) the real `codex exec --oss -m ID`, then the verdict. */
export async function confirmOss(opts: OssOptions): Promise<OssResult> {
  const checked = await checkOss(opts);
  if (checked.model === undefined || opts.signal?.aborted) return checked.result;
  const running = checked.result;
  const exec = opts.exec ?? runCodexExec;
  const r = await exec({ codex: opts.codex, codexHome: opts.state.home, prompt: SMOKE_PROMPT, timeoutMs: opts.timeoutMs, extraArgs: ossArgs(checked.model), env: opts.env, signal: opts.signal, providerUrl: running.providerUrl });
  const judged: OssResult = { ...running, ...judgeRun(running, { id: running.provider!, model: checked.model }, r) };
  if (r.aborted) return { ...judged, status: 'not-run', code: 'interrupted', message: 'interrupted (Ctrl-C): codex was stopped, with its whole process group.' };
  if (judged.code === 'wrong_target') judged.message = `codex used provider \`${r.reportedProvider ?? '?'}\` and model \`${r.reportedModel ?? '?'}\`, not oss_provider \`${running.provider}\` and \`${checked.model}\`.`;
  if (judged.status === 'pass' && r.reportedProvider === undefined) {
    return { ...judged, status: 'fail', code: 'provider_unconfirmed', message: 'codex printed no `provider:` line, so the oss_provider backend could not be confirmed.', fix: 'Run it by hand and read the header: codex exec --oss -m MODEL "Reply with exactly OK".' };
  }
  return judged;
}
