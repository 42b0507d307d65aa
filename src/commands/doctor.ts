import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

export const doctorCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'doctor',
  describe: 'Show which codex, CODEX_HOME, config status and providers are in play, and what to do about each problem',
  builder: (y) =>
    y
      .example('$0 doctor', 'codex path, version and profile layout; CODEX_HOME; config status; each provider')
      .example('$0 doctor --json', 'The same report as JSON (problems with severity and fix)')
      .example('$0 doctor --codex-bin ./node_modules/.bin/codex', 'Check another codex')
      .epilogue(
        'Read-only, and nothing is sent to a model: providers are only asked for their version and model list, where codex would call them.\n' +
          'Exit codes: 0 nothing to fix, 1 a problem needs fixing, 2 usage error or invalid TOML. See docs/checks.md.',
      ),
  handler: handle(async (argv, ctx) => {
    const { runDoctor } = await import('../run/doctor.js');
    return runDoctor({ codexHomeFlag: argv.codexHome }, ctx);
  }),
};
