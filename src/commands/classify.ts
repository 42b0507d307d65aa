import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface ClassifyArgs {
  prompt?: string[];
  file?: string;
  redact: boolean;
  'show-mapping': boolean;
}

export const classifyCommand: CommandModule<GlobalArgs, GlobalArgs & ClassifyArgs> = {
  command: 'classify [prompt..]',
  describe: 'Say whether a prompt should stay local or may go to a hosted model, and why',
  builder: (y) =>
    y
      .positional('prompt', {
        type: 'string',
        array: true,
        describe: 'The prompt (quote it; words are joined with spaces; put -- first if it starts with -)',
      })
      .option('file', { type: 'string', requiresArg: true, describe: 'Read the prompt from a file (- for stdin)' })
      .option('redact', {
        type: 'boolean',
        default: false,
        describe: 'Print the prompt with every finding replaced by a placeholder ([EMAIL_1]); the report goes to stderr',
      })
      .option('show-mapping', {
        type: 'boolean',
        default: false,
        describe: 'With --redact: also print which placeholder stands for which original value (contains the secrets)',
      })
      .example('$0 classify "why does this regex backtrack?"', 'hosted: nothing sensitive found')
      .example('$0 classify --file prompt.txt', 'Check a prompt file; each finding as line:col, rule, masked preview')
      .example('git diff | $0 classify --file -', 'Check stdin')
      .example('$0 classify --file prompt.txt --redact > safe.txt', 'Write a redacted copy for a hosted model')
      .example('$0 classify --file prompt.txt --json', 'verdict, reasons and findings as JSON')
      .epilogue(
        'The verdict is information, not a failure: exit 0 for local and hosted alike (read the verdict from --json in scripts); 2 for usage errors.\n' +
          'The rules are listed in docs/routing.md.',
      ),
  handler: handle<ClassifyArgs>(async (argv, ctx) => {
    // Words after `--` (a prompt starting with -) land in argv._ after the command name.
    const words = [...(argv.prompt ?? []), ...argv._.slice(1)].map(String);
    const { runClassify } = await import('../run/classify.js');
    return runClassify(ctx, {
      prompt: words.length > 0 ? words.join(' ') : undefined,
      file: argv.file,
      redact: argv.redact,
      showMapping: argv.showMapping,
    });
  }),
};
