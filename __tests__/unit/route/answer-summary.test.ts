/**
 * The deterministic answer summary of `compare` (src/route/answer-summary.ts): units, tags, and
 * properties that must hold for any two answers.
 */
import fc from 'fast-check';
import { answerUnits, normalizeUnit, renderSummary, summarizeAnswers, type AnswerSummary } from '../../../src/route/answer-summary.js';

const LOCAL = [
  'Use a unified diff to review the change.',
  '',
  '- Run the tests first.',
  '- Check the output.',
].join('\n');

const HOSTED = [
  'Use a unified diff to review the change. Note the risk: a renamed file shows as a delete and an add.',
  '',
  '1. Run the tests first',
  '2. Back up config.toml before applying the patch',
  '3. Limit the context to 3 lines',
].join('\n');

describe('answerUnits', () => {
  test('list items and sentences, first occurrence only, markdown marks and end punctuation ignored for equality', () => {
    const units = answerUnits('# Title\nOne sentence. Two sentence!\n- **Run** it.\n* run it\n```\ncode line\n```\n> Quoted.');
    expect(units.map((u) => u.text)).toEqual(['Title', 'One sentence.', 'Two sentence!', '**Run** it.', 'code line', 'Quoted.']);
    expect(normalizeUnit('**Run** it.')).toBe(normalizeUnit('run it'));
  });

  test('tags: risk words, numbers, imperative list items (a sentence is never an action)', () => {
    const tags = Object.fromEntries(
      answerUnits('- Run npm test\n- The tests pass\nRun it now. Beware: this is a breaking change.\n- Avoid 2 GB downloads\nA caveat remains.').map((u) => [u.text, u.tags]),
    );
    expect(tags).toEqual({
      'Run npm test': ['action'],
      'The tests pass': [],
      'Run it now.': [],
      'Beware: this is a breaking change.': ['risk'],
      'Avoid 2 GB downloads': ['number', 'action'],
      'A caveat remains.': ['risk'],
    });
  });

  test('an empty or blank answer has no units', () => {
    expect(answerUnits('')).toEqual([]);
    expect(answerUnits('\n  \n- \n---\n')).toEqual([]);
  });
});

describe('summarizeAnswers', () => {
  test('what each answer has that the other lacks, with tag counts', () => {
    const s = summarizeAnswers({ name: 'local', answer: LOCAL }, { name: 'hosted', answer: HOSTED });
    expect(s.onlyInFrom.map((u) => u.text)).toEqual(['Check the output.']);
    expect(s.onlyInTo).toEqual([
      { text: 'Note the risk: a renamed file shows as a delete and an add.', tags: ['risk'] },
      { text: 'Back up config.toml before applying the patch', tags: ['action'] },
      { text: 'Limit the context to 3 lines', tags: ['number', 'action'] },
    ]);
    expect(s.counts).toEqual({ from: { risk: 0, number: 0, action: 1 }, to: { risk: 1, number: 1, action: 2 } });
  });

  test('rendered: counts per side, tagged items first, a cap with the rest counted', () => {
    const s = summarizeAnswers({ name: 'local', answer: LOCAL }, { name: 'hosted', answer: HOSTED });
    expect(renderSummary(s, 2)).toEqual([
      'Summary local vs hosted (no model asked: sentences and list items only one answer has):',
      '  only in local: 1 item (0 risks, 0 numbers, 1 action)',
      '    - [action] Check the output.',
      '  only in hosted: 3 items (1 risk, 1 number, 2 actions)',
      '    - [risk] Note the risk: a renamed file shows as a delete and an add.',
      '    - [action] Back up config.toml before applying the patch',
      '    ... 1 more (compare.json has all)',
    ]);
    expect(renderSummary(summarizeAnswers({ name: 'a', answer: 'Same.' }, { name: 'b', answer: 'same' }))).toEqual([
      'Summary a vs b (no model asked: sentences and list items only one answer has):',
      '  only in a: nothing',
      '  only in b: nothing',
    ]);
  });
});

// Answers built from a small vocabulary, so that the two sides share units often.
const line = fc.oneof(
  fc.constantFrom('- Run the tests', '- Back up config.toml', 'There is a risk of data loss.', 'Use 16 GB.', '', '```', '1. Check the logs', 'It works. It is fast.'),
  fc.string({ maxLength: 30 }),
);
const answer = fc.array(line, { maxLength: 8 }).map((ls) => ls.join('\n'));

function swapped(s: AnswerSummary): AnswerSummary {
  return { from: s.to, to: s.from, onlyInFrom: s.onlyInTo, onlyInTo: s.onlyInFrom, counts: { from: s.counts.to, to: s.counts.from } };
}

describe('properties', () => {
  test('deterministic: the same texts give the same summary', () => {
    fc.assert(
      fc.property(answer, answer, (a, b) => {
        expect(summarizeAnswers({ name: 'x', answer: a }, { name: 'y', answer: b })).toEqual(summarizeAnswers({ name: 'x', answer: a }, { name: 'y', answer: b }));
      }),
    );
  });

  test('symmetric roles: swapping the answers swaps the two sides', () => {
    fc.assert(
      fc.property(answer, answer, (a, b) => {
        expect(summarizeAnswers({ name: 'y', answer: b }, { name: 'x', answer: a })).toEqual(swapped(summarizeAnswers({ name: 'x', answer: a }, { name: 'y', answer: b })));
      }),
    );
  });

  test('an answer compared with itself has nothing of its own; an empty answer lacks everything the other says', () => {
    fc.assert(
      fc.property(answer, (a) => {
        const self = summarizeAnswers({ name: 'x', answer: a }, { name: 'y', answer: a });
        expect([self.onlyInFrom, self.onlyInTo]).toEqual([[], []]);
        const vsEmpty = summarizeAnswers({ name: 'x', answer: a }, { name: 'y', answer: '' });
        expect(vsEmpty.onlyInFrom).toEqual(answerUnits(a));
        expect(vsEmpty.onlyInTo).toEqual([]);
      }),
    );
  });

  test('every reported unit really is missing from the other answer, and every counted tag is on a listed unit', () => {
    fc.assert(
      fc.property(answer, answer, (a, b) => {
        const s = summarizeAnswers({ name: 'x', answer: a }, { name: 'y', answer: b });
        const keysB = new Set(answerUnits(b).map((u) => normalizeUnit(u.text)));
        for (const u of s.onlyInFrom) expect(keysB.has(normalizeUnit(u.text))).toBe(false);
        const risks = s.onlyInFrom.filter((u) => u.tags.includes('risk')).length;
        expect(s.counts.from.risk).toBe(risks);
      }),
    );
  });
});
