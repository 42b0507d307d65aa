#!/usr/bin/env node
/**
 * Writes dist/help.json (run by `npm run build`, after tsc): what yargs prints for `--help`,
 * `COMMAND --help` (every command and alias) and `--version`, rendered with the real parser
 * (buildParser from dist/cli.js) so bin/codex-profiles.js can answer those few exact forms
 * without loading yargs (issue 8: start-up).
 *
 * yargs wraps help at helpWidth() (the terminal's width, at most 110; 100 when stdout is not a
 * terminal) and translates it for the locale in LC_ALL / LC_MESSAGES / LANG / LANGUAGE. The help
 * is rendered at the WIDTHS below with no locale set (English); bin serves it only at those
 * widths and for English locales, and leaves everything else to yargs.
 * __tests__/e2e/fast-path.test.ts checks every entry against what yargs prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
/** Not a terminal (100), a wide terminal (110: helpWidth's cap), the classic 80 columns. */
const WIDTHS = [80, 100, 110];

// Render as a user with no locale configured sees it (yargs then uses en_US).
for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE']) delete process.env[name];

const { buildParser } = await import(path.join(DIST, 'cli.js'));
const { commands } = await import(path.join(DIST, 'commands', 'index.js'));

/** What yargs prints for `args` (it prints with console.log: the output plus a newline). */
function render(args, width) {
  return new Promise((resolve, reject) => {
    buildParser(args, width).parse(args, {}, (err, _argv, output) => {
      if (err) reject(err);
      else if (typeof output !== 'string' || output === '') reject(new Error(`yargs printed nothing for ${args.join(' ')}`));
      else resolve(`${output}\n`);
    });
  });
}

const names = [];
for (const c of commands) {
  names.push(String(c.command).split(' ')[0]);
  for (const alias of [c.aliases ?? []].flat()) names.push(alias);
}

const help = {};
for (const width of WIDTHS) {
  const byCommand = {};
  for (const name of names) byCommand[name] = await render([name, '--help'], width);
  help[width] = { top: await render(['--help'], width), commands: byCommand };
}
const out = {
  about: 'Written by scripts/render-help.mjs (npm run build); served by bin/codex-profiles.js.',
  version: await render(['--version'], 100),
  help,
};
fs.writeFileSync(path.join(DIST, 'help.json'), JSON.stringify(out) + '\n');
