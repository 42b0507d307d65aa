/**
 * `codex-profiles trust [DIR]`: mark a folder trusted for Codex the way the interactive codex's
 * own question does, `[projects."<key>"] trust_level = "trusted"` in config.toml, written
 * surgically through the plan/apply path (diff, confirmation, lock, backup, atomic replace).
 *
 * The key: the entry that decides today when there is one (an `untrusted` entry for the folder
 * would otherwise keep winning: Codex looks the folder up before its repository), else the
 * repository root for a folder inside a git checkout (the main checkout for a linked worktree, as
 * Codex saves it), else the folder itself; canonical paths (symlinks resolved). See
 * src/verify/trust.ts for what that changes, and what it does not (`codex exec` outside git).
 */
import fs from 'node:fs';
import path from 'node:path';
import { planMergeTable, plannedDocument } from '../config/profile-writer.js';
import { homeAfter, loadHome } from '../config/profiles.js';
import type { CommandContext } from '../context.js';
import { refuseInvalidConfig } from '../diagnostics.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { showAndApply } from '../ui/confirm.js';
import { emptyPlan } from '../write/plan.js';
import { trustOf } from '../verify/trust.js';

export interface TrustArgs {
  dir?: string;
  /** Where a relative DIR is resolved (default: the current directory). */
  cwd?: string;
}

export async function runTrust(ctx: CommandContext, args: TrustArgs): Promise<number> {
  const dir = path.resolve(args.cwd ?? process.cwd(), args.dir ?? '.');
  let isDir = false;
  try {
    isDir = fs.statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`${dir} is not a folder.`, 'Name an existing folder: codex-profiles trust [DIR] (default: the current one).');
  const state = await loadHome(ctx.opts.codexHome);
  refuseInvalidConfig(state);
  const before = trustOf(state, dir);
  const key = before.entry?.key ?? before.key;
  const plan = emptyPlan(state.home);
  if (!before.trusted) planMergeTable(plan, state, ['projects', key], { trust_level: 'trusted' });
  if (before.trusted && !ctx.opts.json) ctx.out.line(`Already trusted: [projects."${before.entry!.key}"] trust_level = "trusted".`);
  const outcome = await showAndApply(ctx, plan);
  // From the texts just written (each read back and compared before it replaced its file), not
  // by reading and parsing the home again; as `add` does for its one-off equivalent.
  const after = outcome.applied ? trustOf(await homeAfter(state, plan.changes, (file, text) => plannedDocument(plan, file, text)), dir) : before;
  if (ctx.opts.json) ctx.out.json({ ok: true, dir, key, before, after, ...outcome });
  else if (outcome.applied || before.trusted) ctx.out.line(after.message);
  return EXIT_OK;
}
