/**
 * Ctrl-C while codex runs (issue 11). Node's default for SIGINT ends the process at once, before
 * the report is printed; the codex children live in their own process groups (detached, so a
 * terminal's Ctrl-C does not reach them) and src/codex/process.ts stops them. Here the first
 * Ctrl-C aborts a signal instead: every run in flight is stopped (its whole group), nothing new
 * starts, and the command prints what it has with the state `interrupted` and exits 130. A second
 * Ctrl-C does not wait for that: it exits 130 at once (the 'exit' hook of process.ts still kills
 * the groups).
 */
export const EXIT_INTERRUPTED = 130;

export interface Interrupt {
  readonly signal: AbortSignal;
  readonly interrupted: boolean;
  /** Stop listening (back to Node's default for SIGINT). */
  dispose(): void;
}

export function catchInterrupt(onFirst?: () => void): Interrupt {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    onFirst?.();
    controller.abort();
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    get interrupted() {
      return controller.signal.aborted;
    },
    dispose: () => process.removeListener('SIGINT', handler),
  };
}
