import fc from 'fast-check';
import { createTwoFilesPatch } from 'diff';
import { unifiedDiff } from '../../../src/ui/diff.js';

/**
 * unifiedDiff diffs only the middle of large files (where they differ, plus the context); the
 * result must be byte for byte what diffing the whole texts gives.
 */
function reference(before: string | null, after: string | null, name: string): string {
  return createTwoFilesPatch(before === null ? '/dev/null' : `a/${name}`, after === null ? '/dev/null' : `b/${name}`, before ?? '', after ?? '', undefined, undefined, {
    context: 3,
  }).replace(/^=+\n/m, '');
}

// Few distinct lines, so edits land among look-alikes (the hard case for a diff).
const lineArb = fc.constantFrom('', '[profiles.a]', 'model = "x"', '# comment', 'a = 1', '[x]', '  ');
const edit = fc.record({ at: fc.nat(), remove: fc.nat(4), insert: fc.array(lineArb, { maxLength: 5 }) });

test('large files: the same diff as diffing the whole texts', () => {
  fc.assert(
    fc.property(
      fc.array(lineArb, { minLength: 0, maxLength: 40 }),
      fc.nat(3000),
      fc.nat(3000),
      fc.array(edit, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.boolean(),
      (middle, padTop, padBottom, edits, crlf, finalNewline) => {
        const pad = (n: number, tag: string) => Array.from({ length: n }, (_, i) => (i % 5 === 0 ? '' : `${tag} = ${i % 7}`));
        let lines = [...pad(padTop, 'top'), ...middle, ...pad(padBottom, 'bottom')];
        const eol = crlf ? '\r\n' : '\n';
        const join = (ls: string[]) => ls.join(eol) + (finalNewline ? eol : '');
        const before = join(lines);
        for (const e of edits) {
          const at = lines.length ? e.at % (lines.length + 1) : 0;
          lines = [...lines.slice(0, at), ...e.insert, ...lines.slice(at + e.remove)];
        }
        const after = join(lines);
        expect(unifiedDiff({ path: '/home/.codex/config.toml', before, after }, '/home/.codex')).toBe(reference(before, after, 'config.toml'));
      },
    ),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
  );
});

test('created and deleted files, and no change', () => {
  const big = Array.from({ length: 5000 }, (_, i) => `k${i} = ${i}`).join('\n') + '\n';
  for (const [before, after] of [[null, big], [big, null], [big, big]] as const) {
    expect(unifiedDiff({ path: '/h/c.toml', before, after }, '/h')).toBe(reference(before, after, 'c.toml'));
  }
});
