import type { CommandModule } from 'yargs';
import { DURATION_HELP } from '../duration.js';
import { withRunDryRun } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface TestFlags {
  names?: string[];
  all: boolean;
  timeout?: string;
  'include-hosted': boolean;
  tools: boolean;
}

export const testCommand: CommandModule<GlobalArgs, GlobalArgs & TestFlags> = {
  command: 'test [names..]',
  describe: 'Smoke-test profiles: run the real `codex exec` with "Reply with exactly OK" through each',
  builder: (y) =>
    withRunDryRun(y)
      .positional('names', { type: 'string', array: true, describe: 'Profiles to test (see `codex-profiles list`)' })
      .option('all', { type: 'boolean', default: false, describe: 'Test every profile' })
      .option('timeout', { type: 'string', requiresArg: true, describe: `Per profile, before codex is stopped (${DURATION_HELP}; default 2m)` })
      .option('include-hosted', {
        type: 'boolean',
        default: false,
        describe: 'Send the prompt to profiles whose prompts leave this machine (hosted providers, remote servers): costs money. Named ones are asked about on a terminal; without a terminal they are not run',
      })
      .option('tools', {
        type: 'boolean',
        default: false,
        describe: 'Also run the tool-call check: a second codex exec asking the model to run `cat nonce-XXXX.txt` in a temporary folder and reply with what it printed',
      })
      .example('$0 test qwen-local --tools', 'Also prove the model makes Codex run a command (not only answer text)')
      .example('$0 test qwen-local', 'One profile: pre-checks, then codex exec, then the verdict')
      .example('$0 test --all', 'Every local profile; same server one at a time, different servers in parallel')
      .example('$0 test --all --timeout 5m --json', 'Patient with cold models; the results as JSON')
      .example('$0 test hosted --include-hosted', 'A hosted profile: the prompt goes to the service')
      .example('$0 test --all --dry-run', 'The codex command lines and where each prompt would go; nothing runs')
      .epilogue(
        'Before running: the profile exists where this codex looks, its provider answers, its model is installed (nothing is ever downloaded).\n' +
          'A profile passes when codex reports the profile\'s provider and model and answers exactly OK;\n' +
          'with --tools, also when codex ran the command it was asked to and the answer holds the file\'s nonce.\n' +
          'Exit codes: 0 all passed, 1 a profile failed or was skipped by a failed check, 2 usage or config error (also: every named profile is hosted and --include-hosted was not given), 130 interrupted (Ctrl-C). See docs/checks.md.',
      ),
  handler: handle<TestFlags>(async (argv, ctx) => {
    const { runTest } = await import('../run/test.js');
    return runTest({ names: argv.names, all: argv.all, timeout: argv.timeout, includeHosted: argv['include-hosted'], tools: argv.tools }, ctx);
  }),
};
