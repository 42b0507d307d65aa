import type { Argv, CommandModule } from 'yargs';
import { layoutValue, withWriteOptions } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface MigrateFlags {
  to?: 'file' | 'table';
  prefer?: 'table' | 'file';
  rename?: string[];
}

export const migrateCommand: CommandModule<GlobalArgs, GlobalArgs & MigrateFlags> = {
  command: 'migrate',
  describe: 'Move profiles between [profiles.NAME] tables (Codex <= 0.133) and NAME.config.toml files (Codex >= 0.134)',
  builder: (y) =>
    (withWriteOptions(y)
      .option('to', {
        choices: ['file', 'table'] as const,
        coerce: layoutValue,
        describe: 'Target layout, spelled like --layout (files / tables also accepted; default: what the installed Codex reads)',
      })
      .option('prefer', {
        choices: ['table', 'file'] as const,
        describe: 'Who wins when a profile exists in both layouts with different settings (default: stop and show both)',
      })
      .option('rename', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'OLD=NEW: write profile OLD under the name NEW (names like gpt-oss:20b are not valid for Codex >= 0.134)',
      })
      .example('$0 migrate --dry-run', 'Show the diff for what the installed Codex reads; write nothing')
      .example('$0 migrate --yes', 'Migrate without asking (a backup is kept: see `restore`)')
      .example("$0 migrate --rename 'gpt-oss:20b=gpt-oss-20b'", 'Give a profile a name Codex 0.134+ accepts while moving it')
      .example('$0 migrate --prefer table --yes', 'Where a NAME.config.toml already differs, the table wins')
      .example('$0 migrate --to table', 'Back to [profiles.NAME] tables, for Codex 0.133 and older')
      .epilogue(
        'A top-level profile = "NAME" makes Codex >= 0.134 refuse to start; migrating to files removes it and prints how to keep the default (codex -p NAME, or an alias).\n' +
          'Exit codes: 0 done or nothing to do, 1 something was left in place (see the report), 2 usage or config error (or conflicts nobody chose a winner for). See docs/migration.md.',
      )) as unknown as Argv<GlobalArgs & MigrateFlags>,
  handler: handle<MigrateFlags>(async (argv, ctx) => {
    const { runMigrate } = await import('../run/migrate.js');
    return runMigrate(ctx, { to: argv.to === undefined ? undefined : argv.to === 'file' ? 'files' : 'tables', prefer: argv.prefer, rename: argv.rename });
  }),
};
