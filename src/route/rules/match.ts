/** What a rule is, and the helpers rules share to find and mask matches (see ../rules.ts for how matchers stay linear). */

export type Severity = 'secret' | 'personal' | 'internal';

/** A span in the text: 0-based offset and length in UTF-16 code units (JavaScript string indices). */
export interface Span {
  offset: number;
  length: number;
}

export interface Rule {
  /** Stable id, used in output and in `--json`. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Stem of the redaction placeholder: `[EMAIL_1]`. */
  readonly label: string;
  /** When findings overlap, the higher number wins (the more specific rule). */
  readonly specificity: number;
  /** What it matches, in one sentence. */
  readonly description: string;
  /** Why a match keeps the prompt local. */
  readonly why: string;
  /** Finds every match in `text`. Pure; safe to call on any input. */
  find(text: string): Span[];
  /** A masked view of a matched value for people: never the whole value. */
  preview(value: string): string;
}

// ---------------------------------------------------------------------------------------------
// Matching helpers

export type Accept = (m: RegExpExecArray, text: string, span: Span) => boolean | Span;

export interface Pattern {
  /** Compiled with the `g` flag (and `d` when `group` is set); cloned per scan. */
  re: RegExp;
  /** Report this capture group instead of the whole match. */
  group?: number;
  /** Reject a candidate (false) or narrow it (a Span). */
  accept?: Accept;
  /**
   * After an accepted candidate, look again from its next character rather than its end: a valid
   * match may start inside it (digits run together: a card right after another number whose
   * digits happen to form a valid card too). Overlapping findings are merged by classify.
   */
  overlapping?: boolean;
}

export function scan(text: string, patterns: readonly Pattern[]): Span[] {
  const out: Span[] = [];
  for (const p of patterns) {
    const flags = p.re.flags.includes('g') ? p.re.flags : p.re.flags + 'g';
    const re = new RegExp(p.re.source, p.group !== undefined && !flags.includes('d') ? flags + 'd' : flags);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      let span: Span = { offset: m.index, length: m[0].length };
      if (p.group !== undefined) {
        const g = m.indices?.[p.group];
        if (!g) {
          re.lastIndex = m.index + 1;
          continue;
        }
        span = { offset: g[0], length: g[1] - g[0] };
      }
      const verdict = p.accept ? p.accept(m, text, span) : true;
      if (verdict === false) {
        // Try again one character later: the look-behind at the start of every pattern makes
        // that cheap, and a shorter candidate inside this one may still be valid.
        re.lastIndex = m.index + 1;
        continue;
      }
      if (verdict !== true) {
        // A narrowed candidate (a card followed by a year): look at the rest again.
        span = verdict;
        re.lastIndex = Math.max(m.index + 1, Math.min(re.lastIndex, span.offset + span.length));
      }
      if (span.length > 0) out.push(span);
      if (m[0].length === 0 || p.overlapping) re.lastIndex = m.index + 1;
    }
  }
  return out;
}

/** `[EMAIL_1]`: what redact() puts in place of a finding. Never flagged again. */
export const PLACEHOLDER_RE = /^\[[A-Z][A-Z0-9_]*_\d+\]$/;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_RE.test(value);
}

export function mask(value: string, keep = 0): string {
  const kept = value.slice(0, Math.max(0, Math.min(keep, value.length - 1)));
  const hidden = value.length - kept.length;
  return `${kept}${'*'.repeat(Math.min(8, Math.max(3, hidden)))} (${value.length} chars)`;
}

export function lineBefore(text: string, offset: number, max: number): string {
  const start = Math.max(0, offset - max);
  const before = text.slice(start, offset);
  const nl = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return nl >= 0 ? before.slice(nl + 1) : before;
}

export function charAt(text: string, index: number): string {
  return index >= 0 && index < text.length ? text.charAt(index) : '';
}

export const hasDigit = (s: string) => /\d/.test(s);
export const hasUpper = (s: string) => /[A-Z]/.test(s);
export const hasLower = (s: string) => /[a-z]/.test(s);
