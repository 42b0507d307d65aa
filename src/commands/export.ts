import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface ExportFlags {
  file?: string;
  force: boolean;
}

export const exportCommand: CommandModule<GlobalArgs, GlobalArgs & ExportFlags> = {
  command: 'export [file]',
  describe: 'Write this home\'s profiles as one declarative fleet file (for `apply` on other machines)',
  builder: (y) =>
    (y as Argv<GlobalArgs>)
      .positional('file', { type: 'string', describe: 'Where to write it (default: stdout)' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace FILE if it exists' })
      .example('$0 export', 'Print the fleet file')
      .example('$0 export profiles.toml', 'Write it to profiles.toml (a dotfiles repo, an Ansible role)')
      .example('$0 export --json', 'The profiles as JSON, with the file text')
      .epilogue(
        'Each profile is written as what it means (server ollama|lmstudio|hosted, model, url, model_context_window), never as this machine stores it; no secrets, no local paths. Format: docs/fleet.md.\n' +
          'Exit codes: 0 written, 2 usage or config error (invalid config.toml, FILE exists without --force).',
      ) as unknown as Argv<GlobalArgs & ExportFlags>,
  handler: handle<ExportFlags>(async (argv, ctx) => {
    const { runExport } = await import('../run/export.js');
    return runExport(ctx, { file: argv.file, force: argv.force });
  }),
};
