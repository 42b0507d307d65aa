import fc from 'fast-check';
import { parse } from 'smol-toml';
import { TomlEditor } from '../../../src/config/toml-edit.js';
import { formatKey } from '../../../src/config/toml.js';

/**
 * Random documents (comments, blank lines, top-level keys, unrelated tables in many spellings,
 * LF or CRLF, with or without a final newline or BOM) x random edit sequences. Invariants:
 * unrelated tables keep their exact text, the result parses to the intended data, and undoing
 * the edits in reverse order gives back the original bytes.
 */

const keyArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
  fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
);
const valueArb = fc.oneof(
  fc.string({ maxLength: 12 }).filter((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s)).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.boolean().map(String),
  fc.constant('[1, 2, 3]'),
  fc.constant('{ a = 1, b = "x" }'),
  fc.constant("'literal'"),
  fc.constant('"""\nmulti\n\nline"""'),
);
const commentArb = fc.string({ maxLength: 20 }).filter((s) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s)).map((s) => `# ${s}`);

interface Block {
  name: string;
  text: string;
}

const blockArb: fc.Arbitrary<Block> = fc
  .record({
    family: fc.constantFrom('mcp_servers', 'projects', 'tui', 'features', 'shell_environment_policy'),
    name: keyArb,
    lead: fc.array(commentArb, { maxLength: 2 }),
    body: fc.array(fc.oneof(fc.tuple(keyArb, valueArb).map(([k, v]) => `${formatKey(k)} = ${v}`), commentArb), { maxLength: 4 }),
    gap: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ family, name, lead, body, gap }) => ({
    name: `${family}.${name}`,
    text: [...lead, `[${family}.${formatKey(name)}]`, ...body].join('\n') + '\n' + '\n'.repeat(gap),
  }));

const docArb = fc
  .record({
    top: fc.array(fc.oneof(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), valueArb).map(([k, v]) => `${k} = ${v}`), commentArb, fc.constant('')), { maxLength: 4 }),
    blocks: fc.array(blockArb, { maxLength: 4 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ top, blocks, crlf, bom, finalNewline }) => {
    let text = (top.length ? top.join('\n') + '\n' : '') + blocks.map((b) => b.text).join('');
    if (!finalNewline) text = text.replace(/\n+$/, '');
    if (crlf) text = text.replace(/\n/g, '\r\n');
    return { text: (bom ? '\uFEFF' : '') + text, blocks: blocks.map((b) => (crlf ? b.text.replace(/\n/g, '\r\n') : b.text)) };
  })
  .filter(({ text }) => {
    try {
      const data = parse(text) as Record<string, unknown>;
      return !('oss_provider' in data) && !('profiles' in data);
    } catch {
      return false; // duplicate keys and the like: not a valid starting document
    }
  });

type Edit = { kind: 'profile'; name: string } | { kind: 'oss'; value: string } | { kind: 'provider'; id: string };
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  keyArb.map((name) => ({ kind: 'profile' as const, name })),
  fc.constantFrom('ollama', 'lmstudio').map((value) => ({ kind: 'oss' as const, value })),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/).map((id) => ({ kind: 'provider' as const, id: `cp-${id}` })),
);

function apply(doc: TomlEditor, e: Edit): { doc: TomlEditor; undo: (d: TomlEditor) => TomlEditor } {
  switch (e.kind) {
    case 'profile':
      if (doc.get(['profiles', e.name]) !== undefined) return { doc, undo: (d) => d };
      return { doc: doc.addTable(['profiles', e.name], { model: e.name, model_provider: 'ollama' }), undo: (d) => d.removeTable(['profiles', e.name]) };
    case 'oss':
      if (doc.get(['oss_provider']) !== undefined) return { doc, undo: (d) => d };
      return { doc: doc.setValue(['oss_provider'], e.value), undo: (d) => d.removeValue(['oss_provider']) };
    case 'provider':
      if (doc.get(['model_providers', e.id]) !== undefined) return { doc, undo: (d) => d };
      return {
        doc: doc.addTable(['model_providers', e.id], { name: e.id, base_url: 'http://127.0.0.1:11434/v1', wire_api: 'responses' }),
        undo: (d) => d.removeTable(['model_providers', e.id]),
      };
  }
}

test('random documents x random edits keep unrelated bytes and undo exactly', () => {
  fc.assert(
    fc.property(docArb, fc.array(editArb, { minLength: 1, maxLength: 5 }), ({ text, blocks }, edits) => {
      const original = TomlEditor.parse(text, 'config.toml');
      let doc = original;
      const undos: ((d: TomlEditor) => TomlEditor)[] = [];
      for (const e of edits) {
        const step = apply(doc, e);
        doc = step.doc;
        undos.push(step.undo);
      }
      for (const b of blocks) expect(doc.text).toContain(b.replace(/(\r?\n)+$/, ''));
      const data = parse(doc.text) as Record<string, unknown>;
      for (const key of Object.keys(original.data)) expect(data[key]).toEqual(original.data[key]);
      for (const undo of undos.reverse()) doc = undo(doc);
      expect(doc.text).toBe(text);
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
  );
});
