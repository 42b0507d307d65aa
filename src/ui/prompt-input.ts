/**
 * The prompt a command is given (`compare`, `classify`): an argument, `--file PATH`, or
 * `--file -` for stdin; refused with a usage error naming both ways.
 */
import { promises as fs } from 'node:fs';
import { UsageError } from '../errors.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

/** The text and where it came from (`argument`, `stdin` or the path); `verb` names the command in "Nothing to VERB". */
export async function readPromptInput(opts: { prompt?: string; file?: string }, verb: string, usageHint: string): Promise<{ text: string; source: string }> {
  if (opts.prompt !== undefined && opts.file !== undefined) {
    throw new UsageError('Give the prompt either as an argument or with --file, not both.', usageHint);
  }
  if (opts.file === undefined) {
    if (opts.prompt !== undefined) return { text: opts.prompt, source: 'argument' };
    throw new UsageError(`Nothing to ${verb}: give a prompt or --file.`, usageHint);
  }
  if (opts.file === '') throw new UsageError('--file needs a path (or - for stdin).', usageHint);
  let text: string;
  if (opts.file === '-') {
    text = await readStdin();
  } else {
    try {
      text = await fs.readFile(opts.file, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read ${opts.file}: ${describeReadError(err)}.`, usageHint);
    }
  }
  // A byte order mark is not part of the prompt (and would shift every column on line 1).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, source: opts.file === '-' ? 'stdin' : opts.file };
}
