/**
 * Preload (`NODE_OPTIONS=--require <this file>`) for __tests__/e2e/startup-path.test.ts: writes to
 * $CP_LOAD_LOG, in order, one line per piece of dist/ the CLI loads (`load NAME.js`) and, once,
 * the moment it reaches its work (`work read|spawn|request ...`): its first read under
 * $CODEX_HOME, its first child process or its first HTTP request. Nothing in the product is
 * instrumented; node:http and node:child_process are patched when the program first loads them.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const log = process.env.CP_LOAD_LOG;
const home = path.resolve(process.env.CODEX_HOME || '.');
let working = false;
const note = (line) => fs.appendFileSync(log, `${line}\n`);
const work = (what) => {
  if (working) return;
  working = true;
  note(`work ${what}`);
};

const load = Module.prototype.load;
Module.prototype.load = function (filename) {
  if (path.basename(path.dirname(filename)) === 'dist') note(`load ${path.basename(filename)}`);
  return load.call(this, filename);
};

for (const name of ['open', 'readFile', 'readdir', 'opendir']) {
  const original = fs.promises[name];
  fs.promises[name] = function (file, ...rest) {
    if (path.resolve(String(file)).startsWith(home + path.sep) || path.resolve(String(file)) === home) work(`read ${name}`);
    return original.call(this, file, ...rest);
  };
}

const resolveLoad = Module._load;
const patched = new Set();
Module._load = function (request, ...rest) {
  const loaded = resolveLoad.call(this, request, ...rest);
  const id = String(request).replace(/^node:/, '');
  if (!patched.has(id) && (id === 'http' || id === 'child_process')) {
    patched.add(id);
    if (id === 'http') {
      const request0 = loaded.request;
      loaded.request = function (...args) {
        work('request');
        return request0.apply(this, args);
      };
    } else {
      const spawn0 = loaded.ChildProcess.prototype.spawn;
      loaded.ChildProcess.prototype.spawn = function (...args) {
        work('spawn');
        return spawn0.apply(this, args);
      };
    }
  }
  return loaded;
};
