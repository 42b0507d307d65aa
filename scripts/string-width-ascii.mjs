/**
 * What the bundle's `string-width` is (scripts/build.mjs `alias`): yargs' help layout (cliui,
 * wrap-ansi) measures every word and cell it lays out, and nearly all of it is printable ASCII,
 * whose width is its length. Anything else goes to fast-string-width, as before. Measuring with
 * fast-string-width's regular expressions (Unicode property classes, compiled on first use) was
 * ~2 ms of `--help` (node --cpu-prof, issue 16). Same widths, so the same help, byte for byte.
 */
import fastStringWidth from 'fast-string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export default function stringWidth(text, options) {
  return typeof text === 'string' && PRINTABLE_ASCII.test(text) ? text.length : fastStringWidth(text, options);
}
