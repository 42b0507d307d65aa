import fc from 'fast-check';
import { safeText, terminalSafe } from '../../../src/ui/terminal-text.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe (every line Output prints)', () => {
  test('no string gets a control character through; newlines and tabs stay', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = terminalSafe(s);
        expect(CONTROL.test(out)).toBe(false);
        expect(out.split('\n').length).toBe(s.split('\n').length);
      }),
    );
  });

  test('with colour, chalk-style SGR stays and every other escape is shown', () => {
    const line = '\x1b[33mwarning:\x1b[39m evil\x1b]0;title\x07\x1b[2J\u009b2J';
    expect(terminalSafe(line, { colour: true })).toBe('\x1b[33mwarning:\x1b[39m evil\\x1b]0;title\\x07\\x1b[2J\\x9b2J');
    expect(terminalSafe(line)).toBe('\\x1b[33mwarning:\\x1b[39m evil\\x1b]0;title\\x07\\x1b[2J\\x9b2J');
  });

  test('with colour, only ESC [ digits m survives: nothing else starting with ESC does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = terminalSafe(s, { colour: true });
        // eslint-disable-next-line no-control-regex
        expect(CONTROL.test(out.replace(/\x1b\[[0-9;]*m/g, ''))).toBe(false);
      }),
    );
  });
});

test('safeText (one value in a line) also shows newlines and cuts long values', () => {
  expect(safeText('a\nb\u2028c')).toBe('a\\x0ab\\u2028c');
  expect(safeText('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
});
