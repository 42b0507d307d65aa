/**
 * The smoke test's verdict on the answer to "Reply with exactly OK". Real models often answer
 * `OK.` or `**OK**`: that is a model that followed the instruction with trivial formatting, not
 * one that cannot drive Codex. Deliberately lenient about exactly these, and nothing more:
 * - surrounding whitespace;
 * - letter case (`ok`, `Ok`);
 * - one trailing period;
 * - markdown emphasis or code (`**`, `__`, `*`, `_`, backticks) and quotes around the word.
 * Anything else (`OK!`, `Okay`, `OK, done`, `OK..`) fails and the answer is shown.
 */

export type AnswerVerdict = { pass: true; exact: boolean } | { pass: false };

const WRAPPERS: ReadonlyArray<readonly [string, string]> = [
  ['**', '**'],
  ['__', '__'],
  ['*', '*'],
  ['_', '_'],
  ['`', '`'],
  ['"', '"'],
  ["'", "'"],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
];

/** At most this many wrappers are peeled (`"**OK**"` is two); more is not trivial formatting. */
const MAX_PEELS = 4;

export function judgeAnswer(answer: string, expected: string): AnswerVerdict {
  let text = answer.trim();
  if (text === expected) return { pass: true, exact: true };
  let period = false;
  for (let peels = 0; peels <= MAX_PEELS; ) {
    text = text.trim();
    if (!period && text.endsWith('.')) {
      text = text.slice(0, -1);
      period = true;
      continue;
    }
    const w = WRAPPERS.find(([open, close]) => text.length > open.length + close.length && text.startsWith(open) && text.endsWith(close));
    if (!w || peels === MAX_PEELS) break;
    text = text.slice(w[0].length, text.length - w[1].length);
    peels++;
  }
  return text.toUpperCase() === expected.toUpperCase() ? { pass: true, exact: false } : { pass: false };
}
