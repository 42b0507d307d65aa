#!/usr/bin/env node
// Start-up (issue 8, docs/performance.md): loading yargs costs several times Node's own start, so
// the most common trivial invocations skip it. Help and the version come from dist/help.json
// (rendered with the real parser by scripts/render-help.mjs at build time), for exactly
// `--help`, `-h`, `--version`, `-v`, `COMMAND --help` and `COMMAND -h`; `list` with only --json,
// --no-color and --codex-home runs the command directly (dist/fast-list.js). Anything else, a
// missing or unreadable help.json, or CODEX_PROFILES_NO_FAST_PATH=1: yargs, through main().
//
// CommonJS (bin/package.json): an ES module as the entry point starts Node's ES module loader
// first, which costs about a quarter of Node's own start; the help needs none of it.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
const fast = !process.env.CODEX_PROFILES_NO_FAST_PATH;

// A reader that stops early (`| head -1`) closes the pipe, and the next write fails with EPIPE,
// which Node raises as an unhandled 'error' (a stack trace). Both paths (fast and yargs) write
// through these streams, so this is the one place: end at once, quietly, exit 0 (the reader had
// what it wanted). process.exit runs the 'exit' hook of src/codex/process.ts, which kills any
// codex process group still running.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED')) process.exit(0);
    throw err;
  });
}

/** What yargs would print for `args`, when help.json has it; undefined otherwise. */
function cached(args) {
  const help = args.length === 1 && (args[0] === '--help' || args[0] === '-h');
  const commandHelp = args.length === 2 && (args[1] === '--help' || args[1] === '-h');
  const version = args.length === 1 && (args[0] === '--version' || args[0] === '-v');
  if (!help && !commandHelp && !version) return undefined;
  if (!version) {
    // yargs translates its help for the locale these name (as yargs reads them); the cache is English.
    const env = process.env;
    const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || 'en_US').replace(/[.:].*/, '');
    if (!/^(en|en_[A-Za-z]+|C|POSIX)$/.test(locale)) return undefined;
  }
  let cache;
  try {
    cache = JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'help.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (version) return typeof cache?.version === 'string' ? cache.version : undefined;
  // The width yargs wraps at (helpWidth in src/cli.ts).
  const atWidth = cache?.help?.[String(Math.min(110, process.stdout.columns || 100))];
  const text = help ? atWidth?.top : atWidth?.commands && Object.hasOwn(atWidth.commands, args[0]) ? atWidth.commands[args[0]] : undefined;
  return typeof text === 'string' ? text : undefined;
}

async function run() {
  if (fast) {
    const text = cached(args);
    if (text !== undefined) {
      process.stdout.write(text);
      return 0;
    }
    if (args[0] === 'list') {
      const { runFastList } = await import('../dist/fast-list.js');
      const code = await runFastList(args);
      if (code !== undefined) return code;
    }
  }
  const { main } = await import('../dist/cli.js');
  return main(args);
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`codex-profiles: ${err?.stack ?? err}\n`);
    process.exitCode = 2;
  },
);
