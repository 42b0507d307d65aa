/**
 * Replace findings with placeholders so a prompt can go to a hosted model.
 *
 * Placeholders are `[LABEL_N]` (`[EMAIL_1]`, `[AWS_ACCESS_KEY_2]`): the label comes from the rule,
 * N is a counter per label in order of first appearance. They carry nothing of the original (no
 * prefix, length or hash: a hash of a short value can be brute-forced). The same original value
 * gets the same placeholder everywhere in one prompt, so the model can still tell that two
 * mentions are the same thing. A placeholder that already occurs in the text is never reused.
 *
 * Replacing a finding can make its neighbour match (a token glued to a key is rejected for the
 * glue, and matches once the key is `[PRIVATE_KEY_1]`), so redact() re-scans its own output and
 * replaces whatever matches now, until nothing does: the result classifies as `hosted`.
 *
 * The mapping (placeholder -> original) contains the secrets: it is returned only when asked for.
 */
import { findAll, type Finding } from './classify.js';
import { ruleById } from './rules.js';

export interface Redaction {
  /** The text with every finding replaced. */
  text: string;
  /** How many spans were replaced. */
  replaced: number;
}

export interface RedactionWithMapping extends Redaction {
  /** Placeholder -> original value. Contains the secrets: never print it unless asked. */
  mapping: Record<string, string>;
}

export interface RedactOptions {
  /** Also return the placeholder -> original mapping. */
  mapping?: boolean;
}

type Span = Pick<Finding, 'rule' | 'offset' | 'length'>;

/** Sorted, with overlapping spans merged (the first one's rule names the merged span). */
function normalise(text: string, findings: readonly Span[]): Span[] {
  const sorted = findings
    .filter((f) => f.length > 0 && f.offset >= 0 && f.offset < text.length)
    .map((f) => ({ rule: f.rule, offset: f.offset, length: Math.min(f.length, text.length - f.offset) }))
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const out: Span[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.offset < last.offset + last.length) {
      last.length = Math.max(last.length, f.offset + f.length - last.offset);
    } else {
      out.push({ ...f });
    }
  }
  return out;
}

/** A bound on re-scans; each one only happens because the previous pass changed a neighbour. */
const MAX_PASSES = 8;

export function redact(text: string, findings: readonly Span[]): Redaction;
export function redact(text: string, findings: readonly Span[], options: { mapping: true }): RedactionWithMapping;
export function redact(text: string, findings: readonly Span[], options?: RedactOptions): Redaction | RedactionWithMapping;
export function redact(text: string, findings: readonly Span[], options: RedactOptions = {}): Redaction | RedactionWithMapping {
  const byValue = new Map<string, string>();
  const counters = new Map<string, number>();
  const mapping: Record<string, string> = {};
  const placeholderRe = /\[[A-Z][A-Z0-9_]*_\d+\]/g;
  /** The original text behind a span of redacted text (expanding placeholders it contains). */
  const original = (value: string) => value.replace(placeholderRe, (p) => mapping[p] ?? p);

  const replaceAll = (current: string, spans: readonly Span[]): string => {
    const parts: string[] = [];
    let pos = 0;
    for (const span of spans) {
      const value = original(current.slice(span.offset, span.offset + span.length));
      let placeholder = byValue.get(value);
      if (placeholder === undefined) {
        const label = ruleById(span.rule)?.label ?? 'REDACTED';
        let n = counters.get(label) ?? 0;
        do {
          n++;
          placeholder = `[${label}_${n}]`;
        } while (text.includes(placeholder));
        counters.set(label, n);
        byValue.set(value, placeholder);
        mapping[placeholder] = value;
      }
      parts.push(current.slice(pos, span.offset), placeholder);
      pos = span.offset + span.length;
    }
    parts.push(current.slice(pos));
    return parts.join('');
  };

  let spans = normalise(text, findings);
  let replaced = spans.length;
  let current = replaceAll(text, spans);
  // Replacing a finding changes its neighbours' context: `x@acme.com-----BEGIN ...` is no email
  // until the key after it becomes `[PRIVATE_KEY_1]`. Re-scan until nothing matches, so that the
  // result always classifies as hosted.
  for (let pass = 1; pass < MAX_PASSES && spans.length > 0; pass++) {
    spans = normalise(current, findAll(current));
    replaced += spans.length;
    current = replaceAll(current, spans);
  }
  const result: Redaction = { text: current, replaced };
  return options.mapping ? { ...result, mapping } : result;
}
