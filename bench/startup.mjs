#!/usr/bin/env node
/**
 * Start-up (issues 8 and 16): every command, from process start to the moment it reaches its own
 * work, against `node -e 0` measured in the same run (interleaved: every round runs each
 * scenario once, so load from other processes hits them alike). Target: at most 1.5x.
 *
 *   node bench/startup.mjs [--runs N] [--json|--markdown] [--root DIR] [--no-sea]
 *
 * Runs the built CLI as a user runs it (`node bin/codex-profiles.js ...`: the bundle in dist/,
 * `npm run build` first) in a temporary home, stdout a pipe, no locale set. One code path for
 * everything (src/main.ts -> yargs -> the command's lazily loaded runner). Each command is timed
 * from its spawn to the moment its own work begins:
 * - `--help`, `add --help`, `--version`: their work is printing; the figure is start to exit;
 * - `models --json`, `add --dry-run`: start to the first request the fake Ollama receives
 *   (discovery is where their work starts);
 * - `list --json` (20 profiles), `test --all --dry-run`: start to the first read of a file in the
 *   temporary CODEX_HOME or the first child process (codex, a shell stand-in), whichever comes
 *   first, as bench/mark.cjs records it (a preload: nothing in the product). Their start-to-exit
 *   rows are kept for reference.
 * Every Node process here, `node -e 0` included, loads bench/mark.cjs (`--require`), so the ratio
 * is fair.
 * The floor rows are not ours (bench/floor/main.mjs, built for the run by the same build and
 * started by a copy of bin/): yargs alone printing its version or sending one request, and node
 * alone sending one request; every command starts with these parts.
 * The standalone executable (scripts/build-sea.mjs, built into a temporary folder unless
 * --no-sea) is measured the same way for `--version` and `list --json`, with its size.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, emit, fakeOllama, interleave, machine, makeSandbox, parseArgs, REPO_ROOT, requireBuilt, row, runNode, stats, writeCodexStub, writeListHome } from './lib.mjs';

const args = parseArgs(process.argv.slice(2), { runs: 21 });
const root = args.root ?? REPO_ROOT;
const { bin } = requireBuilt(root);
const m = machine();
const MODEL = 'bench-model:8b';
/** Rows that are not ours: what Node and the parts every command starts with cost by themselves. */
const FLOOR = {
  http: 'floor: node -e "http.get(...)", to its first request',
  version: 'floor: yargs alone (bench/floor/main.mjs) --version',
  request: 'floor: yargs alone, one command sending one request, to its first request',
};

/**
 * The floor (bench/floor/main.mjs), built for this run the way the CLI is: its bundle in
 * DIR/dist/ by scripts/build.mjs's buildBundle, started by a copy of bin/codex-profiles.js (the
 * same V8 code cache). Returns the path of its bin file.
 */
async function buildFloor(dir) {
  const { buildBundle } = await import(pathToFileURL(path.join(root, 'scripts', 'build.mjs')).href);
  await buildBundle({ layout: 'npm', outdir: path.join(dir, 'dist'), entry: path.join(BENCH_DIR, 'floor', 'main.mjs') });
  fs.mkdirSync(path.join(dir, 'bin'));
  for (const f of ['codex-profiles.js', 'package.json']) fs.copyFileSync(path.join(root, 'bin', f), path.join(dir, 'bin', f));
  return path.join(dir, 'bin', 'codex-profiles.js');
}

/** The standalone executable, built for this run; undefined with --no-sea. */
function buildSea(dir) {
  if (process.argv.includes('--no-sea')) return undefined;
  return execFileSync(process.execPath, [path.join(root, 'scripts', 'build-sea.mjs'), '--out', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

const MARK = path.join(BENCH_DIR, 'mark.cjs');
const sb = makeSandbox('cp-bench-startup-');
const markDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-mark-'));
let marks = 0;
const seaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-sea-'));
const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-floor-'));
const ollama = await fakeOllama({ models: [MODEL] });
try {
  writeListHome(sb.codexHome);
  const stub = writeCodexStub(sb.bin, 'file');
  const sea = buildSea(seaDir);
  const floor = await buildFloor(floorDir);
  const checkList = (r) => {
    const n = JSON.parse(r.stdout).profiles.length;
    if (n !== 20) throw new Error(`list --json saw ${n} profiles`);
    return r.ms;
  };
  /** Spawn to the first request at the fake Ollama (the command's own work); `program` null: argv is node's own (`-e ...`). */
  const toFirstRequest = async (argv, program = bin) => {
    ollama.firstRequest.at = undefined;
    const t0 = performance.now();
    const r = await run(program === null ? argv : [program, ...argv]);
    if (ollama.firstRequest.at === undefined) throw new Error(`${argv.join(' ')}: no request reached the fake Ollama\n${r.stderr}`);
    return ollama.firstRequest.at - t0;
  };
  // Every Node process here loads bench/mark.cjs, the baseline too (its cost is on both sides).
  const run = (argv, opts = {}) => runNode(['--require', MARK, ...argv], { env: sb.env, ...opts });
  /** Spawn to the first read under CODEX_HOME or the first child process (bench/mark.cjs). */
  const toWork = async (argv, check = () => {}) => {
    const file = path.join(markDir, `mark-${marks++}`);
    const t0 = process.hrtime.bigint();
    const r = await run([bin, ...argv], { env: { ...sb.env, CP_BENCH_MARK_FILE: file } });
    check(r);
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new Error(`${argv.join(' ')}: neither read the Codex home nor started a process\n${r.stderr}`);
    }
    return Number(BigInt(text.trim().split(' ').pop()) - t0) / 1e6;
  };
  const node = (argv, check = (r) => r.ms, program = bin) => () => run([program, ...argv]).then(check);
  const scenarios = [
    { name: 'node -e 0', run: () => run(['-e', '0']).then((r) => r.ms) },
    { name: FLOOR.http, run: () => toFirstRequest(['-e', `require('node:http').get(${JSON.stringify(`${ollama.url}/api/tags`)}, (r) => r.resume())`], null) },
    { name: FLOOR.version, run: node(['--version'], undefined, floor) },
    { name: FLOOR.request, run: () => toFirstRequest(['models', '--url', ollama.url], floor) },
    { name: 'codex-profiles --help', target: 1.5, run: node(['--help']) },
    { name: 'codex-profiles add --help', target: 1.5, run: node(['add', '--help']) },
    { name: 'codex-profiles --version', target: 1.5, run: node(['--version']) },
    { name: 'codex-profiles list --json (20 profiles), to its first read of the Codex home', target: 1.5, run: () => toWork(['list', '--json'], checkList) },
    { name: 'codex-profiles list --json (20 profiles), to exit', run: node(['list', '--json'], checkList) },
    { name: 'codex-profiles models --json, to its first request', target: 1.5, run: () => toFirstRequest(['models', '--json', '--provider', 'ollama', '--ollama-url', ollama.url]) },
    {
      name: 'codex-profiles add --dry-run, to its first request',
      target: 1.5,
      run: () => toFirstRequest(['add', MODEL, '--provider', 'ollama', '--ollama-url', ollama.url, '--codex-bin', stub, '--dry-run']),
    },
    {
      name: 'codex-profiles test --all --dry-run, to its first read of the Codex home or codex started',
      target: 1.5,
      run: () => toWork(['test', '--all', '--dry-run', '--codex-bin', stub]),
    },
    { name: 'codex-profiles test --all --dry-run (pre-checks), to exit', run: node(['test', '--all', '--dry-run', '--codex-bin', stub]) },
  ];
  if (sea) {
    const exe = (argv, check = (r) => r.ms) => () => runNode(argv, { env: sb.env, file: sea }).then(check);
    scenarios.push({ name: 'standalone executable --version', run: exe(['--version']) });
    scenarios.push({ name: 'standalone executable list --json (20 profiles)', run: exe(['list', '--json'], checkList) });
  }
  const samples = await interleave(scenarios, args.runs);
  const base = stats(samples['node -e 0']);
  const rows = scenarios.map((s) => {
    const v = stats(samples[s.name]);
    return row(s.name, v, 'ms', v.median / base.median, s.name === 'node -e 0' ? 'itself' : '`node -e 0`', { target: s.target });
  });
  const notes = [];
  if (sea) {
    const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
    // What npm packs of dist/: package.json's `files` leaves out the `!dist/...` entries (bin/'s
    // code cache, the build stamp, the pieces list).
    const left = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).files.filter((f) => f.startsWith('!dist/')).map((f) => f.slice('!dist/'.length));
    const packed = fs.readdirSync(path.join(root, 'dist'), { recursive: true }).reduce((sum, f) => {
      if (left.some((l) => String(f) === l || String(f).startsWith(l))) return sum;
      const st = fs.statSync(path.join(root, 'dist', String(f)));
      return st.isFile() ? sum + st.size : sum;
    }, 0);
    notes.push(
      `Size: the standalone executable ${mb(fs.statSync(sea).size)} MiB (a whole Node ${process.version} inside); ` +
        `the npm package's dist/ ${mb(packed)} MiB, with Node already installed.`,
    );
  }
  const over = rows.filter((r) => r.target !== undefined && r.ratio > r.target).map((r) => r.name);
  notes.push(over.length ? `Over 1.5x in this run: ${over.join('; ')}.` : 'Every command within 1.5x `node -e 0` in this run.');
  emit(args, {
    script: 'startup',
    machine: m,
    sections: [
      {
        id: 'startup',
        caption: `start-up, ${args.runs} interleaved runs after one warm-up round; median (min-max) ms`,
        rows,
        notes,
      },
    ],
  });
} finally {
  await ollama.close();
  sb.cleanup();
  fs.rmSync(seaDir, { recursive: true, force: true });
  fs.rmSync(floorDir, { recursive: true, force: true });
  fs.rmSync(markDir, { recursive: true, force: true });
}
