import type { CommandModule } from 'yargs';
// One line per command. Command modules are thin; their work is imported lazily.
import { setupCommand } from './setup.js';
import { addCommand } from './add.js';
import { removeCommand } from './remove.js';
import { defaultCommand } from './default.js';
import { listCommand } from './list.js';
import { restoreCommand } from './restore.js';
import { classifyCommand } from './classify.js';
import { compareCommand } from './compare.js';
import { modelsCommand } from './models.js';
import { testCommand } from './test.js';
import { auditCommand } from './audit.js';
import { doctorCommand } from './doctor.js';
import { migrateCommand } from './migrate.js';
import { exportCommand } from './export.js';
import { applyCommand } from './apply.js';
import { runCommand } from './run.js';
import { trustCommand } from './trust.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  setupCommand,
  addCommand,
  removeCommand,
  defaultCommand,
  listCommand,
  modelsCommand,
  testCommand,
  auditCommand,
  doctorCommand,
  migrateCommand,
  compareCommand,
  classifyCommand,
  restoreCommand,
  exportCommand,
  applyCommand,
  runCommand,
  trustCommand,
];
