/**
 * Layering rules for src/, read from the import statements (static, `export ... from`, and
 * dynamic `import('...')`; type-only imports count too: they couple modules all the same).
 *
 * 1. Nothing imports src/commands/ (the CLI entry src/cli.ts is the one place that may).
 * 2. src/providers/ imports nothing from src/codex/, src/checks/, src/plan/, src/route/,
 *    src/commands/ (providers know nothing of Codex or of the commands).
 * 3. No import cycles.
 *
 * Today's code breaks these rules in known places, listed below. They are to be removed by
 * issue 14; any NEW violation fails this test. When you remove one, delete its line here too
 * (the test also fails on an allow-list entry that no longer happens, so the list only shrinks).
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(process.cwd(), 'src');

/** Known imports of src/commands/ from outside it: to be removed by issue 14. */
const ALLOWED_COMMANDS_IMPORTS: string[] = [];

/** Known imports from src/providers/ into the layers above it: to be removed by issue 14. */
const ALLOWED_PROVIDER_IMPORTS: string[] = [];

/** Known import cycles (their files, sorted): to be removed by issue 14. */
const ALLOWED_CYCLES: string[][] = [];

/** Entry points allowed to import commands. */
const COMMAND_IMPORTERS = new Set(['src/cli.ts']);
const ABOVE_PROVIDERS = /^src\/(codex|checks|plan|route|commands)\//;

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (abs: string) => path.relative(process.cwd(), abs).split(path.sep).join('/');

/** Relative imports of one file, as repository paths (`src/x/y.ts`). */
function importsOf(file: string, text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?[^'";]*?\sfrom\s+['"]([^'"]+)['"]/g,
    /(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]!);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => rel(path.resolve(path.dirname(file), s)).replace(/\.js$/, '.ts'));
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const abs of listTs(SRC)) g.set(rel(abs), [...new Set(importsOf(abs, fs.readFileSync(abs, 'utf8')))]);
  return g;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

describe('architecture (layering of src/)', () => {
  const g = graph();
  const edges = [...g].flatMap(([from, tos]) => tos.map((to) => `${from} -> ${to}`));

  it('reads the imports (sanity: the graph is not empty and resolves files)', () => {
    expect(g.size).toBeGreaterThan(50);
    expect(g.get('src/discover/registry.ts')).toContain('src/discover/kinds/vllm.ts');
  });

  it('nothing imports src/commands/ except the CLI entry (known exceptions listed)', () => {
    const found = edges.filter((e) => {
      const [from, to] = e.split(' -> ') as [string, string];
      return to.startsWith('src/commands/') && !from.startsWith('src/commands/') && !COMMAND_IMPORTERS.has(from);
    });
    expect(found.filter((e) => !ALLOWED_COMMANDS_IMPORTS.includes(e))).toEqual([]);
    expect(ALLOWED_COMMANDS_IMPORTS.filter((e) => !found.includes(e))).toEqual([]); // fixed ones leave the list
  });

  it('src/providers/ imports nothing from codex, checks, plan, route or commands', () => {
    const found = edges.filter((e) => {
      const [from, to] = e.split(' -> ') as [string, string];
      return from.startsWith('src/providers/') && ABOVE_PROVIDERS.test(to);
    });
    expect(found.filter((e) => !ALLOWED_PROVIDER_IMPORTS.includes(e))).toEqual([]);
    expect(ALLOWED_PROVIDER_IMPORTS.filter((e) => !found.includes(e))).toEqual([]);
  });

  it('no import cycles (known ones listed)', () => {
    const key = (c: string[]) => c.join(' | ');
    const found = cycles(g).map(key);
    const allowed = ALLOWED_CYCLES.map(key);
    expect(found.filter((c) => !allowed.includes(c))).toEqual([]);
    expect(allowed.filter((c) => !found.includes(c))).toEqual([]);
  });
});
