/**
 * The floor for bench/startup.mjs (issue 16): the parts every codex-profiles command starts with
 * and nothing of its own. yargs (with scripts/build.mjs's edits), bundled and started by a copy
 * of bin/codex-profiles.js with its V8 code cache, one command that sends one HTTP request (the
 * fake Ollama's model list), and a version. A command of ours cannot start faster than this.
 */
import http from 'node:http';
import yargs from 'yargs';

void yargs(process.argv.slice(2))
  .scriptName('floor')
  .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' })
  .command(
    'models',
    'Ask one server for its models',
    (y) => y.option('url', { type: 'string', demandOption: true, describe: 'Server' }),
    (argv) => {
      http.get(`${argv.url}/api/tags`, (res) => res.resume());
    },
  )
  .demandCommand(1)
  .strict()
  .help()
  .version('1.0.0')
  .wrap(100)
  .parseAsync();
