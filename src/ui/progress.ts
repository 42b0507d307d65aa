/**
 * Live progress on a terminal: one line per running task with its elapsed seconds, redrawn in
 * place; finished tasks leave a permanent line above the live block. stderr only, and only when
 * it is a terminal and the output is not --json (`progressEnabled`), so pipes, CI logs and JSON
 * consumers never see escape codes. NO_COLOR (or --no-color) drops the colour, not the redraw.
 */
import { visibleWidth } from './table.js';
import { terminalSafe } from './terminal-text.js';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface LiveProgressOptions {
  stream?: ProgressStream;
  /** Draw at all (default: `progressEnabled`). */
  enabled?: boolean;
  color?: boolean;
  /** Redraw period (default 1000 ms: the elapsed time is shown in whole seconds). */
  intervalMs?: number;
  now?: () => number;
}

/** Live progress is for people: a terminal on stderr, no --json, not a dumb terminal. */
export function progressEnabled(opts: { json: boolean; stream?: ProgressStream; env?: NodeJS.ProcessEnv }): boolean {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  return !opts.json && stream.isTTY === true && env.TERM !== 'dumb';
}

/** Colour unless NO_COLOR is set (https://no-color.org) or colour was turned off. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env, flag = true): boolean {
  return flag && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

const FRAMES = ['|', '/', '-', '\\'];
const ESC = '\x1b[';

/** `3.4 s` -> `3s`; below 10 s one decimal would flicker, so whole seconds throughout. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class LiveProgress {
  private readonly stream: ProgressStream;
  readonly enabled: boolean;
  private readonly color: boolean;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly running = new Map<string, { label: string; since: number }>();
  private drawn = 0;
  private tick = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: LiveProgressOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.enabled = opts.enabled ?? progressEnabled({ json: false, stream: this.stream });
    this.color = opts.color ?? colorEnabled();
    this.now = opts.now ?? Date.now;
    this.intervalMs = opts.intervalMs ?? 1000;
  }

  /** A task started: it gets a live line until `finish`. */
  start(id: string, label: string): void {
    if (!this.enabled) return;
    this.running.set(id, { label, since: this.now() });
    if (!this.timer) {
      this.timer = setInterval(() => this.render(), this.intervalMs);
      this.timer.unref();
    }
    this.render();
  }

  /** A task ended: its live line goes; `line` (if any) is printed for good above the block. */
  finish(id: string, line?: string): void {
    if (!this.enabled) return;
    this.running.delete(id);
    this.clear();
    if (line !== undefined) this.stream.write(this.fit(line) + '\n');
    if (this.running.size === 0) this.stopTimer();
    this.render();
  }

  /** Removes the live block and stops redrawing (call before printing the final report). */
  stop(): void {
    if (!this.enabled) return;
    this.stopTimer();
    this.running.clear();
    this.clear();
  }

  /** Redraws the live block (also called by the timer). */
  render(): void {
    if (!this.enabled) return;
    this.clear();
    this.tick++;
    const now = this.now();
    const lines = [...this.running.values()].map(({ label, since }) => {
      const frame = FRAMES[this.tick % FRAMES.length]!;
      const elapsed = formatElapsed(now - since);
      return this.fit(`${frame} ${label}  ${this.dim(elapsed)}`);
    });
    if (lines.length > 0) this.stream.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
  }

  private clear(): void {
    if (this.drawn === 0) return;
    // Up to the first live line, then erase from there to the end of the screen.
    this.stream.write(`${ESC}${this.drawn}A\r${ESC}J`);
    this.drawn = 0;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private dim(text: string): string {
    return this.color ? `${ESC}2m${text}${ESC}22m` : text;
  }

  /** Never wider than the terminal: a wrapped line would break the cursor arithmetic. */
  private fit(raw: string): string {
    // Labels carry profile and model names; keep our own colours, show anything else.
    const line = terminalSafe(raw, { colour: true });
    const cols = this.stream.columns;
    if (!cols || visibleWidth(line) < cols) return line;
    // eslint-disable-next-line no-control-regex
    const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
    return [...plain].slice(0, Math.max(1, cols - 2)).join('') + '…';
  }
}
