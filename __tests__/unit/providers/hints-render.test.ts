import fs from 'node:fs';
import path from 'node:path';
import chalk from 'chalk';
import { judgeModel, formatTokens, OLLAMA_MIN_CONTEXT, LMSTUDIO_MIN_CONTEXT } from '../../../src/discover/hints.js';
import { shellWord } from '../../../src/system/shell-word.js';
import { renderDiscovery, safeText, formatBytes } from '../../../src/discover/render.js';
import { findLmsCli } from '../../../src/discover/exec.js';
import { envValue, findOnPath, homeDir } from '../../../src/system/which.js';
import type { DiscoveryResult, ModelRecord } from '../../../src/discover/types.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

const rec = (over: Partial<ModelRecord>): ModelRecord => ({ provider: 'ollama', id: 'm:1b', displayName: 'm:1b', capabilities: {}, sources: {}, hints: [], ...over });
const codes = (m: ModelRecord, env: NodeJS.ProcessEnv = {}) => judgeModel(m, env).map((h) => `${h.level}:${h.code}`);

describe('judgeModel', () => {
  it('thresholds: 64k for Ollama, 25k for LM Studio', () => {
    expect(OLLAMA_MIN_CONTEXT).toBe(65536);
    expect(LMSTUDIO_MIN_CONTEXT).toBe(25000);
    const tools = { tools: true, completion: true };
    expect(codes(rec({ capabilities: tools, contextLength: 131072, runtimeContextLength: 65536 }))).toEqual([]);
    expect(codes(rec({ capabilities: tools, contextLength: 131072, runtimeContextLength: 32768 }))).toEqual(['warn:CONTEXT_SMALL']);
    expect(codes(rec({ provider: 'lmstudio', capabilities: tools, contextLength: 131072, runtimeContextLength: 32768 }))).toEqual([]);
    expect(codes(rec({ provider: 'lmstudio', capabilities: tools, contextLength: 131072, runtimeContextLength: 16384 }))).toEqual(['warn:CONTEXT_SMALL']);
    expect(codes(rec({ provider: 'lmstudio', capabilities: tools, contextLength: 16384 }))).toEqual(['warn:MODEL_CONTEXT_SMALL']);
    expect(codes(rec({ provider: 'lmstudio', capabilities: tools, contextLength: 131072 }))).toEqual(['info:CONTEXT_DEFAULT']);
  });

  it('tool calling: no, unknown, yes', () => {
    // No tools is an error for both providers (src/diagnostics.ts): it cannot drive Codex.
    expect(codes(rec({ capabilities: { tools: false, completion: true }, runtimeContextLength: 65536 }))).toEqual(['error:NO_TOOLS']);
    expect(codes(rec({ capabilities: {}, runtimeContextLength: 65536 }))).toEqual(['info:TOOLS_UNKNOWN']);
    expect(codes(rec({ provider: 'lmstudio', capabilities: { tools: false }, runtimeContextLength: 65536 }))).toEqual(['error:NO_TOOLS']);
  });

  it('embedding-only: one hint, nothing about tools or context', () => {
    expect(codes(rec({ capabilities: { embedding: true, completion: false }, contextLength: 2048 }))).toEqual(['info:EMBEDDING_ONLY']);
  });

  it('cloud models: warned, no context advice', () => {
    expect(codes(rec({ remoteHost: 'https://ollama.com:443', capabilities: { tools: true } }))).toEqual(['warn:CLOUD_MODEL']);
  });

  it('the fix names the right knob', () => {
    const [envFix] = judgeModel(rec({ capabilities: { tools: true }, runtimeContextLength: 4096, sources: { runtimeContextLength: '/api/ps context_length' } }));
    expect(envFix!.fix).toMatch(/OLLAMA_CONTEXT_LENGTH=65536/);
    const [mf] = judgeModel(rec({ capabilities: { tools: true }, runtimeContextLength: 4096, sources: { runtimeContextLength: '/api/show parameters num_ctx (Modelfile)' } }));
    expect(mf!.fix).toMatch(/PARAMETER num_ctx 65536/);
    const [lm] = judgeModel(rec({ provider: 'lmstudio', id: "we'ird id", capabilities: { tools: true }, runtimeContextLength: 4096 }));
    expect(lm!.fix).toContain(`lms load 'we'\\''ird id' --context-length 32768`);
  });

  it('default context: info when OLLAMA_CONTEXT_LENGTH here is big enough, warn otherwise', () => {
    const m = rec({ capabilities: { tools: true }, contextLength: 131072 });
    expect(codes(m)).toEqual(['warn:CONTEXT_DEFAULT']);
    expect(codes(m, { OLLAMA_CONTEXT_LENGTH: '8192' })).toEqual(['warn:CONTEXT_DEFAULT']);
    expect(codes(m, { OLLAMA_CONTEXT_LENGTH: '"131072"' })).toEqual(['info:CONTEXT_DEFAULT']);
  });

  it('loaded without a reported context says so instead of "not loaded"', () => {
    const [o] = judgeModel(rec({ capabilities: { tools: true }, contextLength: 131072, loaded: true }));
    expect(o!.message).toMatch(/^loaded, context not reported/);
    const [l] = judgeModel(rec({ provider: 'lmstudio', capabilities: { tools: true }, contextLength: 131072, loaded: true }));
    expect(l!.message).toMatch(/^loaded, but this LM Studio does not report/);
    expect(judgeModel(rec({ capabilities: { tools: true }, contextLength: 131072, loaded: false }))[0]!.message).toMatch(/^not loaded/);
  });

  it('formatTokens and shellWord', () => {
    expect([131072, 65536, 40960, 25000, 30001, 512].map(formatTokens)).toEqual(['128k', '64k', '40k', '25k', '29.3k', '512']);
    expect(shellWord('qwen/qwen3-coder-30b@q4_k_m')).toBe('qwen/qwen3-coder-30b@q4_k_m');
    expect(shellWord('a b')).toBe(`'a b'`);
  });
});

describe('renderDiscovery', () => {
  beforeAll(() => {
    chalk.level = 0;
  });

  const evil = 'evil\u001b[2J\u001b]0;owned\u0007\nname';
  const result: DiscoveryResult = {
    providers: [
      {
        provider: 'ollama',
        url: 'http://127.0.0.1:11434',
        status: 'up',
        version: '0.13.5',
        exposed: true,
        via: 'http',
        notes: [{ level: 'warn', code: 'EXPOSED_BIND', message: 'binds every interface', fix: 'use 127.0.0.1' }],
        models: [
          rec({ id: 'gpt-oss:20b', sizeBytes: 13_780_000_000, parameters: '20.9B', quantization: 'MXFP4', contextLength: 131072, runtimeContextLength: 8192, loaded: true, capabilities: { tools: true, completion: true } }),
          rec({ id: 'qwen3:8b', contextLength: 40960, capabilities: { tools: true, completion: true } }),
          rec({ id: 'nomic-embed-text:latest', contextLength: 2048, capabilities: { embedding: true, completion: false } }),
          rec({ id: evil, capabilities: { tools: false, completion: true } }),
        ],
      },
      { provider: 'lmstudio', url: 'http://127.0.0.1:1234', status: 'not-responding', reason: 'no answer within 1000 ms', exposed: false, via: 'none', models: [], notes: [] },
    ],
    codexOss: { effective: { ollama: 'http://localhost:11434/v1', lmstudio: 'http://localhost:1234/v1' }, notes: [{ level: 'warn', code: 'CODEX_OSS_MISMATCH', message: 'Codex looks elsewhere' }] },
  };
  for (const m of result.providers[0]!.models) m.hints = judgeModel(m, {});

  it('a table per provider, the status line, hints grouped, Codex notes', () => {
    const text = renderDiscovery(result);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Ollama up at http://127.0.0.1:11434 (version 0.13.5) [exposed]');
    expect(lines[1]).toMatch(/^ {2}NAME +SIZE +PARAMS +QUANT +CONTEXT +TOOLS +STATUS$/);
    expect(text).toMatch(/gpt-oss:20b +13\.8 GB +20\.9B +MXFP4 +8k\/128k +yes +loaded/);
    expect(text).toMatch(/nomic-embed-text:latest .* - +embedding, not for profiles/);
    expect(text).toContain('CONTEXT a/b: running with a tokens, model maximum b');
    expect(text).toMatch(/✖ .*no tool calling/);
    // The server-wide context fix is printed once, not once per model or per hint.
    expect(text.match(/OLLAMA_CONTEXT_LENGTH=65536 ollama serve/g)).toHaveLength(1);
    expect(text).toMatch(/! binds every interface\n +fix: use 127\.0\.0\.1/);
    expect(text).toContain('LM Studio not responding at http://127.0.0.1:1234: no answer within 1000 ms');
    expect(text).toMatch(/Codex\n +! Codex looks elsewhere/);
  });

  it('names from servers cannot write escape sequences or extra lines to the terminal', () => {
    const text = renderDiscovery(result);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('evil\\x1b[2J\\x1b]0;owned\\x07\\x0aname');
  });

  it('safeText and formatBytes', () => {
    expect(safeText('x'.repeat(100), 10)).toBe('x'.repeat(9) + '…');
    expect(formatBytes(undefined)).toBe('');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(241_410_208)).toBe('241 MB');
    expect(formatBytes(4_680_000_000)).toBe('4.7 GB');
  });
});

describe('finding executables without a shell', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('cp-exec-');
  });
  afterEach(() => removeDir(dir));

  it('PATH order, executables only, relative entries ignored', () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    fs.writeFileSync(path.join(a, 'ollama'), 'not executable', { mode: 0o644 });
    fs.writeFileSync(path.join(b, 'ollama'), '#!/bin/sh\n', { mode: 0o755 });
    fs.mkdirSync(path.join(a, 'lms')); // a directory is not a program
    expect(findOnPath('ollama', { PATH: `relative:${a}:${b}` }, 'linux')).toBe(path.join(b, 'ollama'));
    expect(findOnPath('lms', { PATH: `${a}:${b}` }, 'linux')).toBeUndefined();
    expect(findOnPath('ollama', {}, 'linux')).toBeUndefined();
  });

  it('~/.lmstudio/bin/lms from the given HOME', () => {
    const bin = path.join(dir, '.lmstudio', 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'lms'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findLmsCli({ PATH: '', HOME: dir }, 'linux')).toBe(path.join(bin, 'lms'));
    expect(findLmsCli({ PATH: '', HOME: path.join(dir, 'elsewhere') }, 'linux')).toBeUndefined();
  });

  it('Windows environment names are case-insensitive; home is USERPROFILE', () => {
    expect(envValue({ Path: 'C:\\bin' }, 'PATH', 'win32')).toBe('C:\\bin');
    expect(envValue({ Path: 'C:\\bin' }, 'PATH', 'linux')).toBeUndefined();
    expect(homeDir({ USERPROFILE: 'C:\\Users\\me', HOME: '/x' }, 'win32')).toBe('C:\\Users\\me');
    expect(homeDir({ USERPROFILE: 'C:\\Users\\me', HOME: '/x' }, 'linux')).toBe('/x');
  });
});
