/**
 * Preload (`NODE_OPTIONS=--require <this file>`) that writes to $CP_ORDER_LOG, one line each and in
 * the order they happen, the HTTP requests a CLI process creates and the files under
 * $CODEX_HOME it opens or reads. Nothing in the product is instrumented: node:http is patched
 * when the program first loads it, like bench/mark.cjs does.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const log = process.env.CP_ORDER_LOG;
const home = path.resolve(process.env.CODEX_HOME || '.');
const note = (line) => fs.appendFileSync(log, `${line}\n`);

for (const name of ['open', 'readFile']) {
  const original = fs.promises[name];
  fs.promises[name] = function (file, ...rest) {
    const abs = path.resolve(String(file));
    if (abs.startsWith(home + path.sep)) note(`read ${path.relative(home, abs)}`);
    return original.call(this, file, ...rest);
  };
}

const load = Module._load;
let patched = false;
Module._load = function (request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  if (!patched && (request === 'node:http' || request === 'http')) {
    patched = true;
    const request0 = loaded.request;
    loaded.request = function (url, ...more) {
      note(`request ${typeof url === 'string' ? new URL(url).pathname : url.pathname ?? url.path}`);
      return request0.call(this, url, ...more);
    };
  }
  return loaded;
};
