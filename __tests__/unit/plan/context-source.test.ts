import { contextFor, contextSourceFor } from '../../../src/plan/add.js';
import { judgeModel } from '../../../src/discover/hints.js';
import { model } from '../checks/fixtures.js';

describe('model_context_window: the context the server runs, and where it came from', () => {
  test('a loaded model: /api/ps, never the trained maximum', () => {
    const m = model('ollama', 'qwen3:8b', { runtimeContextLength: 32768, sources: { runtimeContextLength: '/api/ps context_length' } });
    expect(contextFor(m)).toBe(32768);
    expect(contextSourceFor(m)).toBe('/api/ps context_length');
  });
  test('not loaded, OLLAMA_CONTEXT_LENGTH visible: that, capped by the maximum, said to be ours', () => {
    const m = model('ollama', 'qwen3:8b', { runtimeContextLength: undefined });
    expect(contextFor(m, { OLLAMA_CONTEXT_LENGTH: '65536' })).toBe(65536);
    expect(contextSourceFor(m, { OLLAMA_CONTEXT_LENGTH: '65536' })).toMatch(/^OLLAMA_CONTEXT_LENGTH/);
  });
  test('unknown (Ollama default): nothing written, and the warning names every default tier', () => {
    const m = model('ollama', 'qwen3:8b', { runtimeContextLength: undefined });
    expect(contextFor(m)).toBeUndefined();
    expect(contextSourceFor(m)).toBeUndefined();
    const hint = judgeModel(m).find((h) => h.code === 'CONTEXT_DEFAULT')!;
    expect(hint.level).toBe('warn');
    expect(hint.message).toContain('4k, 32k or 256k by GPU memory');
    expect(hint.fix).toContain('4096 below 24 GiB, 32768 from 24 to 48 GiB (both too small for Codex), 262144 from 48 GiB');
    expect(hint.fix).toContain('OLLAMA_CONTEXT_LENGTH=65536');
    expect(hint.fix).toContain('num_ctx 65536');
  });
  test('LM Studio: the loaded instance', () => {
    const m = model('lmstudio', 'qwen/qwen3-coder-30b', { runtimeContextLength: 40960, sources: { runtimeContextLength: 'loaded_instances' } });
    expect(contextFor(m)).toBe(40960);
    expect(contextSourceFor(m)).toBe('loaded_instances');
  });
});
