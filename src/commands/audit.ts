import type { CommandModule } from 'yargs';
import { DURATION_HELP } from '../duration.js';
import { withRunDryRun } from './discovery-options.js';
import type { GlobalArgs } from '../context.js';
import { handle } from './shared.js';

interface AuditFlags {
  smoke: boolean;
  tools: boolean;
  timeout?: string;
}

export const auditCommand: CommandModule<GlobalArgs, GlobalArgs & AuditFlags> = {
  command: 'audit',
  describe: 'Check config.toml and every profile (legacy layout, providers, models, addresses), then smoke-test them',
  builder: (y) =>
    withRunDryRun(y)
      .option('smoke', { type: 'boolean', default: true, describe: 'Run the smoke test of every local profile after the static checks (--no-smoke: static only)' })
      .option('tools', { type: 'boolean', default: true, describe: 'Also run the tool-call check of each local profile in the smoke test (--no-tools: only "Reply with exactly OK")' })
      .option('timeout', { type: 'string', requiresArg: true, describe: `Per profile in the smoke test, before codex is stopped (${DURATION_HELP}; default 2m)` })
      .example('$0 audit', 'Static checks, then `codex exec` through every local profile')
      .example('$0 audit --no-smoke', 'Static checks only: nothing is sent to any model')
      .example('$0 audit --json', 'Findings (rule, severity, file, line, message, fix) and smoke results as JSON')
      .epilogue(
        'Severities: error (codex refuses it, or the profile cannot work), warn (works, but risky or degraded), info.\n' +
          'Exit codes: 0 no errors, 1 at least one error, 2 usage error or invalid TOML. Rules and fixes: docs/checks.md.',
      ),
  handler: handle<AuditFlags>(async (argv, ctx) => {
    const { runAudit } = await import('../run/audit.js');
    return runAudit({ smoke: argv.smoke, tools: argv.tools, timeout: argv.timeout }, ctx);
  }),
};
