#!/usr/bin/env node
/**
 * Discovery wall time (issue 3): parallel providers, and the cost of a provider that refuses or
 * hangs. Runs the built code (lib/; build with `npm run build`) against small
 * in-process fake servers on 127.0.0.1 with a set latency; no CLI is on PATH.
 *
 *   node bench/discovery.mjs [--runs N] [--markdown]
 *
 * Every figure is the median (min-max) of N runs, and each is also given as a ratio to a
 * baseline measured in the same run, so machines of different speed compare.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listen } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distEntry = path.join(root, 'lib', 'discover', 'discover.js');
if (!fs.existsSync(distEntry)) {
  process.stderr.write('bench/discovery.mjs: lib/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const { DEFAULT_TIMEOUT_MS } = await import(pathToFileURL(distEntry).href);
const { discover } = await import(pathToFileURL(path.join(root, 'lib', 'codex', 'discovery.js')).href);

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Math.max(3, Number(argv[runsAt + 1]) || 15) : 15;
const MARKDOWN = argv.includes('--markdown');

const OLLAMA_LATENCY = 120; // ms per request
const LMSTUDIO_LATENCY = 200;
const SHOW_LATENCY = 25;
const OLD_MODELS = 20;

// ---- fake servers ---------------------------------------------------------------------------

function serve(handler) {
  return listen(http.createServer(handler));
}

function json(res, body, delay) {
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }, delay);
}

const tag = (name, withFacts) => ({
  name,
  model: name,
  size: 4_000_000_000,
  digest: 'a'.repeat(64),
  details: { format: 'gguf', family: 'llama', parameter_size: '8B', quantization_level: 'Q4_K_M', ...(withFacts ? { context_length: 131072 } : {}) },
  ...(withFacts ? { capabilities: ['completion', 'tools'] } : {}),
});

function ollama({ latency, models = 5, old = false }) {
  const names = Array.from({ length: models }, (_, i) => `model-${i}:8b`);
  return serve((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const p = req.url.split('?')[0];
      if (p === '/api/version') return json(res, { version: '0.13.5' }, latency);
      if (p === '/api/tags') return json(res, { models: names.map((n) => tag(n, !old)) }, latency);
      if (p === '/api/ps') return json(res, { models: [] }, latency);
      if (p === '/api/show') {
        return json(res, { capabilities: ['completion', 'tools'], model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 }, parameters: '' }, SHOW_LATENCY);
      }
      res.writeHead(404).end();
    });
  });
}

function lmstudio({ latency }) {
  return serve((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/api/v1/models') {
        return json(res, { models: [{ type: 'llm', key: 'qwen/qwen3-coder-30b', display_name: 'Qwen3 Coder', size_bytes: 1, params_string: '30B', loaded_instances: [], max_context_length: 262144, capabilities: { vision: false, trained_for_tool_use: true } }] }, latency);
      }
      res.writeHead(404).end();
    });
  });
}

const hanging = () => serve(() => {}); // accepts, never answers
const instant = () => serve((req, res) => json(res, { ok: true }, 0));

async function refusedUrl() {
  const s = await serve(() => {});
  await s.close();
  return s.url;
}

// ---- measuring ------------------------------------------------------------------------------

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-'));
const env = { PATH: path.join(home, 'no-bin'), HOME: home, USERPROFILE: home };

async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function measure(fn) {
  await fn(); // warm-up
  const xs = [];
  for (let i = 0; i < RUNS; i++) xs.push(await time(fn));
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], min: xs[0], max: xs[xs.length - 1] };
}

const results = [];
function record(name, m, ratio, against) {
  results.push({ name, ...m, ratio, against });
}

const base = await instant();
const baseline = await measure(() => fetch(`${base.url}/x`).then((r) => r.json()));
await base.close();

const o = await ollama({ latency: OLLAMA_LATENCY });
const l = await lmstudio({ latency: LMSTUDIO_LATENCY });
const run = (opts) => async () => {
  const r = await discover({ env, ...opts });
  for (const p of r.providers) if (opts.expect && p.status !== opts.expect[p.provider]) throw new Error(`${p.provider}: ${p.status} ${p.reason ?? ''}`);
};

const onlyOllama = await measure(run({ providers: ['ollama'], ollamaUrl: o.url, expect: { ollama: 'up' } }));
const onlyLm = await measure(run({ providers: ['lmstudio'], lmstudioUrl: l.url, expect: { lmstudio: 'up' } }));
const both = await measure(run({ ollamaUrl: o.url, lmstudioUrl: l.url, expect: { ollama: 'up', lmstudio: 'up' } }));
const slower = Math.max(onlyOllama.median, onlyLm.median);
record(`Ollama alone (${OLLAMA_LATENCY} ms per request)`, onlyOllama, onlyOllama.median / OLLAMA_LATENCY, `server latency (${OLLAMA_LATENCY} ms)`);
record(`LM Studio alone (${LMSTUDIO_LATENCY} ms per request)`, onlyLm, onlyLm.median / LMSTUDIO_LATENCY, `server latency (${LMSTUDIO_LATENCY} ms)`);
record('both up, in parallel', both, both.median / slower, 'the slower provider alone');
record('both up, vs one after the other', both, both.median / (onlyOllama.median + onlyLm.median), 'sum of both alone');
await o.close();

const old = await ollama({ latency: OLLAMA_LATENCY, models: OLD_MODELS, old: true });
const oldRun = await measure(run({ providers: ['ollama'], ollamaUrl: old.url, expect: { ollama: 'up' } }));
const sequentialShows = OLLAMA_LATENCY + OLD_MODELS * SHOW_LATENCY;
record(`old Ollama: ${OLD_MODELS} x /api/show (${SHOW_LATENCY} ms each, 4 at a time)`, oldRun, oldRun.median / sequentialShows, `one show at a time (${sequentialShows} ms)`);
await old.close();

const refused = await refusedUrl();
const refusedOnly = await measure(run({ providers: ['ollama'], ollamaUrl: refused, expect: { ollama: 'down' } }));
record('one provider refusing', refusedOnly, refusedOnly.median / baseline.median, `one local HTTP request (${baseline.median.toFixed(2)} ms)`);

const h = await hanging();
const hangOnly = await measure(run({ providers: ['lmstudio'], lmstudioUrl: h.url, expect: { lmstudio: 'not-responding' } }));
record(`one provider hanging (default timeout ${DEFAULT_TIMEOUT_MS} ms)`, hangOnly, hangOnly.median / DEFAULT_TIMEOUT_MS, 'the timeout');
const mixed = await measure(run({ ollamaUrl: refused, lmstudioUrl: h.url, expect: { ollama: 'down', lmstudio: 'not-responding' } }));
record('one refusing + one hanging', mixed, mixed.median / DEFAULT_TIMEOUT_MS, 'the timeout');
const mixedUp = await measure(run({ ollamaUrl: refused, lmstudioUrl: l.url, expect: { ollama: 'down', lmstudio: 'up' } }));
record('one refusing + one up', mixedUp, mixedUp.median / onlyLm.median, 'the up provider alone');
await h.close();
await l.close();

// The whole CLI as a user starts it: `models --json` with nothing running, and `models --help`
// (which must not load the discovery code), each against `--version` (yargs, no command).
const cli = (args) => () =>
  new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [path.join(root, 'bin', 'codex-profiles.js'), ...args], {
      env: { ...env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}: ${args.join(' ')}`))));
  });
const version = await measure(cli(['--version']));
const cliDown = await measure(cli(['models', '--json', '--ollama-url', refused, '--lmstudio-url', refused]));
record('CLI `models --json`, both refusing (process start to exit)', cliDown, cliDown.median / version.median, `\`codex-profiles --version\` (${version.median.toFixed(0)} ms)`);
const help = await measure(cli(['models', '--help']));
record('CLI `models --help`', help, help.median / version.median, '`codex-profiles --version`');
fs.rmSync(home, { recursive: true, force: true });

// ---- report ---------------------------------------------------------------------------------

const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const header = `discovery wall time, ${RUNS} runs each, node ${process.version}, ${os.cpus().length} CPU(s); median (min-max) ms`;
if (MARKDOWN) {
  console.log(`_${header}_\n`);
  console.log('| scenario | median ms | min-max ms | ratio | against |');
  console.log('|---|---:|---:|---:|---|');
  for (const r of results) console.log(`| ${r.name} | ${ms(r.median)} | ${ms(r.min)}-${ms(r.max)} | ${r.ratio.toFixed(2)}x | ${r.against} |`);
} else {
  console.log(header);
  const w = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    console.log(`  ${r.name.padEnd(w)}  ${ms(r.median).padStart(6)} (${ms(r.min)}-${ms(r.max)})  ${r.ratio.toFixed(2)}x ${r.against}`);
  }
}
