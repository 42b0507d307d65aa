#!/usr/bin/env node
/**
 * Start-up (issue 8): `codex-profiles --help` and `list --json` with 20 profiles, process start
 * to exit, against `node -e 0` measured in the same run (interleaved: every round runs each
 * command once, so load from other processes hits them alike). Target: at most 1.5x.
 *
 *   node bench/startup.mjs [--runs N] [--json|--markdown] [--root DIR]
 *
 * Runs the built CLI as a user runs it (`node bin/codex-profiles.js ...`, `npm run build` first)
 * in a temporary home, stdout a pipe and no locale set: the fast paths of bin/ (help and the
 * version from dist/help.json, `list` without yargs) apply. The rows marked "yargs path" run the
 * same commands with CODEX_PROFILES_NO_FAST_PATH=1, for comparison (and what every other command
 * pays to start). A checkout without the fast paths (--root) simply measures the same twice.
 */
import { emit, interleave, machine, makeSandbox, parseArgs, requireBuilt, row, runNode, stats, writeListHome } from './lib.mjs';

const args = parseArgs(process.argv.slice(2), { runs: 21 });
const { bin } = requireBuilt(args.root);
const m = machine();

const sb = makeSandbox('cp-bench-startup-');
try {
  writeListHome(sb.codexHome);
  const yargsEnv = { ...sb.env, CODEX_PROFILES_NO_FAST_PATH: '1' };
  const list = (env) => () =>
    runNode([bin, 'list', '--json'], { env }).then((r) => {
      const n = JSON.parse(r.stdout).profiles.length;
      if (n !== 20) throw new Error(`list --json saw ${n} profiles`);
      return r.ms;
    });
  const scenarios = [
    { name: 'node -e 0', run: () => runNode(['-e', '0'], { env: sb.env }).then((r) => r.ms) },
    { name: 'codex-profiles --help', target: 1.5, run: () => runNode([bin, '--help'], { env: sb.env }).then((r) => r.ms) },
    { name: 'codex-profiles add --help', run: () => runNode([bin, 'add', '--help'], { env: sb.env }).then((r) => r.ms) },
    { name: 'codex-profiles --version', run: () => runNode([bin, '--version'], { env: sb.env }).then((r) => r.ms) },
    { name: 'codex-profiles list --json (20 profiles)', target: 1.5, run: list(sb.env) },
    { name: 'codex-profiles --help, yargs path', run: () => runNode([bin, '--help'], { env: yargsEnv }).then((r) => r.ms) },
    { name: 'codex-profiles list --json (20 profiles), yargs path', run: list(yargsEnv) },
  ];
  const samples = await interleave(scenarios, args.runs);
  const base = stats(samples['node -e 0']);
  const rows = scenarios.map((s) => {
    const v = stats(samples[s.name]);
    return row(s.name, v, 'ms', v.median / base.median, s.name === 'node -e 0' ? 'itself' : '`node -e 0`', { target: s.target });
  });
  emit(args, {
    script: 'startup',
    machine: m,
    sections: [
      {
        id: 'startup',
        caption: `start-up, process start to exit, ${args.runs} interleaved runs after one warm-up round; median (min-max) ms`,
        rows,
      },
    ],
  });
} finally {
  sb.cleanup();
}
