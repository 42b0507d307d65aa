/** The live progress helper (src/ui/progress.ts) against a fake terminal. */
import { colorEnabled, formatElapsed, LiveProgress, progressEnabled } from '../../../src/ui/progress.js';

function fakeTerm(columns = 80) {
  const chunks: string[] = [];
  return { stream: { isTTY: true, columns, write: (c: string) => chunks.push(c) }, chunks, text: () => chunks.join('') };
}

describe('progressEnabled and colorEnabled', () => {
  test('only a terminal, never with --json, never on TERM=dumb', () => {
    expect(progressEnabled({ json: false, stream: { isTTY: true, write: () => true }, env: {} })).toBe(true);
    expect(progressEnabled({ json: true, stream: { isTTY: true, write: () => true }, env: {} })).toBe(false);
    expect(progressEnabled({ json: false, stream: { isTTY: false, write: () => true }, env: {} })).toBe(false);
    expect(progressEnabled({ json: false, stream: { write: () => true }, env: {} })).toBe(false);
    expect(progressEnabled({ json: false, stream: { isTTY: true, write: () => true }, env: { TERM: 'dumb' } })).toBe(false);
  });
  test('NO_COLOR (non-empty) or --no-color turn colour off', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({}, false)).toBe(false);
  });
});

describe('LiveProgress', () => {
  test('one live line per running task with its elapsed seconds, redrawn in place; finished lines stay above', () => {
    const t = fakeTerm();
    let now = 1000;
    const p = new LiveProgress({ stream: t.stream, enabled: true, color: false, now: () => now, intervalMs: 60_000 });
    p.start('a', 'alpha (ollama qwen3:8b)');
    now += 2500;
    p.start('b', 'beta (lms qwen/x)');
    expect(t.text()).toContain('alpha (ollama qwen3:8b)  0s\n');
    // The second draw first moved up over the one line drawn before and erased it.
    expect(t.chunks).toContain('\x1b[1A\r\x1b[J');
    expect(t.text()).toMatch(/alpha \(ollama qwen3:8b\)  2s\n. beta \(lms qwen\/x\)  0s\n$/);
    now += 1000;
    p.finish('a', 'pass    alpha 3.5s');
    // Up over both live lines, the permanent line, then only beta is live.
    expect(t.text()).toMatch(/\x1b\[2A\r\x1b\[J(\x1b\[[0-9;]*m)?pass {4}alpha 3\.5s\n. beta \(lms qwen\/x\)  1s\n$/);
    p.stop();
    expect(t.text().endsWith('\x1b[1A\r\x1b[J')).toBe(true);
    // Colour off: no SGR codes at all.
    expect(t.text()).not.toMatch(/\x1b\[\d*m/);
  });

  test('disabled: writes nothing at all', () => {
    const t = fakeTerm();
    const p = new LiveProgress({ stream: t.stream, enabled: false });
    p.start('a', 'x');
    p.finish('a', 'done');
    p.stop();
    expect(t.chunks).toEqual([]);
  });

  test('with colour the elapsed time is dim; lines never wrap past the terminal width', () => {
    const t = fakeTerm(20);
    const p = new LiveProgress({ stream: t.stream, enabled: true, color: true, now: () => 0, intervalMs: 60_000 });
    p.start('a', 'short');
    expect(t.text()).toContain('\x1b[2m0s\x1b[22m');
    p.start('b', 'a very long label that would wrap');
    const last = t.text().trimEnd().split('\n').pop()!;
    expect([...last].length).toBeLessThanOrEqual(19);
    expect(last.endsWith('…')).toBe(true);
    p.stop();
  });

  test('the timer redraws on its own and stops when nothing runs', async () => {
    const t = fakeTerm();
    let now = 0;
    const p = new LiveProgress({ stream: t.stream, enabled: true, color: false, now: () => now, intervalMs: 5 });
    p.start('a', 'x');
    now = 7000;
    await new Promise((r) => setTimeout(r, 30));
    expect(t.text()).toContain('x  7s');
    p.finish('a');
    const before = t.chunks.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(t.chunks.length).toBe(before);
  });

  test('formatElapsed', () => {
    expect(formatElapsed(0)).toBe('0s');
    expect(formatElapsed(59_999)).toBe('59s');
    expect(formatElapsed(61_000)).toBe('1m01s');
  });
});
