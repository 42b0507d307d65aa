/**
 * What the bundle's `string-width` is (scripts/build.mjs `alias`): yargs' help layout (cliui,
 * wrap-ansi) measures every word and cell it lays out, and nearly all of it is printable ASCII,
 * whose width is its length. Anything else goes to fast-string-width, as before. Measuring with
 * fast-string-width's regular expressions (Unicode property classes, compiled on first use) was
 * ~2 ms of `--help` (node --cpu-prof, issue 16). Same widths, so the same help, byte for byte.
 * fast-string-width is required on first use (esbuild makes that a lazy module initialiser in the
 * bundle): setting it up was ~0.5 ms of every start, and most runs measure no other text.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

let fastStringWidth;

export default function stringWidth(text, options) {
  if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) return text.length;
  fastStringWidth ??= require('fast-string-width').default;
  return fastStringWidth(text, options);
}
