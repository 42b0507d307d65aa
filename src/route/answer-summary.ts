/**
 * A short, deterministic summary of how two answers differ, for the judgement the guides ask of a
 * local vs hosted comparison: "missing risks, unclear next actions, or incorrect assumptions".
 * No model is asked: each answer is cut into units (list items, and sentences of the other
 * lines); a unit whose normalised text the other answer lacks is reported, tagged
 * - `risk`: it names a risk (risk, danger, warning, caveat, breaking, ...);
 * - `number`: it holds a number (versions, sizes, limits: where answers often disagree);
 * - `action`: a list item that starts with an imperative verb (a next step).
 * The result depends only on the two texts; swapping them swaps `onlyInFrom` and `onlyInTo`.
 */
import { plural } from '../diagnostics.js';

export type UnitTag = 'risk' | 'number' | 'action';

export interface SummaryUnit {
  text: string;
  tags: UnitTag[];
}

export interface AnswerSummary {
  from: string;
  to: string;
  /** Units of `from` that `to` does not have, in `from`'s order. */
  onlyInFrom: SummaryUnit[];
  onlyInTo: SummaryUnit[];
  /** Tag counts of the two lists. */
  counts: { from: Record<UnitTag, number>; to: Record<UnitTag, number> };
}

const RISK = /\b(risk\w*|danger\w*|warn\w*|caveat\w*|breaking|break(s)?|unsafe|insecure|vulnerab\w*|data loss|lose|careful|caution|deprecat\w*|irreversibl\w*|destructive|never|do not|don't)\b/i;
const NUMBER = /\d/;
const LIST_ITEM = /^\s*(?:[-*+•]|\d+[.)])\s+(.*)$/;

/** Verbs a next step starts with (the base form, as in "Run the tests"). */
const ACTION_VERBS = new Set(
  ('add apply avoid back backup build call change check clean configure confirm consider create delete deploy disable document ' +
    'download enable ensure export fix install keep limit log make migrate monitor move open pin pull read rebuild reload remove ' +
    'rename replace restart restore review revert roll rollback run save set start stop switch test try update upgrade use validate verify write')
    .split(' '),
);

/** Lower case, markdown emphasis and code marks dropped, spaces collapsed, end punctuation cut. */
export function normalizeUnit(text: string): string {
  return text
    .toLowerCase()
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.;:!?,]+$/, '');
}

function tagsOf(text: string, listItem: boolean): UnitTag[] {
  const tags: UnitTag[] = [];
  if (RISK.test(text)) tags.push('risk');
  if (NUMBER.test(text)) tags.push('number');
  const first = /^[^A-Za-z]*([A-Za-z]+)/.exec(text)?.[1]?.toLowerCase();
  if (listItem && first !== undefined && ACTION_VERBS.has(first)) tags.push('action');
  return tags;
}

/** Sentences of a line: cut after `.`, `!` or `?` followed by a space and an upper-case letter or digit. */
function sentences(line: string): string[] {
  return line.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/).map((s) => s.trim()).filter((s) => s !== '');
}

/** An answer's units in order, first occurrence of each normalised text only. */
export function answerUnits(answer: string): SummaryUnit[] {
  const units: SummaryUnit[] = [];
  const seen = new Set<string>();
  let fenced = false;
  const add = (text: string, listItem: boolean): void => {
    const key = normalizeUnit(text);
    if (key === '' || !/[\p{L}\p{N}]/u.test(key) || seen.has(key)) return;
    seen.add(key);
    units.push({ text: text.trim(), tags: tagsOf(text, listItem) });
  };
  for (const raw of answer.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      add(raw, false);
      continue;
    }
    const item = LIST_ITEM.exec(raw);
    if (item) add(item[1]!, true);
    else for (const s of sentences(raw.replace(/^\s*#+\s*/, '').replace(/^\s*>\s?/, ''))) add(s, false);
  }
  return units;
}

function countTags(units: readonly SummaryUnit[]): Record<UnitTag, number> {
  const c: Record<UnitTag, number> = { risk: 0, number: 0, action: 0 };
  for (const u of units) for (const t of u.tags) c[t]++;
  return c;
}

/** What each of two answers says that the other does not (see the top of this file). */
export function summarizeAnswers(from: { name: string; answer: string }, to: { name: string; answer: string }): AnswerSummary {
  const a = answerUnits(from.answer);
  const b = answerUnits(to.answer);
  const keysA = new Set(a.map((u) => normalizeUnit(u.text)));
  const keysB = new Set(b.map((u) => normalizeUnit(u.text)));
  const onlyInFrom = a.filter((u) => !keysB.has(normalizeUnit(u.text)));
  const onlyInTo = b.filter((u) => !keysA.has(normalizeUnit(u.text)));
  return { from: from.name, to: to.name, onlyInFrom, onlyInTo, counts: { from: countTags(onlyInFrom), to: countTags(onlyInTo) } };
}

/** The human lines: per side, the tag counts, then the tagged units first (at most `limit`). */
export function renderSummary(s: AnswerSummary, limit = 8): string[] {
  const lines = [`Summary ${s.from} vs ${s.to} (no model asked: sentences and list items only one answer has):`];
  const side = (name: string, units: readonly SummaryUnit[], c: Record<UnitTag, number>): void => {
    if (units.length === 0) {
      lines.push(`  only in ${name}: nothing`);
      return;
    }
    lines.push(`  only in ${name}: ${plural(units.length, 'item')} (${plural(c.risk, 'risk')}, ${plural(c.number, 'number')}, ${plural(c.action, 'action')})`);
    // Tagged units first, each group in the answer's order: the ones the judgement needs.
    const ordered = [...units.filter((u) => u.tags.length > 0), ...units.filter((u) => u.tags.length === 0)];
    for (const u of ordered.slice(0, limit)) lines.push(`    - ${u.tags.length > 0 ? `[${u.tags.join(', ')}] ` : ''}${u.text}`);
    if (ordered.length > limit) lines.push(`    ... ${ordered.length - limit} more (compare.json has all)`);
  };
  side(s.from, s.onlyInFrom, s.counts.from);
  side(s.to, s.onlyInTo, s.counts.to);
  return lines;
}
