/**
 * Loaded with `node --import` by bench/editing.mjs (the `add` breakdown, issue 16): watches one
 * `codex-profiles add` from outside its code and, on exit, writes to $CP_BENCH_TRACE_FILE when
 * each step began (ms since this preload ran, which is when Node is ready to run a script):
 *
 * - `read`: config.toml first opened (the runner has loaded and starts its work);
 * - `write`: CODEX_HOME first made sure of (applyChanges begins: lock, backup, journal);
 * - `replaced`: a temporary file renamed over config.toml (the write is done);
 * - `exit`: the process's 'exit' event;
 *
 * with what happened in between: the HTTP requests (count; first sent to last closed), the
 * processes started (count), the fsync calls (count, ms waited) and the file system calls made
 * while writing. Only fs/promises, http and child_process are wrapped (the modules the CLI uses
 * for these, whose functions it looks up at call time), so the CLI runs its own code unchanged.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import onBuiltin from './on-builtin.cjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const out = process.env.CP_BENCH_TRACE_FILE;
const home = process.env.CODEX_HOME;
if (out && home) {
  delete process.env.CP_BENCH_TRACE_FILE;
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const config = path.join(home, 'config.toml');
  const trace = { read: undefined, write: undefined, replaced: undefined, exit: undefined, http: { count: 0, first: undefined, last: undefined }, spawns: 0, fsync: { count: 0, ms: 0 }, writeCalls: 0 };
  const writing = () => trace.write !== undefined && trace.replaced === undefined;

  // Every fs/promises call while writing is counted; a few mark the steps above.
  for (const name of ['access', 'chmod', 'lstat', 'mkdir', 'open', 'readdir', 'readFile', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'unlink', 'utimes', 'writeFile']) {
    const orig = fsp[name];
    fsp[name] = function (...args) {
      if (writing()) trace.writeCalls++;
      if (name === 'open' && args[0] === config) trace.read ??= now();
      if (name === 'mkdir' && args[0] === home) trace.write ??= now();
      if (name === 'rename' && args[1] === config && trace.write !== undefined) trace.replaced ??= now();
      return orig.apply(this, args);
    };
  }
  // FileHandle is not exported: take its prototype from a handle of this very file.
  const handle = await fsp.open(fileURLToPath(import.meta.url), 'r');
  const proto = Object.getPrototypeOf(handle);
  await handle.close();
  for (const name of ['write', 'chmod', 'chown', 'close', 'readFile', 'read', 'stat']) {
    const orig = proto[name];
    proto[name] = function (...args) {
      if (writing()) trace.writeCalls++;
      return orig.apply(this, args);
    };
  }
  const sync = proto.sync;
  proto.sync = async function (...args) {
    if (writing()) trace.writeCalls++;
    const s = performance.now();
    try {
      return await sync.apply(this, args);
    } finally {
      trace.fsync.count++;
      trace.fsync.ms += performance.now() - s;
    }
  };

  // node:http and node:child_process are wrapped when the CLI first requires them, not loaded
  // here: loading them (node:net with http, some ms) stays in the CLI's own steps.
  const patch = {
    http(http) {
      const request = http.request;
      http.request = function (...args) {
        trace.http.count++;
        trace.http.first ??= now();
        const req = request.apply(this, args);
        req.once('close', () => (trace.http.last = now()));
        return req;
      };
    },
    child_process({ ChildProcess }) {
      const spawn = ChildProcess.prototype.spawn;
      ChildProcess.prototype.spawn = function (...args) {
        trace.spawns++;
        return spawn.apply(this, args);
      };
    },
  };
  // By require or by process.getBuiltinModule (how the CLI takes node:child_process for codex).
  onBuiltin(patch);

  process.on('exit', () => {
    trace.exit = now();
    fs.writeFileSync(out, JSON.stringify(trace));
  });
}
