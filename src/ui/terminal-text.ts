/**
 * The one sanitiser for text on its way to a terminal. Model ids, server replies, URLs and file
 * contents can carry escape sequences (a window title change, a screen clear, a fake prompt);
 * printed raw, a hostile server or config file controls the screen. Each control character
 * becomes a visible `\xNN`.
 */

// C0 (but newline and tab), DEL, C1 (U+0080-U+009F: 0x9B alone is a CSI on some terminals), the
// Unicode line/paragraph separators, and the bidirectional overrides that reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_WITH_LINES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Select Graphic Rendition (colour) as chalk writes it. */
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]{0,32}m/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A whole line (or block) of output: newlines and tabs stay; with `colour`, so do SGR colour
 * sequences (what chalk adds; a hostile one can only recolour text). Everything else that a
 * terminal would interpret is made visible. Output (src/ui/output.ts) applies it to everything.
 */
export function terminalSafe(text: string, opts: { colour?: boolean } = {}): string {
  if (!opts.colour) return text.replace(UNSAFE, visible);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SGR)) {
    out += text.slice(last, m.index).replace(UNSAFE, visible) + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(UNSAFE, visible);
}

/**
 * One value from a server or a CLI inside a line (a table cell, a model id): newlines too become
 * visible, and long values are cut.
 */
export function safeText(text: string, max = 60): string {
  const clean = text.replace(UNSAFE_WITH_LINES, visible);
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : clean;
}
