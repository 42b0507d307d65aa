/** `codex-profiles remove NAME...`: remove profiles (their file, or their [profiles.NAME] table with its comments). */
import { emptyPlan } from '../write/plan.js';
import { planRemoveProfile } from '../config/profile-writer.js';
import { loadHome } from '../config/profiles.js';
import type { CommandContext } from '../context.js';
import { refuseInvalidConfig } from '../diagnostics.js';
import { UsageError } from '../errors.js';
import { showAndApply } from '../ui/confirm.js';

export interface RemoveArgs {
  names?: string[];
  name?: string[];
  _: (string | number)[];
}

export async function runRemove(ctx: CommandContext, argv: RemoveArgs): Promise<number> {
  // After `--`, yargs leaves the words in argv._ (after the command itself).
  const names = [...new Set([...(argv.names ?? []), ...(argv.name ?? []), ...argv._.slice(1)].map(String))];
  if (names.length === 0) throw new UsageError('remove: name at least one profile.', 'e.g. codex-profiles remove gpt-oss-20b (a name starting with -: remove -- -rf).');
  const state = await loadHome(ctx.opts.codexHome);
  refuseInvalidConfig(state);
  const plan = emptyPlan(state.home);
  for (const name of names) planRemoveProfile(plan, state, name);
  const outcome = await showAndApply(ctx, plan);
  if (ctx.opts.json) ctx.out.json({ ok: true, removed: names, ...outcome });
  return 0;
}
