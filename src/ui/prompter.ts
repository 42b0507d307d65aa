/**
 * The questions the wizard asks, behind an interface so tests can answer them (and so the
 * heavy prompt library loads only when a person is actually asked something).
 */
export interface Choice<T> {
  name: string;
  value: T;
  checked?: boolean;
  disabled?: boolean | string;
  description?: string;
}

export interface Prompter {
  checkbox<T>(opts: { message: string; choices: Choice<T>[] }): Promise<T[]>;
  input(opts: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T>(opts: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  confirm(opts: { message: string; default?: boolean }): Promise<boolean>;
}

export async function inquirerPrompter(): Promise<Prompter> {
  const p = await import('@inquirer/prompts');
  return {
    checkbox: (o) => p.checkbox({ message: o.message, choices: o.choices, pageSize: 15 }),
    input: (o) => p.input({ message: o.message, default: o.default, validate: o.validate }),
    select: (o) => p.select({ message: o.message, choices: o.choices, default: o.default }),
    confirm: (o) => p.confirm({ message: o.message, default: o.default }),
  };
}

/** Ctrl-C (or a closed terminal) at any prompt. */
export function isPromptCancel(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}
