#!/usr/bin/env node
/**
 * `npm run bench`: run every bench script in bench/, print one table, and rewrite
 * docs/performance.md (each script owns one section; sections nobody generates are kept as they
 * are, and a colleague's prose is kept around the table its script regenerates).
 *
 *   node bench/run.mjs [--runs N] [--quick] [--only startup,editing] [--no-write] [--root DIR]
 *
 * Scripts that speak `--json` (startup, editing, memory) give rows with median, min, max and a
 * ratio against a baseline measured in the same run; the others (discovery.mjs, smoke.mjs when
 * present) are run with `--markdown` and their table is parsed. A script that fails leaves its
 * section of docs/performance.md untouched.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, REPO_ROOT, fmtMs, fmtRatio, machine, machineLine, markdownTable, parseArgs } from './lib.mjs';

const args = parseArgs(process.argv.slice(2));
const argv = process.argv.slice(2);
const only = args.get('--only')?.split(',');
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');

/** Every script, in the order it runs and its section appears. `json`: speaks --json. */
const SCRIPTS = [
  { id: 'startup', file: 'startup.mjs', heading: 'Start-up', json: true },
  { id: 'editing', file: 'editing.mjs', heading: 'Editing', json: true },
  { id: 'memory', file: 'memory.mjs', heading: 'Memory', json: true },
  { id: 'discovery', file: 'discovery.mjs', heading: 'Discovery', json: false },
  { id: 'smoke', file: 'smoke.mjs', heading: 'Smoke test', json: false },
  { id: 'tool-call', file: 'tool-call.mjs', heading: 'Tool-call check', json: true },
];

function runScript(script) {
  const passOn = [];
  if (argv.includes('--runs')) passOn.push('--runs', String(args.get('--runs')));
  if (script.json) {
    passOn.push('--json');
    if (args.quick) passOn.push('--quick');
    if (args.get('--root')) passOn.push('--root', args.root);
  } else {
    passOn.push('--markdown');
  }
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(BENCH_DIR, script.file), ...passOn], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

/**
 * Rows of the first markdown table in `text`. Two shapes: `scenario | median | min-max | ratio |
 * against` (discovery.mjs), and `what | figure ms | ... | a / b | ...` with cells written
 * `median (min-max)` (smoke.mjs): the first figure column against the first ratio column.
 */
function parseMarkdownRows(text) {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  if (lines.length < 3) return [];
  const cells = (l) => l.slice(1, -1).split('|').map((c) => c.trim());
  const head = cells(lines[0]).map((h) => h.toLowerCase());
  const col = (re) => head.findIndex((h) => re.test(h));
  const body = lines.slice(2).map(cells);
  if (col(/median/) >= 0) {
    const [iName, iMed, iRange, iRatio, iAgainst] = [col(/scenario|case|name/), col(/median/), col(/min/), col(/ratio/), col(/against|baseline/)];
    const unit = (head[iMed] ?? '').replace(/median\s*/, '').trim() || '';
    return body.map((c) => {
      const [min, max] = (c[iRange] ?? '').split('-');
      return {
        name: c[Math.max(iName, 0)],
        unit,
        median: Number(c[iMed]),
        min: Number(min),
        max: Number(max),
        ratio: iRatio >= 0 ? Number(String(c[iRatio]).replace(/x$/, '')) : undefined,
        against: iAgainst >= 0 ? c[iAgainst] : '',
      };
    });
  }
  const spread = (cell) => {
    const m = /^(-?[\d.]+)x? \((-?[\d.]+)x?-(-?[\d.]+)x?\)$/.exec(cell ?? '');
    return m ? { median: Number(m[1]), min: Number(m[2]), max: Number(m[3]) } : undefined;
  };
  const iRatio = col(/\//);
  const iFig = head.findIndex((h, i) => i > 0 && !h.includes('/') && spread(body[0]?.[i]));
  if (iFig < 0) return [];
  const denominator = iRatio >= 0 ? head[iRatio].split('/')[1].trim() : '';
  const iDen = denominator ? head.findIndex((h, i) => i !== iRatio && h.startsWith(denominator)) : -1;
  const figName = head[iFig].replace(/\s*\bms$/, '');
  return body.map((c) => {
    const fig = spread(c[iFig]);
    const den = iDen >= 0 ? spread(c[iDen]) : undefined;
    return {
      name: `${c[0]} ${head[0]}: ${figName}`,
      unit: /\bms$/.test(head[iFig]) ? 'ms' : '',
      ...fig,
      ratio: iRatio >= 0 ? spread(c[iRatio])?.median : undefined,
      against: iDen >= 0 ? `${head[iDen].replace(/\s*\bms$/, '')}${den ? ` (${den.median} ms)` : ''}` : '',
    };
  });
}

// ---- run ------------------------------------------------------------------------------------

const m = machine();
process.stderr.write(`bench: ${machineLine(m)}\n`);
const outcomes = [];
for (const script of SCRIPTS) {
  if (only && !only.includes(script.id)) continue;
  if (!fs.existsSync(path.join(BENCH_DIR, script.file))) {
    outcomes.push({ script, skipped: 'not present' });
    continue;
  }
  process.stderr.write(`bench: ${script.file} ...\n`);
  const r = await runScript(script);
  if (r.code !== 0) {
    outcomes.push({ script, failed: `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`, seconds: r.seconds });
    continue;
  }
  if (script.json) {
    const result = JSON.parse(r.stdout.trim().split('\n').pop());
    outcomes.push({ script, result, rows: result.sections.flatMap((s) => s.rows), seconds: r.seconds });
  } else {
    outcomes.push({ script, markdown: r.stdout.trim(), rows: parseMarkdownRows(r.stdout), seconds: r.seconds });
  }
}

// ---- one table ------------------------------------------------------------------------------

const fmt = (r, x) => (x === undefined || Number.isNaN(x) ? '-' : r.unit === 'MiB' || r.unit === 'ms/MB' ? x.toFixed(0) : fmtMs(x));
const table = [];
for (const o of outcomes) {
  if (o.skipped || o.failed) {
    table.push([o.script.id, `(${o.skipped ?? o.failed})`, '', '', '', '', '']);
    continue;
  }
  for (const r of o.rows) {
    const range = r.min === undefined || Number.isNaN(r.min) ? '' : `${fmt(r, r.min)}-${fmt(r, r.max)}`;
    table.push([o.script.id, r.name, fmt(r, r.median), range, r.unit, fmtRatio(r.ratio), r.against ?? '']);
  }
}
const widths = table[0]?.map((_, i) => Math.max(...table.map((t) => String(t[i]).length))) ?? [];
const head = ['area', 'scenario', 'median', 'min-max', 'unit', 'ratio', 'against'];
const w = head.map((h, i) => Math.max(h.length, widths[i] ?? 0));
const line = (cells) => cells.map((c, i) => (i >= 2 && i <= 5 && i !== 4 ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join('  ');
process.stdout.write(`\n${machineLine(m)}\n${line(head)}\n${line(w.map((n) => '-'.repeat(n)))}\n${table.map(line).join('\n')}\n`);

// ---- docs/performance.md --------------------------------------------------------------------

const oldDoc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
/** This run's rows of a script; for a script not run now (--only), the rows its section holds. */
const get = (id) => {
  const o = outcomes.find((x) => x.script.id === id && x.rows);
  if (o) return o;
  const script = SCRIPTS.find((x) => x.id === id);
  const section = oldDoc.split(/^## /m).find((p) => p.startsWith(`${script.heading}\n`));
  return section ? { rows: parseMarkdownRows(section) } : undefined;
};
const findRow = (id, pred) => get(id)?.rows.find(pred);

/** Targets of issues 8 and 16, judged on this run's figures. */
function summaryRows() {
  const out = [];
  const add = (target, figure, ok) => out.push(`| ${target} | ${figure} | ${ok === undefined ? '-' : ok ? 'met' : '**not met**'} |`);
  // The `, to exit` rows are for reference: the goal is the time to a command's own work.
  for (const r of get('startup')?.rows.filter((x) => x.name.startsWith('codex-profiles ') && !x.name.endsWith(', to exit')) ?? []) {
    add(`\`${r.name.replace('codex-profiles ', '')}\` at most 1.5x \`node -e 0\``, `${fmtRatio(r.ratio)} (${fmtMs(r.median)} ms)`, r.ratio <= 1.5);
  }
  // Not targets: what the parts every command starts with cost alone (bench/floor/main.mjs), for scale.
  for (const r of get('startup')?.rows.filter((x) => x.name.startsWith('floor: ')) ?? []) {
    add(`${r.name.replace('floor: ', 'for scale, ')}`, `${fmtRatio(r.ratio)} (${fmtMs(r.median)} ms)`, undefined);
  }
  const whole10 = findRow('editing', (x) => x.name.startsWith('whole `add`, 10 KB, against'));
  if (whole10) add('a whole `add` on a 10 KB config within 2x the editor + `node -e 0`', `${fmtRatio(whole10.ratio)} (${fmtMs(whole10.median)} ms)`, whole10.ratio <= 1);
  const e1 = findRow('editing', (x) => x.name === 'editor, 1 MB');
  if (e1) add('add a profile to a 1 MB config.toml in under 0.5 s (editor)', `${fmtMs(e1.median)} ms`, e1.median < 500);
  const w1 = findRow('editing', (x) => x.name === 'whole `add` process, 1 MB');
  if (w1) add('... the whole `add` process, for reference', `${fmtMs(w1.median)} ms`, undefined);
  const lin = findRow('editing', (x) => x.name === 'editor, 4 MB against 1 MB');
  if (lin) add('editing time grows linearly (4 MB = 4x 1 MB)', fmtRatio(lin.ratio), lin.ratio <= 4.6);
  const both = findRow('discovery', (x) => /both up, in parallel/.test(x.name));
  if (both) add('discovery, both providers up: close to the slower one alone, not the sum', fmtRatio(both.ratio), both.ratio <= 1.2);
  const hang = findRow('discovery', (x) => /refusing \+ one hanging/.test(x.name));
  if (hang) add('discovery, one refusing + one hanging: bounded by the timeout', fmtRatio(hang.ratio), hang.ratio <= 1.1);
  for (const smoke of get('smoke')?.rows.filter((x) => Number.isFinite(x.ratio)) ?? []) {
    add(`smoke test, ${smoke.name.replace(/:.*/, '')}: overhead within 10% of the best order by hand`, fmtRatio(smoke.ratio), smoke.ratio <= 1.1);
  }
  return out.length ? ['| target | this run | |', '|---|---:|---|', ...out].join('\n') : '';
}

const PROSE = {
  startup:
    'The built CLI as a user runs it (`node bin/codex-profiles.js ...`: the esbuild bundle in dist/, one ' +
    'code path for every command) in a temporary home, stdout a pipe, no locale set (`node bench/startup.mjs`). ' +
    'Every round runs each scenario once, in turn, so load from other processes hits them alike; the ratio ' +
    'is against `node -e 0` from the same rounds. Each command is timed from its spawn to the moment its own ' +
    'work begins: help and the version (their work is printing) to exit; `models --json` and `add --dry-run` ' +
    'to the first request the fake Ollama receives; `list --json` (20 `NAME.config.toml` files) and ' +
    '`test --all --dry-run` to their first read of a file in the temporary CODEX_HOME or their first child ' +
    'process (codex, a shell stand-in), as bench/mark.cjs records it: a preload (`node --require`) that ' +
    'every Node process of this bench loads, `node -e 0` included, so nothing in the product is instrumented. ' +
    'The `, to exit` rows are the same commands start to exit, for reference. The `floor:` rows are not ours: ' +
    'Node alone sending one request, and yargs alone (bench/floor/main.mjs, built by the CLI\'s own build and ' +
    'started by a copy of bin/) printing its version or sending one request: what every command starts with. ' +
    'The standalone executable ' +
    '(scripts/build-sea.mjs, built for the run; no preload) is timed start to exit; its size is in the notes.',
  editing:
    'Adding a profile to generated config.toml files (`node bench/editing.mjs`; bench/gen-config.mjs: ' +
    'tables of every family with comments above and inside, strings, arrays, inline tables). Codex is a ' +
    '0.133 stand-in (a Node script, kept in the detection cache as a real codex is after its first ' +
    'command), so the profile is a `[profiles.NAME]` table; the fake Ollama listens on its own port, ' +
    'so `add` also writes a `[model_providers.ollama-port-N]` table: two verified edits. **editor** is a ' +
    'fresh process running `loadHome` + planning (bench/editing-child.mjs: parse, index, both edits, each ' +
    're-parsed and compared), cold as the CLI runs it; **whole process** is `codex-profiles add ... ' +
    '--allow-missing --yes` from start to exit (discovery, detection, diff, lock, backup, fsync, rename); ' +
    'the last table splits a whole `add` on 10 KB into its steps: when one `add`, watched from outside its ' +
    'code by bench/add-trace-preload.mjs, first read config.toml, first wrote, replaced it and exited, ' +
    'with its HTTP requests, processes started and fsyncs, from the same interleaved rounds.',
  memory:
    'Peak RSS of the same processes, as each reports it on exit (`process.resourceUsage().maxRSS`, loaded ' +
    'with `--import bench/rusage-preload.mjs`; `node bench/memory.mjs`).',
};

function ownSection(o) {
  const parts = [PROSE[o.script.id]];
  for (const s of o.result.sections) {
    parts.push(`_${s.caption}_\n\n${markdownTable(s.rows)}`);
    if (s.notes?.length) parts.push(s.notes.map((n) => `- ${n}`).join('\n'));
  }
  return parts.join('\n\n');
}

/** Replace the caption + table of a colleague's section with the script's fresh output. */
function mergeMarkdown(existing, fresh) {
  if (!existing) return fresh;
  const lines = existing.split('\n');
  let start = lines.findIndex((l, i) => /^_.*_$/.test(l.trim()) && lines.slice(i + 1, i + 3).some((x) => x.startsWith('|')));
  if (start < 0) start = lines.findIndex((l) => l.startsWith('|'));
  if (start < 0) return `${existing.trimEnd()}\n\n${fresh}`;
  let end = start;
  if (!lines[start].startsWith('|')) {
    end++;
    while (end < lines.length && lines[end].trim() === '') end++;
  }
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return [...lines.slice(0, start), ...fresh.split('\n'), ...lines.slice(end)].join('\n');
}

function splitSections(text) {
  const parts = text.split(/^## /m);
  const preamble = parts.shift() ?? '';
  return { preamble, sections: parts.map((p) => ({ heading: p.slice(0, p.indexOf('\n')).trim(), body: p.slice(p.indexOf('\n') + 1).trim() })) };
}

if (!argv.includes('--no-write') && !args.get('--root')) {
  const old = splitSections(oldDoc);
  const byHeading = new Map(old.sections.map((s) => [s.heading, s.body]));
  const out = [];
  const summary = summaryRows();
  out.push({ heading: 'Summary', body: summary ? `The targets of issues 8 and 16, judged on the figures below.\n\n${summary}` : byHeading.get('Summary') });
  for (const script of SCRIPTS) {
    const o = outcomes.find((x) => x.script === script);
    const existing = byHeading.get(script.heading);
    let body = existing;
    if (o?.result) body = ownSection(o);
    else if (o?.markdown?.startsWith('## ')) body = o.markdown.slice(o.markdown.indexOf('\n') + 1);
    else if (o?.markdown) body = mergeMarkdown(existing, o.markdown);
    if (body) out.push({ heading: script.heading, body });
  }
  for (const s of old.sections) if (!out.some((x) => x.heading === s.heading)) out.push(s);
  const preamble =
    '# Performance\n\n' +
    'Figures from the bench scripts in `bench/`, written by `npm run bench` (bench/run.mjs builds, runs every ' +
    'script, prints one table and rewrites this file; each section belongs to one script, and ' +
    '`node bench/NAME.mjs --markdown` refreshes one by hand). Every figure is the median (min-max) of ' +
    'repeated runs and a ratio against a baseline measured in the same run, so machines of different ' +
    'speed compare. Benchmarks use temporary homes, fake providers on 127.0.0.1 and a codex stand-in; ' +
    'never the real home.\n\n' +
    `_Last run: ${machineLine(m)}._\n`;
  fs.writeFileSync(DOC, `${preamble}\n${out.filter((s) => s.body).map((s) => `## ${s.heading}\n\n${s.body.trim()}\n`).join('\n')}`);
  process.stderr.write(`bench: wrote ${path.relative(process.cwd(), DOC)}\n`);
}
