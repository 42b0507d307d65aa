/**
 * The process entry: what `codex-profiles` runs, bundled by scripts/build.mjs into dist/ (npm)
 * and into the standalone executable (scripts/build-sea.mjs). Everything goes through main():
 * there is one parser and one path for help, the version and every command.
 */
import { main } from './cli.js';

// A reader that stops early (`| head -1`) closes the pipe, and the next write fails with EPIPE,
// which Node raises as an unhandled 'error' (a stack trace). End at once, quietly, exit 0 (the
// reader had what it wanted). process.exit runs the 'exit' hook of src/codex/process.ts, which
// kills any codex process group still running.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`codex-profiles: ${(err as Error | undefined)?.stack ?? String(err)}\n`);
    process.exitCode = 2;
  },
);
