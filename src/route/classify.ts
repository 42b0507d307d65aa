/**
 * Classify a prompt as `local` (keep it on the machine) or `hosted` (may go to a hosted model)
 * with the rule set in rules.ts. Deterministic, no model, no network.
 *
 * Positions: `offset` and `length` count UTF-16 code units from the start of the text (the same
 * as JavaScript string indices; a character outside the Basic Multilingual Plane, like most emoji,
 * counts 2). `line` and `column` are 1-based; the column counts UTF-16 code units from the start
 * of its line. `\n`, `\r\n` and a lone `\r` each end a line (`\r\n` counts once).
 */
import { RULES, ruleById, type Severity, type Span } from './rules.js';

export type Verdict = 'local' | 'hosted';

export interface Finding {
  /** Rule id (see RULES / docs/routing.md). */
  rule: string;
  severity: Severity;
  /** 1-based line of the first character. */
  line: number;
  /** 1-based column of the first character, in UTF-16 code units. */
  column: number;
  /** 0-based offset of the first character, in UTF-16 code units. */
  offset: number;
  /** Length in UTF-16 code units. */
  length: number;
  /** Masked view for people: never the whole value. */
  preview: string;
}

export interface Classification {
  verdict: Verdict;
  findings: Finding[];
  reasons: string[];
}

export const NO_FINDINGS_REASON = 'no sensitive content found by the rule set';

/** Offsets where each line starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line and column of a 0-based offset, given lineStarts(text). */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
}

interface RawFinding extends Span {
  rule: string;
  specificity: number;
}

/**
 * Overlapping findings become one: the most specific rule names it (ties: the longer span, then
 * the earlier rule in RULES) and its span grows to cover the whole overlapping group, so that
 * redacting it removes everything every rule matched.
 */
export function dedupe(raw: RawFinding[]): RawFinding[] {
  const order = new Map(RULES.map((r, i) => [r.id, i]));
  const sorted = [...raw].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const out: RawFinding[] = [];
  let group: RawFinding[] = [];
  let groupEnd = -1;
  const flush = () => {
    if (group.length === 0) return;
    const winner = group.reduce((best, f) => {
      if (f.specificity !== best.specificity) return f.specificity > best.specificity ? f : best;
      if (f.length !== best.length) return f.length > best.length ? f : best;
      return (order.get(f.rule) ?? 0) < (order.get(best.rule) ?? 0) ? f : best;
    });
    const start = group[0]!.offset;
    out.push({ ...winner, offset: start, length: groupEnd - start });
    group = [];
  };
  for (const f of sorted) {
    if (group.length > 0 && f.offset < groupEnd) {
      group.push(f);
      groupEnd = Math.max(groupEnd, f.offset + f.length);
    } else {
      flush();
      group = [f];
      groupEnd = f.offset + f.length;
    }
  }
  flush();
  return out;
}

/** Every finding of every rule, deduplicated, in text order. */
export function findAll(text: string): Finding[] {
  const raw: RawFinding[] = [];
  for (const rule of RULES) {
    for (const span of rule.find(text)) {
      raw.push({ ...span, rule: rule.id, specificity: rule.specificity });
    }
  }
  const starts = lineStarts(text);
  return dedupe(raw).map((f) => {
    const rule = ruleById(f.rule)!;
    const { line, column } = positionAt(starts, f.offset);
    return {
      rule: f.rule,
      severity: rule.severity,
      line,
      column,
      offset: f.offset,
      length: f.length,
      preview: rule.preview(text.slice(f.offset, f.offset + f.length)),
    };
  });
}

/** One reason per rule that matched, in rule order: what was found, where, and why it keeps the prompt local. */
export function reasonsFor(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [NO_FINDINGS_REASON];
  const reasons: string[] = [];
  for (const rule of RULES) {
    const mine = findings.filter((f) => f.rule === rule.id);
    if (mine.length === 0) continue;
    const where = mine
      .slice(0, 3)
      .map((f) => `${f.line}:${f.column}`)
      .join(', ');
    const more = mine.length > 3 ? `, +${mine.length - 3} more` : '';
    const count = mine.length === 1 ? '1 match' : `${mine.length} matches`;
    reasons.push(`${rule.title} (${rule.severity}, ${count} at ${where}${more}): ${rule.why}`);
  }
  return reasons;
}

export function classify(text: string): Classification {
  const findings = findAll(text);
  return {
    verdict: findings.length > 0 ? 'local' : 'hosted',
    findings,
    reasons: reasonsFor(findings),
  };
}
