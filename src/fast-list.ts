/**
 * `codex-profiles list` without yargs (issue 8: start-up; bin/codex-profiles.js calls this).
 * Only these exact forms: `list` followed by any of --json, --no-color, --codex-home DIR and
 * --codex-home=DIR, each at most once. Anything else returns undefined before loading anything,
 * and bin hands the arguments to yargs (main()), which parses and reports them as always.
 *
 * The work is the yargs command's: the same context (makeContext from the same flags), the same
 * runList, the same colour setting and error report as main(). Nothing here imports yargs.
 */
import type { GlobalArgs } from './context.js';

/** The flags of a fast `list`, as yargs would parse them; undefined for anything else. */
export function fastListArgs(args: readonly string[]): GlobalArgs | undefined {
  if (args[0] !== 'list') return undefined;
  const argv: GlobalArgs = { json: false, dryRun: false, yes: false, color: true };
  const seen = new Set<string>();
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    let flag = arg;
    if (arg === '--json') argv.json = true;
    else if (arg === '--no-color') argv.color = false;
    else if (arg === '--codex-home' || arg.startsWith('--codex-home=')) {
      flag = '--codex-home';
      const value = arg === flag ? args[++i] : arg.slice(flag.length + 1);
      // Empty, missing or dash-led values are yargs' to judge.
      if (value === undefined || value === '' || value.startsWith('-')) return undefined;
      argv.codexHome = value;
    } else return undefined;
    if (seen.has(flag)) return undefined;
    seen.add(flag);
  }
  return argv;
}

/** Runs `list` as the yargs command does and returns its exit code; undefined: not a fast form. */
export async function runFastList(args: string[]): Promise<number | undefined> {
  const argv = fastListArgs(args);
  if (!argv) return undefined;
  const [{ configureColor }, { makeContext }, { runList }, { reportError }, { recoverIfInterrupted }] = await Promise.all([
    import('./ui/output.js'),
    import('./context.js'),
    import('./run/list.js'),
    import('./report-error.js'),
    import('./write/recover-start.js'),
  ]);
  configureColor(argv.color);
  try {
    const ctx = makeContext(argv);
    await recoverIfInterrupted(ctx.opts.codexHome, (m) => ctx.out.warn(m));
    return await runList(ctx);
  } catch (err) {
    return reportError(err, args);
  }
}
