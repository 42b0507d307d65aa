/**
 * Layering rules for src/, read from the import statements (static, `export ... from`, and
 * dynamic `import('...')`; type-only imports count too: they couple modules all the same).
 * The folders follow the flow discover -> plan -> write -> verify (docs/architecture.md).
 *
 * 1. Nothing imports src/commands/ except the CLI entry src/cli.ts.
 * 2. src/discover/ imports nothing from src/codex/, src/verify/, src/plan/, src/write/,
 *    src/route/, src/run/, src/commands/ (discovery knows nothing of Codex or of the commands).
 * 3. src/run/ (one runner per command) is imported only by src/commands/, by other runners
 *    (setup runs the test runner).
 * 4. No import cycles.
 *
 * There are no known exceptions. A new rule that today's code breaks may list them here, each
 * with its reason; the test also fails on a listed exception that no longer happens.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(process.cwd(), 'src');

/** Entry points allowed to import commands. */
const COMMAND_IMPORTERS = new Set(['src/cli.ts']);
/** What discovery must not know about. */
const ABOVE_DISCOVER = /^src\/(codex|verify|plan|write|route|run|commands)\//;
/** Who may import a runner, besides commands/ and run/ itself. */
const RUN_IMPORTERS = new Set<string>();

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
  const where = (test: (from: string, to: string) => boolean) =>
    edges.filter((e) => {
      const [from, to] = e.split(' -> ') as [string, string];
      return test(from, to);
    });

  it('reads the imports (sanity: the graph is not empty and resolves files)', () => {
    expect(g.size).toBeGreaterThan(50);
    expect(g.get('src/discover/registry.ts')).toContain('src/discover/kinds/vllm.ts');
    expect(g.get('src/commands/test.ts')).toContain('src/run/test.ts');
  });

  it('nothing imports src/commands/ except the CLI entry', () => {
    expect(where((from, to) => to.startsWith('src/commands/') && !from.startsWith('src/commands/') && !COMMAND_IMPORTERS.has(from))).toEqual([]);
  });

  it('src/discover/ imports nothing from codex, verify, plan, write, route, run or commands', () => {
    expect(where((from, to) => from.startsWith('src/discover/') && ABOVE_DISCOVER.test(to))).toEqual([]);
  });

  it('src/run/ is imported only by commands/ and other runners', () => {
    expect(where((from, to) => to.startsWith('src/run/') && !/^src\/(commands|run)\//.test(from) && !RUN_IMPORTERS.has(from))).toEqual([]);
  });

  it('no import cycles', () => {
    expect(cycles(g)).toEqual([]);
  });
});
