/**
 * Shared set-up of the e2e tests of `test`, `audit` and `doctor`: fake Ollama and LM Studio
 * servers (with a configurable answer to POST /v1/responses), a `decoy` Responses server that
 * stands for the base config's provider, and temporary Codex homes (HOME and CODEX_HOME in a
 * temporary folder). Every config written here has the decoy as its base `model_provider`, so a
 * run that ignores the profile lands on the decoy and never on a hosted model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseJson, runCli, type CliResult } from './cli.js';
import { codexBinPath } from './codex-bins.js';
import type { FakeHttpOptions } from './fake-http.js';
import { startFakeLmStudio, type FakeLmModel, type FakeLmStudio } from './fake-lmstudio.js';
import { startFakeOllama, type FakeOllama, type FakeOllamaModel } from './fake-ollama.js';
import { responsesHandler, startResponsesServer, type ResponsesOptions, type ResponsesServer } from './responses-sse.js';
import { withToolCalls } from './tool-models.js';
import { makeSandbox, sandboxEnv, type Sandbox } from './tmp.js';

export const PROMPT = 'Reply with exactly OK';
export const OLLAMA_MODEL = 'qwen3:8b';
export const LMS_MODEL = 'qwen/qwen3-coder-30b';

export const codexBin = codexBinPath;

export function providerToml(id: string, baseUrl: string, extra = ''): string {
  return `[model_providers.${id}]\nname = "${id}"\nbase_url = "${baseUrl}"\nwire_api = "responses"\n${extra}`;
}

/** config.toml whose own provider is the decoy; `extra` goes among the top-level keys. */
export function baseConfig(decoy: ResponsesServer, extra = ''): string {
  return `model = "decoy-model"\nmodel_provider = "decoy"\n${extra}\n${providerToml('decoy', decoy.baseUrl)}`;
}

/** A profile file (>= 0.134, or --profile-v2 on 0.131-0.133). */
export function fileProfile(provider: string, model: string, table = ''): string {
  return `model = "${model}"\nmodel_provider = "${provider}"\n${table ? `\n${table}` : ''}`;
}

/** A legacy `[profiles.NAME]` table, to append to config.toml. */
export function tableProfile(name: string, provider: string, model: string): string {
  return `\n[profiles.${name}]\nmodel = "${model}"\nmodel_provider = "${provider}"\n`;
}

export interface Fakes {
  ollama: FakeOllama;
  lms: FakeLmStudio;
  decoy: ResponsesServer;
  /** What the fakes answer to POST /v1/responses (change it per test). */
  answer: { ollama: ResponsesOptions; lms: ResponsesOptions };
  /** Forget every recorded request. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakesOptions {
  ollamaVersion?: string;
  ollamaModels?: FakeOllamaModel[];
  lmsModels?: FakeLmModel[];
  ollamaHttp?: FakeHttpOptions;
  lmsHttp?: FakeHttpOptions;
}

export async function startFakes(opts: FakesOptions = {}): Promise<Fakes> {
  const answer = { ollama: { text: 'OK' } as ResponsesOptions, lms: { text: 'OK' } as ResponsesOptions };
  const ollama = await startFakeOllama({
    version: opts.ollamaVersion ?? '0.13.5',
    models: opts.ollamaModels ?? [
      { name: OLLAMA_MODEL, contextLength: 131072, loaded: true, loadedContextLength: 65536 },
      { name: 'gpt-oss:20b', contextLength: 131072, loaded: true, loadedContextLength: 65536 },
    ],
    responses: withToolCalls(responsesHandler(() => answer.ollama)),
    ...opts.ollamaHttp,
  });
  const lms = await startFakeLmStudio({
    models: opts.lmsModels ?? [
      { key: LMS_MODEL, maxContextLength: 262144, loaded: [32768] },
      { key: 'google/gemma-3-12b', maxContextLength: 131072, loaded: [32768] },
    ],
    responses: withToolCalls(responsesHandler(() => answer.lms)),
    ...opts.lmsHttp,
  });
  const decoy = await startResponsesServer({ text: 'DECOY' });
  return {
    ollama,
    lms,
    decoy,
    answer,
    reset: () => {
      ollama.requests.length = 0;
      lms.requests.length = 0;
      decoy.requests.length = 0;
    },
    close: async () => {
      await Promise.all([ollama.close(), lms.close(), decoy.close()]);
    },
  };
}

/** `POST /v1/responses` calls a fake received (the prompts). */
export const responsesCalls = (s: { calls(): string[] }): string[] => s.calls().filter((c) => c === 'POST /v1/responses');

export interface Home {
  sb: Sandbox;
  env: NodeJS.ProcessEnv;
  write(file: string, text: string): void;
  path(file: string): string;
}

/** A temporary home; the built-in `ollama` / `lmstudio` ids point at the fake Ollama (CODEX_OSS_BASE_URL). */
export function makeHome(f: Fakes | undefined, extraEnv: NodeJS.ProcessEnv = {}): Home {
  const sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
  const env = sandboxEnv(sb, { ...(f ? { CODEX_OSS_BASE_URL: `${f.ollama.url}/v1` } : {}), ...extraEnv });
  return {
    sb,
    env,
    write: (file, text) => fs.writeFileSync(path.join(sb.codexHome, file), text),
    path: (file) => path.join(sb.codexHome, file),
  };
}

export function cli(v: string, home: Home, args: string[], env: NodeJS.ProcessEnv = home.env): Promise<CliResult> {
  return runCli([...args, '--codex-bin', codexBin(v)], { env, timeoutMs: 120_000 });
}

export { parseJson };
