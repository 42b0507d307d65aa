/**
 * Command lines we print for the user to copy (`ollama pull MODEL`, the `--oss` equivalent, the
 * dry-run's codex command). We never run them through a shell, but the user's shell will: a model
 * id or a path from a server or a config file is quoted unless it is plain, so that a hostile name
 * (`x$(rm -rf ~)`) is text on paste, not a command. POSIX quoting; PowerShell and cmd read the
 * plain words the same way.
 */

/** One word, in single quotes when it holds anything but characters every POSIX shell leaves alone. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.:/@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A whole command line, each word quoted as needed. */
export function showCommand(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}
