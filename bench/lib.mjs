/**
 * Shared helpers for the bench scripts: arguments, statistics, temporary homes, child processes
 * with their peak RSS, a fake Ollama on 127.0.0.1, a codex stand-in, and report formatting.
 *
 * Nothing here touches the real home: every child gets HOME, USERPROFILE and CODEX_HOME inside a
 * temporary folder, a PATH with nothing on it, and only loopback addresses.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');

/** A real Codex build the tests pin (test-codex/package.json; `npm run bench` installs them). */
export function codexBinPath(version, root = REPO_ROOT) {
  return path.join(root, 'test-codex', 'node_modules', `codex-${version}`, 'bin', 'codex.js');
}

/**
 * Common flags: `--runs N`, `--json` (one JSON document on stdout, for bench/run.mjs),
 * `--markdown`, `--quick` (fewer runs, smaller inputs: a smoke test of the bench itself) and
 * `--root DIR` (measure another checkout's built CLI, e.g. a copy of an older commit, to get
 * before/after figures under the same conditions).
 */
export function parseArgs(argv, defaults = {}) {
  const get = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const runs = Number(get('--runs')) || (quick ? 3 : defaults.runs ?? 9);
  return {
    runs: Math.max(quick ? 1 : 3, runs),
    json: argv.includes('--json'),
    markdown: argv.includes('--markdown'),
    quick,
    root: path.resolve(get('--root') ?? REPO_ROOT),
    get,
  };
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, min: s[0], max: s[n - 1], n };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    date: new Date().toISOString(),
  };
}

export function machineLine(m = machine()) {
  return `${m.cpus} CPU(s) (${m.cpuModel}), node ${m.node}, ${m.platform}; load average ${m.loadavg.join(' / ')} at the start; ${m.date.slice(0, 10)}`;
}

/** A temporary root with a fake user home and an (empty) Codex home inside it. */
export function makeSandbox(prefix = 'cp-bench-') {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const home = path.join(root, 'home');
  const codexHome = path.join(home, '.codex');
  const bin = path.join(root, 'bin');
  fs.mkdirSync(codexHome, { recursive: true });
  fs.mkdirSync(bin);
  const env = {
    HOME: home,
    USERPROFILE: home,
    CODEX_HOME: codexHome,
    // Nothing on PATH: no real ollama, lms or codex can run.
    PATH: bin,
    TMPDIR: os.tmpdir(),
    NO_COLOR: '1',
    CI: 'true',
  };
  if (process.platform === 'win32') env.SystemRoot = process.env.SystemRoot;
  return { root, home, codexHome, bin, env, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/**
 * A codex stand-in that answers `--version` and `exec --help` like Codex 0.133 (profiles are
 * `[profiles.NAME]` tables in config.toml) or 0.169 (`NAME.config.toml` files). A shell script on
 * POSIX, so detection costs a fork rather than a Node start; a shell script is never in the
 * detection cache (src/codex/detect-cache.ts), so every command starts it twice.
 * `{ node: true }`: a Node script instead (`#!/path/to/node`, like npm's `codex.js`), which the
 * detection cache keeps: the first command starts it twice (a Node start each), later ones find
 * the facts on disk, as with a real codex.
 */
export function writeCodexStub(dir, era = 'table', { node = false } = {}) {
  const version = era === 'table' ? '0.133.0' : '0.169.0';
  const placeholder = era === 'table' ? 'CONFIG_PROFILE' : 'CONFIG_PROFILE_V2';
  const help = `Run Codex non-interactively\\n\\nUsage: codex exec [OPTIONS] [PROMPT]\\n\\nOptions:\\n  -p, --profile <${placeholder}>\\n          Configuration profile\\n      --ephemeral\\n          Do not persist session files\\n`;
  const script = `const a = process.argv.slice(2);\nif (a[0] === '--version') console.log('codex-cli ${version}');\nelse if (a[0] === 'exec' && a[1] === '--help') process.stdout.write("${help}");\nelse process.exit(2);\n`;
  if (process.platform === 'win32') {
    const file = path.join(dir, `codex-${era}.js`);
    fs.writeFileSync(file, script);
    return file;
  }
  const file = path.join(dir, `codex-${era}`);
  if (node) {
    fs.writeFileSync(file, `#!${process.execPath}\n${script}`, { mode: 0o755 });
    return file;
  }
  fs.writeFileSync(
    file,
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli ${version}"; exit 0; fi\nif [ "$1" = "exec" ] && [ "$2" = "--help" ]; then printf '${help}'; exit 0; fi\nexit 2\n`,
    { mode: 0o755 },
  );
  return file;
}

/** A Codex home with 20 profiles: NAME.config.toml files (what Codex >= 0.134 reads). */
export function writeListHome(codexHome, count = 20) {
  fs.writeFileSync(
    path.join(codexHome, 'config.toml'),
    '# bench\nmodel = "gpt-5"\noss_provider = "ollama"\n\n[model_providers.ollama-port-11435]\nname = "Ollama on 127.0.0.1:11435"\nbase_url = "http://127.0.0.1:11435/v1"\nwire_api = "responses"\n',
  );
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(
      path.join(codexHome, `profile-${String(i).padStart(2, '0')}.config.toml`),
      `# Profile profile-${i}: written by codex-profiles\nmodel_provider = "${i % 2 ? 'lmstudio' : 'ollama'}"\nmodel = "model-${i}:8b"\nmodel_context_window = 131072\n`,
    );
  }
}

// ---- child processes -----------------------------------------------------------------------

const RUSAGE_PRELOAD = pathToFileURL(path.join(BENCH_DIR, 'rusage-preload.mjs')).href;

/**
 * Run `node ...args` (or `file ...args`: the standalone executable) to completion. Resolves with the wall time in ms (spawn to exit), the exit
 * code, and, with `rusage: true`, the child's own resource usage (peak RSS in KiB, CPU µs) as it
 * reported it on exit (bench/rusage-preload.mjs, loaded with --import).
 */
export function runNode(args, { env, cwd, rusage = false, input, expectCode = 0, file = process.execPath } = {}) {
  return new Promise((resolve, reject) => {
    let report;
    let childEnv = env;
    const nodeArgs = [...args];
    if (rusage) {
      report = path.join(os.tmpdir(), `cp-bench-rusage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
      nodeArgs.unshift('--import', RUSAGE_PRELOAD);
      childEnv = { ...env, CP_BENCH_RUSAGE_FILE: report };
    }
    const t0 = performance.now();
    const child = spawn(file, nodeArgs, { env: childEnv, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (expectCode !== undefined && code !== expectCode) {
        reject(new Error(`node ${args.join(' ')}: exit ${code}\n${stderr.slice(-2000)}`));
        return;
      }
      let usage;
      if (report) {
        try {
          usage = JSON.parse(fs.readFileSync(report, 'utf8'));
          fs.rmSync(report, { force: true });
        } catch {
          usage = undefined;
        }
      }
      resolve({ ms, code, stdout, stderr, usage });
    });
    child.stdin.end(input ?? '');
  });
}

/**
 * Interleaved measurement: each round runs every scenario once, in turn, so a burst of load from
 * other processes hits all scenarios alike. One warm-up round first (file cache, JIT of the
 * bench itself). Returns { name: [samples...] }.
 */
export async function interleave(scenarios, runs, { warmup = 1 } = {}) {
  const out = Object.fromEntries(scenarios.map((s) => [s.name, []]));
  for (let r = -warmup; r < runs; r++) {
    for (const s of scenarios) {
      const x = await s.run();
      if (r >= 0) out[s.name].push(x);
    }
  }
  return out;
}

// ---- a fake Ollama on 127.0.0.1 -------------------------------------------------------------

/** A minimal Ollama (GET /api/version, /api/tags, /api/ps) with `models`; optional latency; `firstRequest.at`. */
export function fakeOllama({ models = ['bench-model:8b'], latency = 0 } = {}) {
  // When the first request since the bench last cleared `firstRequest.at` arrived (performance.now()).
  const firstRequest = { at: undefined };
  const server = http.createServer((req, res) => {
    firstRequest.at ??= performance.now();
    req.resume();
    req.on('end', () => {
      const p = req.url.split('?')[0];
      let body;
      if (p === '/api/version') body = { version: '0.13.5' };
      else if (p === '/api/tags') {
        body = {
          models: models.map((name) => ({
            name,
            model: name,
            size: 4_000_000_000,
            digest: 'a'.repeat(64),
            details: { format: 'gguf', family: 'llama', parameter_size: '8B', quantization_level: 'Q4_K_M', context_length: 131072 },
            capabilities: ['completion', 'tools'],
          })),
        };
      } else if (p === '/api/ps') body = { models: [] };
      setTimeout(() => {
        if (!body) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }, latency);
    });
  });
  return listen(server, { firstRequest });
}

/** A minimal LM Studio 0.4 (GET /api/v1/models) with one model; optional latency. */
export function fakeLmStudio({ latency = 0 } = {}) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url.split('?')[0] !== '/api/v1/models') return void res.writeHead(404).end();
      const body = {
        models: [{ type: 'llm', publisher: 'bench', key: 'qwen/qwen3-coder-30b', display_name: 'Qwen3 Coder', size_bytes: 1, params_string: '30B', loaded_instances: [], max_context_length: 262144, format: 'gguf', capabilities: { vision: false, trained_for_tool_use: true } }],
      };
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }, latency);
    });
  });
  return listen(server);
}

/**
 * Listen on 127.0.0.1, port 0; `close()` also ends open connections, so a benchmark never
 * waits for keep-alive sockets. `extra` is merged into the result (e.g. request counters).
 */
export function listen(server, extra = {}) {
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        ...extra,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

/** A Responses API event stream whose final assistant message is `text`. */
function sse(model, text) {
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const item = { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
  const base = { id: 'resp_1', object: 'response', model };
  return (
    ev('response.created', { response: { ...base, status: 'in_progress', output: [] } }) +
    ev('response.output_item.done', { output_index: 0, item }) +
    ev('response.completed', { response: { ...base, status: 'completed', output: [item], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } } })
  );
}

/**
 * A model server for `codex exec` (the smoke test): GET `routes` (listing endpoints) and POST
 * /v1/responses answering `text` after `latency` ms. `stats` counts prompts, the most in flight
 * at once, and requests to anything else.
 */
export function fakeModelServer(routes, { text = 'OK', latency = 0 } = {}) {
  const stats = { prompts: 0, inFlight: 0, maxInFlight: 0, other: [] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const p = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && p === '/v1/responses') {
        stats.prompts++;
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        res.once('close', () => stats.inFlight--);
        let model = 'x';
        try {
          model = JSON.parse(body).model;
        } catch {
          /* keep x */
        }
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(sse(model, text));
        }, latency);
        return;
      }
      const answer = req.method === 'GET' ? routes[p] : undefined;
      if (answer === undefined) stats.other.push(`${req.method} ${p}`);
      res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer ?? { error: 'not found' }));
    });
  });
  return listen(server, { stats });
}

// ---- output ---------------------------------------------------------------------------------

export const fmtMs = (x) => (x === undefined || Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(0));
export const fmtMb = (kib) => (kib === undefined ? '-' : (kib / 1024).toFixed(0));
export const fmtRatio = (x) => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(2)}x`);

/**
 * A bench result row: `value` is { median, min, max } in `unit`; `ratio` is median / `base`.
 * Every script prints its rows as one JSON document with `--json`.
 */
export function row(name, value, unit, ratio, against, extra = {}) {
  return { name, unit, median: value.median, min: value.min, max: value.max, n: value.n, ratio, against, ...extra };
}

export function markdownTable(rows) {
  const lines = ['| scenario | median | min-max | unit | ratio | against |', '|---|---:|---:|---|---:|---|'];
  for (const r of rows) {
    const f = r.unit === 'MiB' ? (x) => (x === undefined ? '-' : x.toFixed(0)) : r.unit === 'ms/MB' ? (x) => x.toFixed(0) : fmtMs;
    const range = r.min === undefined ? '' : `${f(r.min)}-${f(r.max)}`;
    lines.push(`| ${r.name} | ${f(r.median)} | ${range} | ${r.unit} | ${fmtRatio(r.ratio)} | ${r.against} |`);
  }
  return lines.join('\n');
}

export function textTable(rows) {
  const w = Math.max(8, ...rows.map((r) => r.name.length));
  return rows
    .map((r) => {
      const f = r.unit === 'MiB' || r.unit === 'ms/MB' ? (x) => (x === undefined ? '-' : x.toFixed(0)) : fmtMs;
      const range = r.min === undefined ? '' : `(${f(r.min)}-${f(r.max)})`;
      return `  ${r.name.padEnd(w)}  ${f(r.median).padStart(7)} ${r.unit.padEnd(5)} ${range}  ${fmtRatio(r.ratio).padStart(7)} ${r.against}`;
    })
    .join('\n');
}

/** Print a script's result: JSON for run.mjs, else a table (markdown with --markdown). */
export function emit(args, result) {
  if (args.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const body = result.sections
    .map((s) => `${args.markdown ? `_${s.caption}_\n\n${markdownTable(s.rows)}` : `${s.caption}\n${textTable(s.rows)}`}${s.notes?.length ? '\n' + s.notes.map((n) => `- ${n}`).join('\n') : ''}`)
    .join('\n\n');
  process.stdout.write(`${args.markdown ? `_${machineLine(result.machine)}_\n\n` : machineLine(result.machine) + '\n'}${body}\n`);
}

/** The built CLI (bin/, the bundle in dist/) and src/ module by module (lib/, for bench scripts that import one). */
export function requireBuilt(root) {
  const modules = path.join(root, 'lib');
  if (!fs.existsSync(path.join(root, 'dist', 'main.js')) || !fs.existsSync(path.join(modules, 'cli.js'))) {
    process.stderr.write(`${path.relative(process.cwd(), root) || '.'}: dist/ or lib/ is missing; run \`npm run build\` first\n`);
    process.exit(2);
  }
  return { bin: path.join(root, 'bin', 'codex-profiles.js'), dist: modules };
}
