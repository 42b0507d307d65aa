#!/usr/bin/env node
/**
 * Memory (issue 8): peak RSS of the processes the other benches time, each as reported by the
 * process itself on exit (process.resourceUsage().maxRSS, through bench/rusage-preload.mjs),
 * against `node -e 0` reporting the same way. Median (min-max) of N runs.
 *
 *   node bench/memory.mjs [--runs N] [--json|--markdown] [--root DIR] [--sizes ...]
 *
 * Scenarios: start-up (`--help`, `list --json` with 20 profiles), discovery (`models --json`,
 * both fake providers up), the smoke test (`test --all` over 6 profiles with the real codex, as in
 * bench/smoke.mjs), editing (the cold editor process and the whole `add` process, per config
 * size; see bench/editing.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { editHome } from './editing.mjs';
import {
  BENCH_DIR,
  REPO_ROOT,
  codexBinPath,
  emit,
  fakeLmStudio,
  fakeModelServer,
  fakeOllama,
  machine,
  makeSandbox,
  parseArgs,
  requireBuilt,
  row,
  runNode,
  stats,
  writeListHome,
} from './lib.mjs';

const args = parseArgs(process.argv.slice(2), { runs: 3 });
const { bin, dist } = requireBuilt(args.root);
const m = machine();
const MB = 1_000_000;
const SIZES = args.get('--sizes') ? args.get('--sizes').split(',').map(Number) : args.quick ? [10_000, 1_000_000] : [10_000, 100_000, MB, 4 * MB];
const label = (n) => (n >= MB ? `${n / MB} MB` : `${n / 1000} KB`);
const MODEL = 'bench-model:8b';

const rss = async (name, run) => {
  const xs = [];
  for (let i = 0; i < args.runs; i++) {
    const r = await run();
    if (r.usage?.maxRSS === undefined) throw new Error(`${name}: no resource usage reported`);
    xs.push(r.usage.maxRSS / 1024);
  }
  return { name, value: stats(xs) };
};

/**
 * `test --all --json` over 6 profiles, 3 on each fake provider, with the real codex 0.169 (as
 * bench/smoke.mjs runs it); skipped when that codex is not installed.
 */
async function smokeRss(env) {
  const codex = codexBinPath('0.169');
  if (!fs.existsSync(codex)) return [];
  const ssb = makeSandbox('cp-bench-mem-smoke-');
  const names = [0, 1, 2].map((i) => `bench-o${i}:8b`);
  const keys = [0, 1, 2].map((i) => `bench/l${i}`);
  const ollamaRoutes = {
    '/api/version': { version: '0.13.5' },
    '/api/tags': { models: names.map((name) => ({ name, model: name, size: 4e9, digest: 'a'.repeat(64), details: { format: 'gguf', family: 'qwen3', parameter_size: '8B', quantization_level: 'Q4_K_M', context_length: 131072 }, capabilities: ['completion', 'tools'] })) },
    '/api/ps': { models: names.map((name) => ({ name, model: name, size: 4e9, context_length: 65536 })) },
  };
  const lmRoutes = {
    '/api/v1/models': { models: keys.map((key) => ({ type: 'llm', key, display_name: key, size_bytes: 4e9, params_string: '8B', quantization: { name: 'Q4_K_M', bits_per_weight: 4 }, max_context_length: 131072, loaded_instances: [{ id: key, config: { context_length: 32768 } }], capabilities: { vision: false, trained_for_tool_use: true } })) },
  };
  const servers = await Promise.all([fakeModelServer(ollamaRoutes), fakeModelServer(lmRoutes), fakeModelServer({}, { text: 'DECOY' })]);
  const [o, l, decoy] = servers;
  try {
    const table = (id, url) => `[model_providers.${id}]\nname = "${id}"\nbase_url = "${url}/v1"\nwire_api = "responses"\n`;
    fs.writeFileSync(path.join(ssb.codexHome, 'config.toml'), `model = "decoy-model"\nmodel_provider = "decoy"\n\n${table('decoy', decoy.url)}`);
    const write = (name, model, id, url) => fs.writeFileSync(path.join(ssb.codexHome, `${name}.config.toml`), `model = "${model}"\nmodel_provider = "${id}"\n\n${table(id, url)}`);
    names.forEach((m, i) => write(`o${i}`, m, 'ollama-bench', o.url));
    keys.forEach((m, i) => write(`l${i}`, m, 'lmstudio-bench', l.url));
    return [
      await rss('codex-profiles test --all --json (6 profiles, real codex 0.169)', () =>
        runNode([bin, 'test', '--all', '--json', '--timeout', '60', '--codex-bin', codex], { env: { ...ssb.env, PATH: process.env.PATH ?? '' }, rusage: true }),
      ),
    ];
  } finally {
    await Promise.all(servers.map((x) => x.close()));
    ssb.cleanup();
  }
}

const results = [];
const sb = makeSandbox('cp-bench-mem-');
const ollama = await fakeOllama({ models: [MODEL] });
const lmstudio = await fakeLmStudio();
try {
  writeListHome(sb.codexHome);
  const env = sb.env;
  results.push(await rss('node -e 0', () => runNode(['-e', '0'], { env, rusage: true })));
  results.push(await rss('codex-profiles --help', () => runNode([bin, '--help'], { env, rusage: true })));
  results.push(await rss('codex-profiles list --json (20 profiles)', () => runNode([bin, 'list', '--json'], { env, rusage: true })));
  results.push(
    await rss('codex-profiles models --json (both fake providers up)', () =>
      runNode([bin, 'models', '--json', '--ollama-url', ollama.url, '--lmstudio-url', lmstudio.url], { env, rusage: true }),
    ),
  );
  try {
    results.push(...(await smokeRss(env)));
  } catch (err) {
    process.stderr.write(`memory.mjs: test --all not measured (${String(err.message).split('\n')[0]})\n`);
  }
  for (const size of SIZES) {
    const { sb: esb, stub, reset } = editHome('cp-bench-mem-edit-', size);
    try {
      results.push(
        await rss(`editor process, ${label(size)} config`, async () => {
          reset();
          const r = await runNode([path.join(BENCH_DIR, 'editing-child.mjs'), dist, esb.codexHome, ollama.url, MODEL], { env: esb.env });
          return { usage: { maxRSS: JSON.parse(r.stdout).maxRSS } };
        }),
      );
      results.push(
        await rss(`whole \`add\` process, ${label(size)} config`, () => {
          reset();
          return runNode(
            [bin, 'add', MODEL, '--provider', 'ollama', '--ollama-url', ollama.url, '--name', 'bench-new', '--allow-missing', '--yes', '--codex-bin', stub],
            { env: esb.env, rusage: true },
          );
        }),
      );
    } finally {
      esb.cleanup();
    }
  }
} finally {
  await ollama.close();
  await lmstudio.close();
  sb.cleanup();
}

const base = results[0].value;
emit(args, {
  script: 'memory',
  machine: m,
  sections: [
    {
      id: 'memory',
      caption: `peak RSS (maxRSS reported by each process on exit), ${args.runs} runs each; median (min-max) MiB`,
      rows: results.map((r) => row(r.name, r.value, 'MiB', r.value.median / base.median, r.name === 'node -e 0' ? 'itself' : '`node -e 0`')),
    },
  ],
});
