#!/usr/bin/env node
/**
 * Smoke-test wall time (issues 5 and 8): `codex-profiles test --all` against running the same
 * `codex exec` commands by hand in the best order (each provider's runs one after another, the
 * two providers in parallel), and against running them all one after another. The CLI is timed
 * twice: as on every run after the first (codex detection read from the per-user disk cache in
 * the temporary HOME, filled by the warm-up), and as a first run (that cache removed before it).
 *
 *   node bench/smoke.mjs [--runs N] [--profiles 2,6,10] [--latency MS] [--codex 0.169] [--markdown] [--write]
 *
 * Plain Node over the built lib/ (build with `npm run build`), the REAL codex
 * binary pinned in devDependencies, and in-process fake servers on 127.0.0.1: a fake Ollama and a
 * fake LM Studio (listing endpoints, and POST /v1/responses answering "OK" after a fixed added
 * latency that stands for the model's time), plus a decoy as the base config's provider so that
 * nothing can reach a hosted model. Temporary HOME and CODEX_HOME; nothing else is touched.
 *
 * Every figure is the median (min-max) of N repetitions; the overhead is the ratio of the CLI's
 * wall time to the best hand-run order in the same repetition. `--write` replaces the
 * "## Smoke test" section of docs/performance.md (and nothing else).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codexBinPath, fakeModelServer } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const RUNS = Math.max(3, Number(opt('--runs', 5)) || 5);
/** Profile counts to measure, e.g. `--profiles 2,6,10` (half on each provider). */
const COUNTS = String(opt('--profiles', '2,6,10'))
  .split(',')
  .map((x) => Math.max(2, Number(x) || 0))
  .filter((x, i, a) => a.indexOf(x) === i);
const LATENCY = Math.max(0, Number(opt('--latency', 400)) || 0);
const CODEX_VERSION = opt('--codex', '0.169');
const MARKDOWN = argv.includes('--markdown') || argv.includes('--write');
const WRITE = argv.includes('--write');

const CLI = path.join(root, 'bin', 'codex-profiles.js');
const CODEX = codexBinPath(CODEX_VERSION, root);
for (const [what, file] of [
  ['lib/ (run `npm run build`)', path.join(root, 'lib', 'verify', 'smoke.js')],
  [`codex ${CODEX_VERSION}`, CODEX],
]) {
  if (!fs.existsSync(file)) {
    process.stderr.write(`bench/smoke.mjs: ${what} is missing (${file})\n`);
    process.exit(2);
  }
}
const PROMPT = 'Reply with exactly OK';

// ---- fake servers ---------------------------------------------------------------------------

// A model server per provider, with counters: bench/lib.mjs fakeModelServer.
const serve = fakeModelServer;

const ollamaModels = (names) => ({
  '/api/version': { version: '0.13.5' },
  '/api/tags': {
    models: names.map((name) => ({
      name,
      model: name,
      size: 4e9,
      digest: 'a'.repeat(64),
      details: { format: 'gguf', family: 'qwen3', parameter_size: '8B', quantization_level: 'Q4_K_M', context_length: 131072 },
      capabilities: ['completion', 'tools'],
    })),
  },
  '/api/ps': { models: names.map((name) => ({ name, model: name, size: 4e9, context_length: 65536 })) },
});

const lmStudioModels = (keys) => ({
  '/api/v1/models': {
    models: keys.map((key) => ({
      type: 'llm',
      key,
      display_name: key,
      size_bytes: 4e9,
      params_string: '8B',
      quantization: { name: 'Q4_K_M', bits_per_weight: 4 },
      max_context_length: 131072,
      loaded_instances: [{ id: key, config: { context_length: 32768 } }],
      capabilities: { vision: false, trained_for_tool_use: true },
    })),
  },
});

// ---- the runs -------------------------------------------------------------------------------

function run(file, args, { env, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function measure(PROFILES) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-smoke-'));
  const home = path.join(tmp, 'home');
  const codexHome = path.join(home, '.codex');
  fs.mkdirSync(codexHome, { recursive: true });
  const perProvider = Math.ceil(PROFILES / 2);
  const oNames = Array.from({ length: perProvider }, (_, i) => `bench-o${i}:8b`);
  const lNames = Array.from({ length: PROFILES - perProvider }, (_, i) => `bench/l${i}`);
  const ollama = await serve(ollamaModels(oNames), { latency: LATENCY });
  const lmstudio = await serve(lmStudioModels(lNames), { latency: LATENCY });
  const decoy = await serve({}, { text: 'DECOY' });
  const table = (id, url) => `[model_providers.${id}]\nname = "${id}"\nbase_url = "${url}/v1"\nwire_api = "responses"\n`;
  fs.writeFileSync(path.join(codexHome, 'config.toml'), `model = "decoy-model"\nmodel_provider = "decoy"\n\n${table('decoy', decoy.url)}`);
  const profiles = [];
  oNames.forEach((m, i) => profiles.push({ name: `o${i}`, provider: 'ollama-bench', model: m, url: ollama.url }));
  lNames.forEach((m, i) => profiles.push({ name: `l${i}`, provider: 'lmstudio-bench', model: m, url: lmstudio.url }));
  for (const p of profiles) {
    fs.writeFileSync(path.join(codexHome, `${p.name}.config.toml`), `model = "${p.model}"\nmodel_provider = "${p.provider}"\n\n${table(p.provider, p.url)}`);
  }
  const env = { PATH: process.env.PATH ?? '', HOME: home, USERPROFILE: home, CODEX_HOME: codexHome, TMPDIR: os.tmpdir(), NO_COLOR: '1', CI: 'true' };

  // The command codex-profiles runs for each profile (see src/codex/exec.ts, src/verify/smoke.ts).
  const byHand = async (p) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'run-'));
    const out = path.join(dir, 'last-message.txt');
    fs.mkdirSync(path.join(dir, 'work'));
    const args = [
      CODEX,
      'exec',
      '--skip-git-repo-check',
      '--ephemeral',
      '-p',
      p.name,
      '-o',
      out,
      '-c',
      `model_providers.${p.provider}.stream_max_retries=0`,
      '-c',
      `model_providers.${p.provider}.request_max_retries=0`,
      '--',
      PROMPT,
    ];
    const r = await run(process.execPath, args, { env, cwd: path.join(dir, 'work') });
    const answer = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim() : '';
    fs.rmSync(dir, { recursive: true, force: true });
    if (r.code !== 0 || answer !== 'OK') throw new Error(`by hand: ${p.name} exit ${r.code}, answer ${JSON.stringify(answer)}\n${r.stderr.slice(-500)}`);
  };
  const scenarios = {
    cli: async () => {
      const r = await run(process.execPath, [CLI, 'test', '--all', '--json', '--timeout', '60', '--codex-bin', CODEX], { env, cwd: tmp });
      let doc;
      try {
        doc = JSON.parse(r.stdout);
      } catch {
        doc = undefined;
      }
      if (r.code !== 0 || doc?.summary?.pass !== PROFILES) throw new Error(`cli: exit ${r.code}\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(-2000)}`);
    },
    // The first run with this codex: no detection cache (src/codex/detect-cache.ts) in HOME.
    cold: async () => scenarios.cli(),
    best: async () => {
      const seq = async (list) => {
        for (const p of list) await byHand(p);
      };
      await Promise.all([seq(profiles.filter((p) => p.url === ollama.url)), seq(profiles.filter((p) => p.url === lmstudio.url))]);
    },
    sequential: async () => {
      for (const p of profiles) await byHand(p);
    },
  };
  const times = { cli: [], cold: [], best: [], sequential: [] };
  const order = ['cli', 'cold', 'best', 'sequential'];
  // Untimed preparation of a scenario.
  const prepare = { cold: () => fs.rmSync(path.join(home, '.cache', 'codex-profiles'), { recursive: true, force: true }) };
  try {
    // One warm-up of each (file cache, codex's first start), not counted.
    for (const k of order) {
      prepare[k]?.();
      await scenarios[k]();
    }
    for (let i = 0; i < RUNS; i++) {
      // Rotate the order so that no scenario always runs first (or last) in a repetition.
      const rot = [...order.slice(i % order.length), ...order.slice(0, i % order.length)];
      for (const k of rot) {
        prepare[k]?.();
        const t0 = now();
        await scenarios[k]();
        times[k].push(now() - t0);
      }
      process.stderr.write(
        `rep ${i + 1}/${RUNS}: cli ${times.cli.at(-1).toFixed(0)} ms, first run ${times.cold.at(-1).toFixed(0)} ms, best ${times.best.at(-1).toFixed(0)} ms, sequential ${times.sequential.at(-1).toFixed(0)} ms\n`,
      );
    }
    if (decoy.stats.prompts !== 0) throw new Error('a prompt reached the decoy');
    if (ollama.stats.maxInFlight !== 1 || lmstudio.stats.maxInFlight !== 1) throw new Error('two prompts at once on one server');
  } finally {
    await Promise.all([ollama.close(), lmstudio.close(), decoy.close()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  return times;
}

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return { median: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, min: s[0], max: s[n - 1] };
};

async function main() {
  const results = [];
  for (const count of COUNTS) {
    process.stderr.write(`${count} profiles:\n`);
    const times = await measure(count);
    const ratios = (a, b) => times[a].map((x, i) => x / times[b][i]);
    results.push({
      profiles: count,
      ms: {
        cli: stat(times.cli),
        cold: stat(times.cold),
        best: stat(times.best),
        sequential: stat(times.sequential),
        extra: stat(times.cli.map((x, i) => x - times.best[i])),
        coldExtra: stat(times.cold.map((x, i) => x - times.best[i])),
      },
      ratio: { cliOverBest: stat(ratios('cli', 'best')), coldOverBest: stat(ratios('cold', 'best')), cliOverSequential: stat(ratios('cli', 'sequential')) },
    });
  }
  const machine = { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) };
  if (!MARKDOWN) {
    process.stdout.write(JSON.stringify({ runs: RUNS, latencyMs: LATENCY, codex: CODEX_VERSION, machine, results }, null, 2) + '\n');
    return;
  }
  const f0 = (x) => x.toFixed(0);
  const f2 = (x) => `${x.toFixed(2)}x`;
  const range = (s, f) => `${f(s.median)} (${f(s.min)}-${f(s.max)})`;
  const md = [
    '## Smoke test',
    '',
    '`node bench/smoke.mjs [--runs N] [--profiles 2,6,10] [--latency MS] [--markdown | --write]` (after',
    '`npm run build`). The real codex binary (`test-codex/node_modules/codex-' + CODEX_VERSION + '`) against',
    'in-process fake servers on 127.0.0.1: a fake Ollama and a fake LM Studio, each answering',
    `"Reply with exactly OK" with "OK" after a fixed ${LATENCY} ms (the model's time), and a decoy as the`,
    "base config's provider. N profiles, half on each provider (custom provider ids, retries off).",
    '',
    'Compared in each repetition, in rotating order after one warm-up of each:',
    '- **cli**: `codex-profiles test --all --json` as a user runs it: process start to exit, including',
    '  starting the CLI, codex detection, loading the config, the pre-check probes of both servers,',
    '  the runs, and the report. Detection comes from the per-user disk cache (in the temporary',
    "  HOME; the warm-up filled it), as on every run after the first with the same codex;",
    '- **cli, first run**: the same with that cache removed before it, so detection starts codex',
    '  twice (`codex --version`, `codex exec --help`), overlapped with loading the config and the',
    '  probes;',
    '- **best by hand**: the same `codex exec` commands (same flags, `-o` file, cwd a temporary',
    "  folder, stdin closed) started directly from Node in the best order: each provider's runs one",
    '  after another, the two providers in parallel. No detection, no pre-checks, no report;',
    '- **sequential by hand**: the same commands one after another (what a loop in a shell does).',
    '',
    'The bench also checks that every run answered OK, that no prompt reached the decoy and that no',
    'server ever had two prompts at once.',
    '',
    `_${RUNS} repetitions per row, codex ${CODEX_VERSION}, node ${process.version}, ${machine.cpus} CPU(s), load average ${machine.loadavg[0]} at the end; median (min-max)_`,
    '',
    '| profiles | cli ms | best by hand ms | cli / best | cli - best ms | first run ms | first run / best | sequential by hand ms | cli / sequential |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.profiles} | ${range(r.ms.cli, f0)} | ${range(r.ms.best, f0)} | ${range(r.ratio.cliOverBest, f2)} | ${range(r.ms.extra, f0)} | ${range(r.ms.cold, f0)} | ${range(r.ratio.coldOverBest, f2)} | ${range(r.ms.sequential, f0)} | ${range(r.ratio.cliOverSequential, f2)} |`,
    ),
    '',
    'What the figures show:',
    `- **Overhead against the best order:** ${results.map((r) => `${f2(r.ratio.cliOverBest.median)} at ${r.profiles}`).join(', ')} profiles. The`,
    `  extra time (cli - best: ${results.map((r) => `${f0(r.ms.extra.median)} ms`).join(', ')}) does not grow with the`,
    '  runs: it is a fixed cost per command (starting Node and the CLI, reading the config, the',
    '  probes, the report) plus a few ms per run (a temporary folder, reading the answer), so the',
    '  ratio falls as profiles are added. See "Issue 8" below for where it goes.',
    `- **A first run** (detection not cached): ${results.map((r) => `${f2(r.ratio.coldOverBest.median)} at ${r.profiles}`).join(', ')}; its extra`,
    `  time over the cached run: ${results.map((r) => `${f0(r.ms.cold.median - r.ms.cli.median)} ms`).join(', ')} (the two codex runs of detection, less what the`,
    '  config and the probes overlap).',
    `- **Against a shell loop** (one after another): ${results.map((r) => `${f2(r.ratio.cliOverSequential.median)} at ${r.profiles}`).join(', ')}`,
    '  profiles: once there are a few profiles on each server, running the servers in parallel wins back',
    '  more than the fixed cost.',
    '- The machine is shared (2 CPUs, other jobs running: see the load average above), so single',
    '  repetitions vary by a few hundred ms; the medians and ranges are what to compare.',
    '',
  ].join('\n');
  if (WRITE) {
    const doc = path.join(root, 'docs', 'performance.md');
    const text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '# Performance\n\n';
    const start = text.indexOf('\n## Smoke test\n');
    let next;
    if (start >= 0) {
      const after = text.indexOf('\n## ', start + 1);
      next = text.slice(0, start + 1) + md + (after >= 0 ? '\n' + text.slice(after + 1) : '');
    } else {
      next = text.replace(/\n*$/, '\n\n') + md;
    }
    fs.writeFileSync(doc, next);
    process.stderr.write(`wrote the Smoke test section of ${doc}\n`);
  }
  process.stdout.write(md + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench/smoke.mjs: ${err.stack ?? err}\n`);
  process.exit(1);
});
