import { FACT_SEVERITY } from '../diagnostics.js';
import type { Hint, ModelRecord, ProviderId } from './types.js';
import { shellWord } from '../system/shell-word.js';

/** Ollama's docs ask for at least 64k tokens for coding agents. */
export const OLLAMA_MIN_CONTEXT = 65536;
/** Codex's docs for LM Studio ask for a context above ~25k tokens. */
export const LMSTUDIO_MIN_CONTEXT = 25000;

export function minContextFor(provider: ProviderId): number {
  return provider === 'ollama' ? OLLAMA_MIN_CONTEXT : LMSTUDIO_MIN_CONTEXT;
}

/** 131072 -> `128k`, 40960 -> `40k`, 25000 -> `25k`, 30000.5 -> `29.3k`, 512 -> `512`. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n % 1024 === 0) return `${n / 1024}k`;
  if (n % 1000 === 0) return `${n / 1000}k`;
  return `${(n / 1024).toFixed(1)}k`;
}

/** Embedding-only models cannot answer prompts: never offer them for a profile. */
export function isEmbeddingOnly(model: Pick<ModelRecord, 'capabilities'>): boolean {
  return model.capabilities.embedding === true && model.capabilities.completion !== true;
}

/** The server environment variable for Ollama's default context, read from our own environment. */
export function ollamaContextFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.OLLAMA_CONTEXT_LENGTH?.trim().replace(/^["']+|["']+$/g, '');
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * The judgement shown next to each model. Pure: the record's facts in, hints out.
 * `env` is only used to tell whether OLLAMA_CONTEXT_LENGTH is set where we run.
 */
export function judgeModel(model: ModelRecord, env: NodeJS.ProcessEnv = {}): Hint[] {
  const hints: Hint[] = [];
  const { provider } = model;

  if (model.remoteHost) {
    hints.push({
      level: 'warn',
      code: 'CLOUD_MODEL',
      message: `cloud model: Ollama forwards prompts for it to ${model.remoteHost}; nothing runs on this machine`,
      fix: 'pick a local model if prompts must stay on this machine',
    });
  }

  if (isEmbeddingOnly(model)) {
    hints.push({
      level: 'info',
      code: 'EMBEDDING_ONLY',
      message: 'embedding model: it cannot answer prompts, so it is not offered for profiles',
    });
    return hints; // tools and context do not matter for a model nobody will chat with
  }

  const tools = model.capabilities.tools;
  if (tools === false) {
    hints.push(
      provider === 'ollama'
        ? {
            level: FACT_SEVERITY.NO_TOOLS,
            code: 'NO_TOOLS',
            message: 'no tool calling: Codex needs tools to run commands and edit files; this model can only chat',
            fix: 'choose a model whose `ollama show` lists "tools" under Capabilities (e.g. gpt-oss, qwen3-coder)',
          }
        : {
            level: FACT_SEVERITY.NO_TOOLS,
            code: 'NO_TOOLS',
            message:
              'not trained for tool use: LM Studio falls back to a generic tool prompt, and Codex (which needs tools) may stall or answer without acting',
            fix: 'prefer a model LM Studio marks as trained for tool use (the hammer badge)',
          },
    );
  } else if (tools === undefined && !model.remoteHost) {
    hints.push({
      level: 'info',
      code: 'TOOLS_UNKNOWN',
      message: `${provider === 'ollama' ? 'Ollama' : 'LM Studio'} did not say whether this model supports tool calling (older server or CLI listing); Codex needs it`,
    });
  }

  if (model.remoteHost) return hints; // a cloud model's context is the remote host's business

  const context = contextHint(model, env);
  if (context) hints.push(context);
  return hints;
}

function contextHint(model: ModelRecord, env: NodeJS.ProcessEnv): Hint | undefined {
  const { provider, id } = model;
  const min = minContextFor(provider);
  const max = model.contextLength;
  const runtime = model.runtimeContextLength;
  const want = provider === 'ollama' ? OLLAMA_MIN_CONTEXT : 32768;

  if (max !== undefined && max < min) {
    return {
      level: FACT_SEVERITY.MODEL_CONTEXT_SMALL,
      code: 'MODEL_CONTEXT_SMALL',
      message: `the model supports only ${formatTokens(max)} tokens of context; Codex wants at least ${formatTokens(min)}`,
      fix: 'no setting can raise a model past its own maximum: choose a model with a longer context',
    };
  }

  if (runtime !== undefined && runtime < min) {
    const where = model.sources.runtimeContextLength ?? 'the server';
    if (provider === 'ollama') {
      const fromModelfile = /num_ctx/.test(where);
      return {
        level: FACT_SEVERITY.CONTEXT_SMALL,
        code: 'CONTEXT_SMALL',
        message: `runs with ${formatTokens(runtime)} tokens of context (${where}); Codex needs at least ${formatTokens(min)} or it loses track of the task`,
        fix: fromModelfile
          ? `the Modelfile sets num_ctx ${runtime}: create a variant with \`PARAMETER num_ctx ${want}\` (ollama create), or set \`model_context_window\` no higher than ${runtime}`
          : ollamaContextFix(want),
      };
    }
    return {
      level: FACT_SEVERITY.CONTEXT_SMALL,
      code: 'CONTEXT_SMALL',
      message: `loaded with ${formatTokens(runtime)} tokens of context; Codex needs more than ${formatTokens(min)}`,
      fix: `reload it with a larger context: \`lms unload ${shellWord(id)}\` then \`lms load ${shellWord(id)} --context-length ${want}\`, or raise Context Length in the model's load settings in LM Studio`,
    };
  }

  if (runtime === undefined) {
    if (provider === 'ollama') {
      const envCtx = ollamaContextFromEnv(env);
      const state = model.loaded ? 'loaded, context not reported (Ollama 0.10+ reports it)' : 'not loaded';
      if (envCtx !== undefined && envCtx >= min) {
        return {
          level: 'info',
          code: 'CONTEXT_DEFAULT',
          message: `${state}: it runs with the server's default context; OLLAMA_CONTEXT_LENGTH=${envCtx} is set here, which is enough if the server was started with it`,
        };
      }
      // Short: it is shown once per model; the why and the fix are shown once for all of them.
      return {
        level: FACT_SEVERITY.CONTEXT_DEFAULT,
        code: 'CONTEXT_DEFAULT',
        message: `${state}: Ollama's default context applies (4k, 32k or 256k by GPU memory); Codex needs ${formatTokens(min)}`,
        fix: ollamaContextFix(want),
      };
    }
    return {
      level: 'info',
      code: 'CONTEXT_DEFAULT',
      message: model.loaded
        ? `loaded, but this LM Studio does not report the context it was loaded with (0.4+ does); Codex needs more than ${formatTokens(min)}`
        : `not loaded: LM Studio will load it with the context length from its load settings; Codex needs more than ${formatTokens(min)}`,
      fix: `load it yourself with enough context: \`lms load ${shellWord(id)} --context-length ${want}\``,
    };
  }
  return undefined;
}

/**
 * Ollama's default context by total GPU memory (read: ollama server sources, since 0.15.5). We
 * cannot see the GPU, so a model left on the default gets every tier named: two of three are
 * below what Codex needs.
 */
const OLLAMA_DEFAULT_TIERS_TEXT = "Ollama's default context depends on GPU memory: 4096 below 24 GiB, 32768 from 24 to 48 GiB (both too small for Codex), 262144 from 48 GiB";

/** Ollama's default context is a server setting: one fix for every model it serves. */
function ollamaContextFix(want: number): string {
  return `${OLLAMA_DEFAULT_TIERS_TEXT}. Start the server with OLLAMA_CONTEXT_LENGTH=${want}: \`OLLAMA_CONTEXT_LENGTH=${want} ollama serve\`, or set it in the Ollama app's settings, or give the model a \`num_ctx ${want}\` parameter (a Modelfile variant)`;
}

