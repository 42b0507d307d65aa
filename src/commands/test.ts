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
  oss: boolean;
  model?: string;
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
      .option('oss', {
        type: 'boolean',
        default: false,
        describe: 'Confirm oss_provider: check the model is installed on that server, then run `codex exec --oss -m MODEL "Reply with exactly OK"` (never downloads)',
      })
      .option('model', { type: 'string', requiresArg: true, describe: 'With --oss: the model to confirm with (default: an installed one that can call tools)' })
      .example('$0 test --oss', 'Confirm the backend `codex --oss` uses (oss_provider), with an installed model')
      .example('$0 test --oss --model gpt-oss:20b --dry-run', 'The checks and the codex command line; nothing runs')
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
    const args = { names: argv.names, all: argv.all, timeout: argv.timeout, includeHosted: argv['include-hosted'], tools: argv.tools, oss: argv.oss, model: argv.model };
    if (argv.oss) {
      const { runTestOssFlags } = await import('../run/test-oss.js');
      return runTestOssFlags(args, ctx);
    }
    const { runTest } = await import('../run/test.js');
    return runTest(args, ctx);
  }),
};
