/**
 * One cold run of the editor, in a fresh process (started by bench/editing.mjs and
 * bench/memory.mjs): the same work `codex-profiles add` does between reading the Codex home and
 * writing, on the built code of a checkout:
 *
 *   node bench/editing-child.mjs DIST CODEX_HOME OLLAMA_URL MODEL
 *
 * `load` is loadHome (config.toml parsed, indexed, every profile found), `plan` is planning the
 * profile (the provider table and the [profiles.NAME] table added, each edit verified), `diff` is
 * the unified diff shown or returned as JSON. Discovery against the fake Ollama runs first and is
 * not timed. Prints one JSON line.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [dist, codexHome, ollamaUrl, model] = process.argv.slice(2);
const imp = (rel) => import(pathToFileURL(path.join(dist, rel)).href);
const [{ loadHome }, { planProfiles }, { discover }, { unifiedDiff }] = await Promise.all([
  imp('config/profiles.js'),
  imp('plan/add.js'),
  imp('codex/discovery.js'),
  imp('ui/diff.js'),
]);

const discovery = await discover({ providers: ['ollama'], ollamaUrl, env: { PATH: '' }, useCli: false });
const codex = { found: true, bin: 'codex', version: '0.133.0', layout: 'table', profileFlag: '-p', profileV2: true, ephemeral: true, warnings: [] };

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const state = await loadHome(codexHome);
const t1 = performance.now();
const { plan } = planProfiles(state, codex, discovery, [{ model, provider: 'ollama', name: 'bench-new' }], { allowMissing: true, env: {} });
const t2 = performance.now();
const diff = plan.changes.map((c) => unifiedDiff(c, codexHome)).join('');
const t3 = performance.now();
const cpu = process.cpuUsage(cpu0);

const change = plan.changes.find((c) => c.path.endsWith('config.toml'));
if (!change || !change.after.includes('[profiles.bench-new]') || !diff.includes('+[profiles.bench-new]')) {
  throw new Error('editing-child: the plan did not add [profiles.bench-new]');
}
process.stdout.write(
  JSON.stringify({
    load: t1 - t0,
    plan: t2 - t1,
    diff: t3 - t2,
    editor: t2 - t0,
    total: t3 - t0,
    cpu: (cpu.user + cpu.system) / 1000,
    bytes: Buffer.byteLength(state.configText ?? ''),
    maxRSS: process.resourceUsage().maxRSS,
  }) + '\n',
);
