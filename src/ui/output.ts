import chalk from 'chalk';
import { terminalSafe } from './terminal-text.js';

/**
 * Colour is off with --no-color, NO_COLOR (https://no-color.org), or when stdout is not a
 * terminal; chalk's own detection covers FORCE_COLOR and the terminal check.
 */
export function configureColor(colorFlag: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (!colorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) chalk.level = 0;
}

/** Terminal-safe text, keeping our own colours when colour is on. */
export function safe(text: string): string {
  return terminalSafe(text, { colour: chalk.level > 0 });
}

/**
 * All human output goes through here so `--json` can keep stdout to exactly one JSON document:
 * in JSON mode, notes and warnings go to stderr. And every line is made terminal-safe here, so no
 * call site can forget: names and replies from servers and config files are printed through it.
 */
export class Output {
  constructor(readonly jsonMode: boolean) {}

  /** Main human-readable output (stdout; silenced in JSON mode). */
  line(text = ''): void {
    if (!this.jsonMode) process.stdout.write(safe(text) + '\n');
  }

  /** Progress and side notes: stderr, so piping stdout stays clean. */
  note(text: string): void {
    process.stderr.write(safe(text) + '\n');
  }

  warn(text: string): void {
    process.stderr.write(chalk.yellow('warning: ') + safe(text) + '\n');
  }

  json(value: unknown): void {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }
}
