import type { CommandContext } from '../context.js';
import { backupContents, listBackups } from '../write/backup.js';
import { emptyPlan } from '../write/plan.js';
import { readFileOrNull } from '../write/safe-write.js';
import { ConfigError, EXIT_OK } from '../errors.js';
import { showAndApply } from '../ui/confirm.js';
import { renderTable } from '../ui/table.js';

export async function runRestore(ctx: CommandContext, opts: { id?: string; list: boolean }): Promise<number> {
  const home = ctx.opts.codexHome;
  const backups = await listBackups(home);
  if (opts.list) {
    if (ctx.opts.json) ctx.out.json({ backups });
    else if (backups.length === 0) ctx.out.line('No backups yet.');
    else ctx.out.line(renderTable(['ID', 'CREATED', 'FILES'], backups.map((b) => [b.id, b.createdAt, b.files.map((f) => f.path).join(', ')])));
    return EXIT_OK;
  }
  const id = opts.id ?? backups[0]?.id;
  if (!id) throw new ConfigError(`there are no backups in ${home} to restore.`, undefined, 'BACKUP_NOT_FOUND');
  // Restoring is itself a planned write: it shows a diff and is backed up, so it can be undone.
  const plan = emptyPlan(home);
  for (const file of await backupContents(home, id)) {
    plan.changes.push({ path: file.path, before: await readFileOrNull(file.path), after: file.content });
  }
  plan.summary.push(`restore backup ${id}`);
  const outcome = await showAndApply(ctx, plan, { confirmMessage: `Restore backup ${id}?` });
  if (ctx.opts.json) ctx.out.json({ ok: true, restored: id, ...outcome });
  return EXIT_OK;
}
