import fc from 'fast-check';
import { judgeAnswer } from '../../../src/verify/answer.js';

const ok = (a: string) => judgeAnswer(a, 'OK');

test('exactly OK (after trimming) is an exact pass', () => {
  expect(ok('OK')).toEqual({ pass: true, exact: true });
  expect(ok('  OK\n')).toEqual({ pass: true, exact: true });
});

test.each(['OK.', '**OK**', 'ok', 'Ok.', '"OK"', '`OK`', '_OK_', '**OK.**', '**OK**.', '“OK”', "'ok.'", ' *OK* '])('%j: trivial formatting passes, not exact', (a) => {
  expect(ok(a)).toEqual({ pass: true, exact: false });
});

test.each(['OK!', 'Okay', 'OK, done', 'OK..', 'Sure. OK', 'OK OK', 'NOT OK', '', '**', '****', '.', 'K', 'OK?', '**OK', 'O K'])('%j: anything more fails', (a) => {
  expect(ok(a)).toEqual({ pass: false });
});

const wrappers = fc.constantFrom(['**', '**'], ['__', '__'], ['*', '*'], ['_', '_'], ['`', '`'], ['"', '"'], ["'", "'"]);
const caseOf = fc.constantFrom('OK', 'ok', 'Ok', 'oK');

test('property: any case, up to four wrappers, optional single period, whitespace around: passes', () => {
  fc.assert(
    fc.property(caseOf, fc.array(wrappers, { maxLength: 4 }), fc.boolean(), fc.boolean(), fc.constantFrom('', ' ', '\n', '  \t'), (word, ws, periodInside, periodOutside, pad) => {
      let t = word + (periodInside ? '.' : '');
      for (const [a, b] of ws) t = a + t + b;
      if (periodOutside && !periodInside) t += '.';
      expect(ok(pad + t + pad).pass).toBe(true);
    }),
  );
});

test('property: a character other than formatting added anywhere fails', () => {
  fc.assert(
    fc.property(caseOf, fc.string({ minLength: 1, maxLength: 3 }).filter((s) => /[A-Za-z0-9!?,]/.test(s)), fc.boolean(), (word, extra, before) => {
      const t = before ? extra + word : word + extra;
      expect(ok(t).pass).toBe(false);
    }),
  );
});
