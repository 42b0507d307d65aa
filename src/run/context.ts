import type { GlobalOptions } from '../context.js';
import type { Output } from '../ui/output.js';

/**
 * What the export/apply/run runners need from a command: the same shape as CommandContext
 * (commands/shared.ts), declared here because nothing below src/commands/ may import from it
 * (architecture test). Once CommandContext lives in src/context.ts, import that instead.
 */
export interface RunnerContext {
  opts: GlobalOptions;
  out: Output;
  env: NodeJS.ProcessEnv;
}
