import type { CommandModule } from 'yargs';
import { DURATION_HELP, parseRunTimeout } from '../duration.js';
import { withRunDryRun } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface CompareArgs {
  prompt?: string[];
  file?: string;
  profiles?: string | string[];
  local?: string | string[];
  hosted?: string | string[];
  out?: string;
  timeout?: string;
  'include-hosted': boolean;
  redact: boolean;
}

export const compareCommand: CommandModule<GlobalArgs, GlobalArgs & CompareArgs> = {
  command: 'compare [prompt..]',
  describe: 'Run one prompt through several profiles (codex exec) and diff the answers',
  builder: (y) =>
    withRunDryRun(y)
      .positional('prompt', {
        type: 'string',
        array: true,
        describe: 'The prompt (quote it; words are joined with spaces; put -- first if it starts with -)',
      })
      // Not `array` (here and below): an array option swallows a prompt written after it
      // (`--profiles a,b "the prompt"`, seen by hand); commas or a repeated flag instead.
      .option('profiles', {
        type: 'string',
        requiresArg: true,
        describe: 'Profile names, comma-separated (A,B,C; or repeat the flag); two or more targets in all',
      })
      .option('local', {
        type: 'string',
        requiresArg: true,
        describe: 'A target without a profile (repeatable): ollama:MODEL or lmstudio:MODEL, run as `codex exec --oss --local-provider KIND -m MODEL` (only when the server has MODEL: nothing is downloaded)',
      })
      .option('hosted', {
        type: 'string',
        requiresArg: true,
        describe: 'A target without a profile (repeatable): MODEL, run as `codex exec -m MODEL` (the base config\'s provider; same hosted rules as a hosted profile)',
      })
      .option('file', { type: 'string', requiresArg: true, describe: 'Read the prompt from a file (- for stdin)' })
      .option('out', {
        type: 'string',
        requiresArg: true,
        describe: 'Save NAME.md (each final answer) and compare.json here, never inside the Codex home (default: a new temporary folder, printed)',
      })
      .option('timeout', { type: 'string', requiresArg: true, describe: `Per run, before codex is stopped (${DURATION_HELP}; default 2m)` })
      .option('redact', {
        type: 'boolean',
        default: false,
        describe: 'When the prompt looks sensitive, send hosted profiles a redacted copy (local ones get the original)',
      })
      .option('include-hosted', {
        alias: 'allow-hosted',
        type: 'boolean',
        default: false,
        describe: 'Send the prompt to hosted profiles (without it: asked on a terminal, else not sent); also a prompt that classify marks local, as it is',
      })
      .example('$0 compare "explain this regex" --profiles ollama-qwen,lmstudio-coder', 'Two local models, side by side, with a diff')
      .example('$0 compare --file prompt.txt --profiles local-a,local-b --out answers/', 'Keep the answers in answers/')
      .example('$0 compare "..." --profiles ollama-qwen,hosted --include-hosted --redact', 'A hosted profile gets a redacted copy of a sensitive prompt')
      .example('$0 compare "explain this regex" --local ollama:llama3.2 --hosted gpt-5.2-codex --include-hosted', 'The guide\'s local vs hosted comparison, without profiles')
      .example('$0 compare "..." --profiles a,b --dry-run', 'Show the codex command lines and where the prompt would go; run nothing')
      .example('$0 compare "..." --profiles a,b --json', 'Everything as one JSON document')
      .epilogue(
        'A prompt goes to a hosted profile only with --include-hosted (or a yes on a terminal); with nothing left to run: exit 2.\n' +
          'A prompt that `classify` marks local is not sent to a hosted profile (exit 2) unless --redact or --include-hosted.\n' +
          'Every profile must exist where the installed codex reads -p (NAME.config.toml from 0.134; [profiles.NAME] before).\n' +
          'A --local model must be listed by the server Codex calls (CODEX_OSS_BASE_URL respected); else nothing runs (exit 2).\n' +
          'Exit 0 when every profile answered with its own provider and model, 1 when a run failed, 2 for usage and config errors.\n' +
          'Extra hosted provider ids: CODEX_PROFILES_HOSTED_PROVIDERS=id1,id2. See docs/routing.md.',
      ),
  handler: handle<CompareArgs>(async (argv, ctx) => {
    // Words after `--` (a prompt starting with -) land in argv._ after the command name.
    const words = [...(argv.prompt ?? []), ...argv._.slice(1)].map(String);
    const { runCompare } = await import('../run/compare.js');
    return runCompare(ctx, {
      prompt: words.length > 0 ? words.join(' ') : undefined,
      file: argv.file,
      profiles: [argv.profiles ?? []].flat().map(String),
      local: [argv.local ?? []].flat().map(String),
      hosted: [argv.hosted ?? []].flat().map(String),
      out: argv.out,
      timeoutSeconds: (parseRunTimeout(argv.timeout) ?? 120_000) / 1000,
      allowHosted: argv.includeHosted,
      redact: argv.redact,
    });
  }),
};
