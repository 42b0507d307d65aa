#!/usr/bin/env node
// The CLI is the bundle scripts/build.mjs writes (src/main.ts): one path for every command.
// CommonJS (bin/package.json), like the bundle: Node 20's ESM loader costs ~4 ms more per start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/**
 * V8 code cache for the bundle's files (issue 16: compiling them was ~5 ms of every start; Node 20
 * has no module.enableCompileCache). Each dist/ file is compiled with the cache V8 made of it on an
 * earlier run, if any, and the cache of a file compiled without one is written at exit, into
 * dist/.v8-cache/. The name holds the build (dist/package.json, written by the build), the Node
 * version and the architecture, so a rebuild or another Node never reads a stale cache; V8 itself
 * rejects one made under other flags. Read-only folder (a global install owned by root), missing
 * or broken cache: the file compiles as usual and nothing is written. Nothing outside dist/.
 */
function useCodeCache(dist) {
  let tag;
  try {
    tag = `${JSON.parse(fs.readFileSync(path.join(dist, 'package.json'), 'utf8')).build}.${process.version}-${process.arch}`;
  } catch {
    return;
  }
  const dir = path.join(dist, '.v8-cache');
  const toWrite = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (path.dirname(filename) !== dist || !filename.endsWith('.js')) return compile.call(this, content, filename);
    const file = path.join(dir, `${path.basename(filename, '.js')}.${tag}.bin`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) {
      if (toWrite.length === 0) process.once('exit', write);
      toWrite.push({ file, script });
    }
    const mod = this;
    const req = (id) => mod.require(id);
    req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    req.main = require.main;
    req.cache = Module._cache;
    return script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, req, mod, filename, dist);
  };
  // At exit, after the command ran: the cache then holds the functions it compiled on the way.
  function write() {
    for (const { file, script } of toWrite) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file);
      } catch {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          // nothing to tidy
        }
      }
    }
  }
}

/**
 * The bundle's pieces require each other as './<name>.js' beside themselves. Node's resolver
 * would stat each candidate and walk its path for symlinks (realpath) first: ~0.1 ms a piece,
 * and a command loads up to twenty (issue 16). A piece of dist/ names a file of dist/, and dist/
 * here is already a real path (Node resolved this file's own path), so the path is joined.
 * Anything else (Node's own modules, a name with a folder) goes to Node's resolver as before.
 */
function resolvePiecesDirectly(dist) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (parent && typeof parent.filename === 'string' && request.startsWith('./') && request.endsWith('.js') && !request.includes('/', 2) && path.dirname(parent.filename) === dist) {
      return path.join(dist, request.slice(2));
    }
    return resolve.call(this, request, parent, ...rest);
  };
}

const dist = path.join(__dirname, '..', 'dist');
resolvePiecesDirectly(dist);
useCodeCache(dist);
require(path.join(dist, 'main.js'));
