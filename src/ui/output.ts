import chalk from 'chalk';

/**
 * Colour is off with --no-color, NO_COLOR (https://no-color.org), or when stdout is not a
 * terminal; chalk's own detection covers FORCE_COLOR and the terminal check.
 */
export function configureColor(colorFlag: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (!colorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) chalk.level = 0;
}

/**
 * All human output goes through here so `--json` can keep stdout to exactly one JSON document:
 * in JSON mode, notes and warnings go to stderr.
 */
export class Output {
  constructor(readonly jsonMode: boolean) {}

  /** Main human-readable output (stdout; silenced in JSON mode). */
  line(text = ''): void {
    if (!this.jsonMode) process.stdout.write(text + '\n');
  }

  /** Progress and side notes: stderr, so piping stdout stays clean. */
  note(text: string): void {
    process.stderr.write(text + '\n');
  }

  warn(text: string): void {
    process.stderr.write(chalk.yellow('warning: ') + text + '\n');
  }

  json(value: unknown): void {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }
}
