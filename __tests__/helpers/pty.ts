import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Runs a command in a real pseudo-terminal (util-linux `script`), so interactive prompts render
 * and read keys exactly as for a person. `expect(text)` waits for output; `send(keys)` types.
 */
export class PtySession {
  private child: ChildProcessWithoutNullStreams;
  output = '';
  exitCode: Promise<number | null>;

  constructor(argv: string[], env: NodeJS.ProcessEnv, cwd?: string, cols = 120) {
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    this.child = spawn('script', ['-qefc', `stty cols ${cols} rows 40; ${quoted}`, '/dev/null'], { env: { ...env, TERM: 'xterm' }, cwd });
    this.child.stdout.on('data', (d) => (this.output += d.toString()));
    this.child.stderr.on('data', (d) => (this.output += d.toString()));
    this.exitCode = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Output with colour and cursor escapes removed. */
  get plain(): string {
    // eslint-disable-next-line no-control-regex
    return this.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  }

  async expect(text: string | RegExp, timeoutMs = 20_000): Promise<void> {
    const start = Date.now();
    for (;;) {
      const seen = typeof text === 'string' ? this.plain.includes(text) : text.test(this.plain);
      if (seen) return;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${String(text)}; output so far:\n${this.plain}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  send(keys: string): void {
    this.child.stdin.write(keys);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

export const KEY = { enter: '\r', space: ' ', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03' };
