#!/usr/bin/env node
/**
 * Start-up (issue 8): `codex-profiles --help` and `list --json` with 20 profiles, process start
 * to exit, against `node -e 0` measured in the same run (interleaved: every round runs each
 * command once, so load from other processes hits them alike). Target: at most 1.5x.
 *
 *   node bench/startup.mjs [--runs N] [--json|--markdown] [--root DIR]
 *
 * Runs the built CLI (bin/ + dist/; `npm run build` first) in a temporary home.
 */
import { emit, interleave, machine, makeSandbox, parseArgs, requireBuilt, row, runNode, stats, writeListHome } from './lib.mjs';

const args = parseArgs(process.argv.slice(2), { runs: 21 });
const { bin } = requireBuilt(args.root);
const m = machine();

const sb = makeSandbox('cp-bench-startup-');
try {
  writeListHome(sb.codexHome);
  const scenarios = [
    { name: 'node -e 0', run: () => runNode(['-e', '0'], { env: sb.env }).then((r) => r.ms) },
    { name: 'codex-profiles --help', run: () => runNode([bin, '--help'], { env: sb.env }).then((r) => r.ms) },
    { name: 'codex-profiles --version', run: () => runNode([bin, '--version'], { env: sb.env }).then((r) => r.ms) },
    {
      name: 'codex-profiles list --json (20 profiles)',
      run: () =>
        runNode([bin, 'list', '--json'], { env: sb.env }).then((r) => {
          const n = JSON.parse(r.stdout).profiles.length;
          if (n !== 20) throw new Error(`list --json saw ${n} profiles`);
          return r.ms;
        }),
    },
  ];
  const samples = await interleave(scenarios, args.runs);
  const base = stats(samples['node -e 0']);
  const rows = scenarios.map((s) => {
    const v = stats(samples[s.name]);
    return row(s.name, v, 'ms', v.median / base.median, s.name === 'node -e 0' ? 'itself' : '`node -e 0`', { target: s.name === 'node -e 0' || s.name.includes('--version') ? undefined : 1.5 });
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
