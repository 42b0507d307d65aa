#!/usr/bin/env node
/**
 * Builds what runs (issue 16, docs/architecture.md "Build and dependencies"), with esbuild:
 *
 * - dist/: the shipped CLI. src/main.ts bundled with every library (the package has no runtime
 *   dependencies), split and minified, each piece CommonJS: dist/main.js holds yargs and the thin
 *   command files; each `await import('../run/<command>.js')` in src/commands/ becomes a chunk
 *   loaded only when that command runs, so a new command needs no entry here. dist/locales/:
 *   yargs' own translations (the bundle's yargs looks for them beside itself). bin/ compiles the
 *   pieces with a V8 code cache it keeps in dist/.v8-cache/ (not shipped, not in the stamp).
 * - lib/: src/ file by file, not bundled (bench/ imports single modules from it); not shipped.
 *
 * No type checking here (`npm run typecheck`). Templates and the version are baked into the
 * bundle (src/version.ts BUILD). buildBundle() is also used by scripts/build-sea.mjs, and by
 * bench/startup.mjs for its floor (bench/floor/main.mjs: the same yargs, edits and loader, no
 * command of ours). `--metafile FILE` writes esbuild's account of what went into each piece.
 *
 * `--if-stale` (npm's `prepare`, `npm test`): skip when dist/ and lib/ were built from exactly the
 * current inputs and have not been touched since, so that a second `npm install` does not
 * rebuild. The stamp (dist/.build-stamp) holds a hash of the inputs and of every file written.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const LIB = path.join(ROOT, 'lib');
const STAMP = path.join(DIST, '.build-stamp');
const INPUTS = ['src', 'templates', 'tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/string-width-ascii.mjs'];

/** Every file under `rel` (or `rel` itself), as paths relative to ROOT with `/`, sorted. */
function files(rel) {
  const abs = path.join(ROOT, rel);
  let st;
  try {
    st = fs.statSync(abs);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [rel.split(path.sep).join('/')];
  return fs
    .readdirSync(abs)
    .sort()
    .flatMap((name) => files(path.join(rel, name)));
}

function hashOf(list) {
  const h = createHash('sha256');
  for (const rel of list) h.update(`${rel}\0`).update(fs.readFileSync(path.join(ROOT, rel))).update('\0');
  return h.digest('hex');
}

const inputHash = () => hashOf(INPUTS.flatMap(files));
const outputHash = () => hashOf([...files('dist'), ...files('lib')].filter((f) => f !== 'dist/.build-stamp' && !f.startsWith('dist/.v8-cache/')));

function upToDate() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    return stamp.inputs === inputHash() && stamp.outputs === outputHash();
  } catch {
    return false;
  }
}

/** src/version.ts BuildInfo for this checkout. */
function buildInfo(layout) {
  const templates = {};
  for (const name of fs.readdirSync(path.join(ROOT, 'templates')).sort()) {
    if (name.endsWith('.toml')) templates[name.slice(0, -'.toml'.length)] = fs.readFileSync(path.join(ROOT, 'templates', name), 'utf8');
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return { version, templates, layout };
}

const ASSERTS = `const strictEqual = (a, b, m) => { if (a !== b) throw new Error(m ?? 'assertion failed') };
const notStrictEqual = (a, b, m) => { if (a === b) throw new Error(m ?? 'assertion failed') };`;

/**
 * Edits to yargs' own files (and chalk's, at the end) as they go into the bundle (`keep yargs`:
 * the parser is the same; these only change where it looks for files and what it does before a
 * command's work):
 * - its ESM platform shim finds its translations and its "main" package.json from its own file
 *   (node_modules/yargs/lib/platform-shims/esm.mjs). Bundled, its file is a file of dist/ (or
 *   none, in the standalone executable): translations in dist/locales/, package.json one up;
 * - it guesses its --version from the package.json above it, which src/cli.ts replaces;
 * - its help layout (wrap-ansi) copies lines without colour codes character by character;
 * - it renders the running command's whole help before the command's work, in case the handler
 *   calls showHelp() later (command.js cacheHelpMessage): ~6 ms of every command (node
 *   --cpu-prof). No handler here does (src/commands/shared.ts handle() passes argv only), and
 *   yargs renders help on demand all the same.
 */
const YARGS_EDITS = [
  {
    file: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    swaps: [
      ["const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));", 'const mainFilename = dirname(dirname(__dirname));'],
      ["resolve(__dirname, '../../../locales')", "resolve(__dirname, '../locales')"],
      // node:assert (and what it loads) for two checks yargs makes: ~2 ms of every start.
      ["import { notStrictEqual, strictEqual } from 'assert'", 'ASSERTS'],
      // It read process.stdout.columns as it loaded, which makes the stdout stream (~1 ms of every
      // start, issue 16); only help's layout needs it, so it is read when asked for.
      ['stdColumns: typeof process.stdout.columns', 'get stdColumns() { return typeof process.stdout.columns'],
      ["process.stdout.columns : null\n", "process.stdout.columns : null }\n"],
    ],
  },
  {
    // The help width from src/cli.ts may be a function, called when help is laid out: the width
    // depends on the terminal (process.stdout), which a command that prints no help never makes.
    file: /[\\/]yargs[\\/]build[\\/]lib[\\/]usage\.js$/,
    swaps: [['        return wrap;\n', "        if (typeof wrap === 'function') wrap = wrap();\n        return wrap;\n"]],
  },
  {
    // Every yargs() registers a default --version whose text it guesses by finding and parsing
    // the package.json above its own file (a directory listing and a read, ~2-4 ms of every
    // start, strace). src/cli.ts gives .version(VERSION) at once, which replaces it: the guess
    // was never shown.
    file: /[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/,
    imports: [{ name: 'writeStdout as __cpWriteStdout', from: 'system/stdout.ts' }],
    swaps: [
      ['yargs.version();', "yargs.version('unknown');"],
      // console.log's first call asks whether stderr is a terminal (Node's internal/util/colors),
      // which makes the stderr stream (~0.7 ms of --help and --version), and it writes through
      // process.stdout, a stream made on first use (~1.5-2 ms). One string, the only thing yargs
      // prints (help, version, completion script), goes to src/system/stdout.ts instead.
      [
        '                if (!this[kHasParseCallback]())\n                    console.log(...args);',
        "                if (!this[kHasParseCallback]())\n                    if (args.length === 1 && typeof args[0] === 'string') __cpWriteStdout(args[0] + '\\n');\n                    else console.log(...args);",
      ],
      ["argsert('<number|null|undefined>', [cols], arguments.length);", "argsert('<number|function|null|undefined>', [cols], arguments.length);"],
    ],
  },
  {
    // wrap-ansi (cliui's, for yargs' help) copies every wrapped line again character by character
    // to carry colour codes across line breaks: ~3 ms of `add --help`. A line with no escape
    // character comes out of that loop exactly as it went in, so it is returned as it is.
    file: /[\\/]wrap-ansi[\\/]index\.js$/,
    swaps: [['\tconst pre = [...preString];', "\tif (!preString.includes('\\u001B') && !preString.includes('\\u009B')) return preString;\n\tconst pre = [...preString];"]],
  },
  {
    // yargs checks the types of the arguments of each of its own methods our code calls (a
    // programming mistake, never the user's input): it parses a type string per call, ~0.5 ms of
    // every start (node --cpu-prof). src/cli.ts is type-checked against yargs' types instead.
    file: /[\\/]yargs[\\/]build[\\/]lib[\\/]argsert\.js$/,
    swaps: [['export function argsert(arg1, arg2, arg3) {\n', 'export function argsert(arg1, arg2, arg3) {\n    return;\n']],
  },
  {
    // Before exiting after help or --version, yargs sets terminal stdout and stderr blocking, which
    // makes both streams (stderr ~0.7 ms, though nothing is written to it). It only ever asks for
    // blocking, and Node's tty.WriteStream makes its handle blocking when it is made (lib/tty.js),
    // so for `true` there is nothing left to do.
    file: /[\\/]yargs[\\/]build[\\/]lib[\\/]utils[\\/]set-blocking\.js$/,
    swaps: [["    if (typeof process === 'undefined')\n        return;", "    if (typeof process === 'undefined' || blocking)\n        return;"]],
  },
  {
    file: /[\\/]yargs[\\/]build[\\/]lib[\\/]command\.js$/,
    swaps: [['yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();', '']],
  },
  // chalk asked whether stdout and stderr are terminals as it loaded: node:tty, and node:net
  // behind it, ~1.5 ms before every command's work (issue 16). It now asks when its colour level
  // is first read, which is when text is first coloured or printed; the answer is the same
  // (supports-color's own test, with the same environment and arguments). src/ui/output.ts sets
  // the level to 0 for --no-color and NO_COLOR before that, and then nothing is asked at all.
  {
    file: /[\\/]chalk[\\/]source[\\/]vendor[\\/]supports-color[\\/]index\.js$/,
    swaps: [
      ["import tty from 'node:tty';\n", ''],
      // The global process: a first require of a built-in module from a file costs ~0.3-0.6 ms.
      ["import process from 'node:process';\n", ''],
      [
        '\tstdout: createSupportsColor({isTTY: tty.isatty(1)}),\n\tstderr: createSupportsColor({isTTY: tty.isatty(2)}),\n',
        "\tget stdout() { const v = createSupportsColor({isTTY: process.getBuiltinModule('node:tty').isatty(1)}); Object.defineProperty(this, 'stdout', {value: v}); return v; },\n" +
          "\tget stderr() { const v = createSupportsColor({isTTY: process.getBuiltinModule('node:tty').isatty(2)}); Object.defineProperty(this, 'stderr', {value: v}); return v; },\n",
      ],
    ],
  },
  {
    file: /[\\/]chalk[\\/]source[\\/]index\.js$/,
    swaps: [
      ['const {stdout: stdoutColor, stderr: stderrColor} = supportsColor;\n', ''],
      [
        '\tconst colorLevel = stdoutColor ? stdoutColor.level : 0;\n\tobject.level = options.level === undefined ? colorLevel : options.level;\n',
        '\tif (options.level !== undefined) { object.level = options.level; return; }\n' +
          "\tlet level;\n\tObject.defineProperty(object, 'level', {enumerable: true, configurable: true, get() { if (level === undefined) level = supportsColor.stdout ? supportsColor.stdout.level : 0; return level; }, set(value) { level = value; }});\n",
      ],
      // Unused here (an import of them would fail the build): made at load, they asked about stderr.
      ['export const chalkStderr = createChalk({level: stderrColor ? stderrColor.level : 0});\n', ''],
      ['\tstdoutColor as supportsColor,\n\tstderrColor as supportsColorStderr,\n', ''],
    ],
  },
];

const yargsEdits = {
  name: 'yargs-edits',
  setup(build) {
    for (const { file, swaps, imports = [] } of YARGS_EDITS) {
      build.onLoad({ filter: file }, async (args) => {
        let text = await fs.promises.readFile(args.path, 'utf8');
        for (const [from, to] of swaps) {
          if (!text.includes(from)) throw new Error(`scripts/build.mjs: yargs' ${args.path} changed; no "${from}"`);
          text = text.replace(from, to === 'ASSERTS' ? ASSERTS : to);
        }
        // Our own modules an edit calls: `name` from src/`from`, bundled like any other import.
        for (const { name, from } of imports) text = `import { ${name} } from ${JSON.stringify(path.join(ROOT, 'src', from))};\n${text}`;
        return { contents: text, loader: 'js' };
      });
    }
  },
};

/**
 * The bundle of src/main.ts. `npm`: CommonJS chunks in `outdir` (dist/). `sea`: one CommonJS file
 * `outfile` (a single executable runs one CommonJS script; the lazy pieces are then functions
 * inside it, still evaluated only when their command runs).
 */
export async function buildBundle({ layout, outdir, outfile, minify = true, entry = path.join(ROOT, 'src', 'main.ts') }) {
  const common = {
    entryPoints: { main: entry },
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify,
    legalComments: 'none',
    // import.meta.url: CommonJS has none; each layout's banner sets __cpMetaUrl to its file's URL
    // (the piece's own in dist/, the executable's in the standalone one).
    define: { __CODEX_PROFILES_BUILD__: JSON.stringify(buildInfo(layout)), 'import.meta.url': '__cpMetaUrl' },
    plugins: [yargsEdits],
    // string-width (yargs' help layout) builds an Intl.Segmenter and an RGI_Emoji regular expression
    // as it loads and segments every string it measures: ~40 ms of `--help` (node --cpu-prof).
    // fast-string-width gives the same widths for terminal text in a fraction of that, and
    // scripts/string-width-ascii.mjs answers printable ASCII (nearly all of it) by its length.
    alias: { 'string-width': path.join(ROOT, 'scripts', 'string-width-ascii.mjs') },
    logLevel: 'warning',
    // esbuild says so when a CommonJS library reads import.meta; the shim above covers the one that matters.
    logOverride: { 'empty-import-meta': 'silent' },
  };
  if (layout === 'sea') {
    // Libraries (yargs-parser, yargs) compute paths from import.meta.url, which CommonJS lacks:
    // the executable's own path stands in (they find no file beside it and go without).
    return esbuild.build({
      ...common,
      format: 'cjs',
      // A single executable has no dynamic import() callback: every import() must be a require().
      supported: { 'dynamic-import': false },
      outfile,
      entryPoints: [entry],
      banner: { js: "var __cpMetaUrl=require('node:url').pathToFileURL(process.execPath).href;" },
    });
  }
  // esbuild splits only ESM: split as ESM in memory, then turn each piece into CommonJS (Node 20's
  // CommonJS loader starts ~4 ms sooner than its ESM loader, and a CommonJS file can be compiled
  // from bin/'s V8 code cache). `import()` of a chunk becomes a require() run when it is reached,
  // so runners stay lazy. import.meta.url: each file's own (the banner), as the ESM chunks had.
  const result = await esbuild.build({
    ...common,
    format: 'esm',
    splitting: true,
    outdir,
    write: false,
    chunkNames: '[name]-[hash]',
    // What went into each piece: dist/.pieces.json (below), and `--metafile FILE`, esbuild's own.
    metafile: true,
  });
  fs.mkdirSync(outdir, { recursive: true });
  // Which source files each piece holds (not shipped): __tests__/e2e/startup-path.test.ts reads it
  // to keep what a command loads before its work from growing unnoticed (issue 16).
  const pieces = {};
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    pieces[path.basename(file)] = Object.keys(out.inputs).map((i) => i.replace(/^.*node_modules\//, 'node_modules/'));
  }
  fs.writeFileSync(path.join(outdir, '.pieces.json'), JSON.stringify(pieces, null, 1) + '\n');
  const build = createHash('sha256');
  for (const out of result.outputFiles) {
    const cjs = await esbuild.transform(out.text, { format: 'cjs', platform: 'node', target: 'node20', minify, supported: { 'dynamic-import': false }, logLevel: 'warning' });
    const banner = cjs.code.includes('__cpMetaUrl') ? "var __cpMetaUrl=require('node:url').pathToFileURL(__filename).href;" : '';
    fs.writeFileSync(out.path, banner + cjs.code);
    build.update(path.basename(out.path)).update(banner + cjs.code);
  }
  // A "type" boundary: dist/*.js are CommonJS in an ESM package. `build` names this build for
  // bin/'s code cache.
  fs.writeFileSync(path.join(outdir, 'package.json'), JSON.stringify({ type: 'commonjs', build: build.digest('hex').slice(0, 16) }) + '\n');
  const locales = path.join(ROOT, 'node_modules', 'yargs', 'locales');
  fs.cpSync(locales, path.join(outdir, 'locales'), { recursive: true });
  return result;
}

/** src/ file by file into lib/ (same depth below the root as src/, so relative paths hold). */
async function buildModules() {
  await esbuild.build({
    entryPoints: files('src').filter((f) => f.endsWith('.ts')),
    outbase: 'src',
    outdir: LIB,
    absWorkingDir: ROOT,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
  });
}

async function build() {
  fs.rmSync(DIST, { recursive: true, force: true });
  fs.rmSync(LIB, { recursive: true, force: true });
  const inputs = inputHash();
  const at = process.argv.indexOf('--metafile');
  const [bundle] = await Promise.all([buildBundle({ layout: 'npm', outdir: DIST }), buildModules()]);
  if (at > 0) fs.writeFileSync(path.resolve(process.argv[at + 1]), JSON.stringify(bundle.metafile));
  // The inputs as they were when the build started: an edit during the build rebuilds next time.
  fs.writeFileSync(STAMP, JSON.stringify({ inputs, outputs: outputHash() }) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--if-stale') && upToDate()) {
    console.error('dist/ is up to date with src/ (scripts/build.mjs): not rebuilt.');
  } else {
    await build();
  }
}
