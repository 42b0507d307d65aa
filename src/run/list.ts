import chalk from 'chalk';
import type { CommandContext } from '../context.js';
import { loadHome } from '../config/profiles.js';
import { EXIT_OK } from '../errors.js';

export async function runList(ctx: CommandContext): Promise<number> {
  // Reading only: the syntax tree is built only where a line is listed (see LoadOptions). The
  // first read goes out before the code that places and shows profiles loads (the server
  // registry with it), so loading that overlaps the I/O.
  const [state, { LOCALITY_WORDS, profileDestination, verdictOf }, { equivalentLines, profileEquivalent }, { renderTable }] = await Promise.all([
    loadHome(ctx.opts.codexHome, { index: 'lazy' }),
    import('../codex/destination.js'),
    import('../codex/equivalent.js'),
    import('../ui/table.js'),
  ]);
  // Once per profile: where it sends its prompts, which its one-off equivalent also needs.
  const dests = new Map(state.profiles.map((p) => [p, profileDestination(state, p, ctx.env)] as const));
  const where = new Map([...dests].map(([p, d]) => [p, verdictOf(d)] as const));
  const report = {
    codexHome: state.home,
    configPath: state.configPath,
    configExists: state.configText !== null,
    ossProvider: state.ossProvider ?? null,
    profileSelector: state.profileSelector ?? null,
    profiles: state.profiles.map((p) => ({
      name: p.name,
      layout: p.layout,
      provider: p.provider ?? null,
      model: p.model ?? null,
      path: p.path,
      line: p.line ?? null,
      locality: where.get(p)!,
      equivalent: profileEquivalent(state, p, ctx.env, dests.get(p)),
    })),
    errors: state.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, message: e.message })),
  };
  if (ctx.opts.json) {
    ctx.out.json(report);
    return EXIT_OK;
  }
  ctx.out.line(`Codex home: ${state.home}${state.configText === null ? chalk.dim(' (no config.toml)') : ''}`);
  ctx.out.line(`oss_provider: ${state.ossProvider ?? chalk.dim('(not set)')}`);
  if (state.profileSelector) {
    ctx.out.line(`profile selector: profile = "${state.profileSelector}" ${chalk.yellow('(legacy; Codex >= 0.134 refuses it: see `codex-profiles migrate`)')}`);
  }
  for (const e of state.errors) ctx.out.warn(e.message);
  if (state.profiles.length === 0) {
    ctx.out.line('\nNo profiles yet. Create some with `codex-profiles setup`.');
    return EXIT_OK;
  }
  ctx.out.line('');
  ctx.out.line(
    renderTable(
      ['NAME', 'LAYOUT', 'PROVIDER', 'MODEL', 'PROMPTS GO TO', 'PATH'],
      state.profiles.map((p) => [
        p.name,
        p.layout,
        p.provider ?? chalk.dim('(default)'),
        p.model ?? chalk.dim('(default)'),
        LOCALITY_WORDS[where.get(p)!.locality],
        p.line ? `${p.path}:${p.line}` : p.path,
      ]),
    ),
  );
  // Only profiles that run here: a hosted one has no `--oss` form to show.
  const local = report.profiles.filter((p) => p.locality.locality === 'this-machine');
  if (local.length > 0) {
    ctx.out.line('');
    ctx.out.line('One-off equivalents (route one run the same way; the profile\'s other settings are not carried):');
    for (const line of equivalentLines(local)) ctx.out.line(line);
  }
  return EXIT_OK;
}
