/**
 * For the bench's preloads (bench/mark.cjs, bench/add-trace-preload.mjs): calls `patch[name]`
 * with Node's built-in module `name` once, when the program first takes it, by `require`/`import`
 * or by process.getBuiltinModule (how the CLI takes node:net and node:child_process: on first
 * use). The preload never loads the module itself, so its cost stays in the program's own steps.
 */
'use strict';
const Module = require('node:module');

module.exports = function onBuiltin(patch) {
  const taken = (request, loaded) => {
    const id = typeof request === 'string' && request.startsWith('node:') ? request.slice(5) : request;
    if (Object.hasOwn(patch, id)) {
      const apply = patch[id];
      delete patch[id];
      apply(loaded);
    }
    return loaded;
  };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return taken(request, load.call(this, request, ...rest));
  };
  const getBuiltin = process.getBuiltinModule;
  if (typeof getBuiltin === 'function') process.getBuiltinModule = (id) => taken(id, getBuiltin.call(process, id));
};
