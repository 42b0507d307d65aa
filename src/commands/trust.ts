import type { CommandModule } from 'yargs';
import { withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import type { TrustArgs } from '../run/trust.js';
import { handle } from './shared.js';

export const trustCommand: CommandModule<GlobalArgs, GlobalArgs & TrustArgs> = {
  command: 'trust [dir]',
  describe: 'Mark a folder trusted for Codex ([projects."<path>"] trust_level = "trusted" in config.toml)',
  builder: (y) =>
    withWriteOptions(y)
      .positional('dir', { type: 'string', describe: 'The folder (default: the current one); inside a git repository, the repository root is trusted, as Codex does' })
      .example('$0 trust', 'Trust the current folder (its repository root inside git)')
      .example('$0 trust ~/src/app --dry-run', 'Show the change to config.toml only')
      .example('$0 trust --yes --json', 'No question; the before/after verdicts as JSON')
      .epilogue(
        'The interactive codex then starts there without asking whether to trust the folder. It does not let `codex exec` run outside a git repository: that still needs `git init` or --skip-git-repo-check (seen on Codex 0.131-0.171). `codex-profiles doctor` shows the verdict for the current folder.\n' +
          'Exit codes: 0 done (or already trusted), 2 usage or config error (not a folder, invalid config.toml, no terminal to confirm on without --yes).',
      ),
  handler: handle<TrustArgs>(async (argv, ctx) => {
    const { runTrust } = await import('../run/trust.js');
    return runTrust(ctx, { dir: argv.dir });
  }),
};
