/**
 * Preload for bench/startup.mjs (`node --require bench/mark.cjs ...`): marks the moment a command
 * reaches its own work, without any instrumentation in the product. Written to the file
 * $CP_BENCH_MARK_FILE, once, as `<what> <hrtime ns>`, at the first of:
 * - a read of anything under $CODEX_HOME (readFile, readdir, opendir, open, createReadStream; a
 *   mere existence check such as the journal's fs.access is not a read);
 * - a child process started (child_process spawn/execFile and their sync forms all go through
 *   ChildProcess.prototype.spawn or spawnSync).
 * process.hrtime is the system's monotonic clock (CLOCK_MONOTONIC on Linux, QueryPerformanceCounter
 * on Windows), the same in every process, so the bench subtracts the time it spawned the process.
 * The baseline (`node -e 0`) loads this file too, so its cost is on both sides; it is kept small
 * (the cost is added to both sides of the ratio and would pull it towards 1): node:child_process
 * and node:fs/promises are patched when the program first loads them (require or
 * process.getBuiltinModule), never loaded here.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const out = process.env.CP_BENCH_MARK_FILE;
const home = process.env.CODEX_HOME ? path.resolve(process.env.CODEX_HOME) : undefined;
let marked = false;

function mark(what) {
  if (marked) return;
  marked = true;
  const at = process.hrtime.bigint();
  try {
    fs.writeFileSync(out, `${what} ${at}\n`);
  } catch {
    // the bench reports a missing mark
  }
}

const under = (p) => {
  if (home === undefined || (typeof p !== 'string' && !(p instanceof URL) && !Buffer.isBuffer(p))) return false;
  const abs = path.resolve(p instanceof URL ? p.pathname : String(p));
  return abs === home || abs.startsWith(home + path.sep);
};

function wrap(obj, name, what) {
  const original = obj[name];
  if (typeof original !== 'function') return;
  obj[name] = function (...args) {
    if (!marked && under(args[0])) mark(`${what} ${name}`);
    return original.apply(this, args);
  };
}

const READS = ['readFile', 'readdir', 'opendir', 'open'];
const patched = new Set();

function patchPromises(promises) {
  if (patched.has('promises')) return;
  patched.add('promises');
  for (const name of READS) wrap(promises, name, 'read');
}

function patchChildProcess(cp) {
  if (patched.has('child_process')) return;
  patched.add('child_process');
  const spawn = cp.ChildProcess.prototype.spawn;
  cp.ChildProcess.prototype.spawn = function (options) {
    mark(`spawn ${options && options.file}`);
    return spawn.call(this, options);
  };
  const spawnSync = cp.spawnSync;
  cp.spawnSync = function (...args) {
    mark(`spawn ${args[0]}`);
    return spawnSync.apply(this, args);
  };
}

if (out) {
  for (const name of READS) {
    wrap(fs, name, 'read');
    wrap(fs, `${name}Sync`, 'read');
  }
  wrap(fs, 'createReadStream', 'read');
  const promises = Object.getOwnPropertyDescriptor(fs, 'promises');
  Object.defineProperty(fs, 'promises', {
    ...promises,
    get() {
      const p = promises.get.call(this);
      patchPromises(p);
      return p;
    },
  });
  require('./on-builtin.cjs')({ 'fs/promises': patchPromises, child_process: patchChildProcess });
}
