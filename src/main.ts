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
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
}

// Node makes process.stdout and process.stderr on first use (a stream, and node:net or node:tty
// behind it: ~1.5 ms), and most commands reach their work before writing anything (issue 16).
// So the handler goes on when a stream is first asked for: every write, console.log's included,
// asks process.stdout/stderr for it, so none can happen before its stream has the handler.
for (const name of ['stdout', 'stderr'] as const) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  if (own?.get === undefined || !own.configurable) {
    quietOnClosedPipe(process[name]);
    continue;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      const stream = own.get!.call(process) as NodeJS.WriteStream;
      Object.defineProperty(process, name, own);
      quietOnClosedPipe(stream);
      return stream;
    },
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
