/**
 * compare's pre-flight, before anything is sent: the flags, the prompt, and the profiles as the
 * installed Codex reads them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CodexInfo } from '../codex/detect.js';
import { isValidProfileName, type HomeState, type Profile } from '../config/profiles.js';
import { ConfigError, UsageError } from '../errors.js';
import type { CompareOptions } from './compare-types.js';

// ------------------------------------------------------------------------------------- input

const USAGE_HINT = [
  'Examples:',
  '  codex-profiles compare "explain this regex" --profiles ollama-qwen,lmstudio-coder',
  '  codex-profiles compare --file prompt.txt --profiles local-a,local-b --out answers/',
].join('\n');

/**
 * `--profiles a,b --profiles c` -> [a, b, c]; refuses fewer than `min` (two, or fewer when
 * `--local` / `--hosted` targets make up the rest), duplicates, bad names.
 */
export function parseProfileList(values: readonly string[], min = 2): string[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length < min) {
    throw new UsageError('compare needs at least two profiles: --profiles A,B[,C...].', USAGE_HINT);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UsageError(`Profile \`${name}\` is listed twice in --profiles.`);
    seen.add(name);
    if (!isValidProfileName(name)) {
      throw new UsageError(
        `\`${name}\` is not a profile name: use letters, digits, \`-\` and \`_\` (a model id such as \`gpt-oss:20b\` is not a profile name).`,
        'List the profiles with: codex-profiles list',
      );
    }
  }
  return names;
}

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

export async function readPrompt(opts: Pick<CompareOptions, 'prompt' | 'file'>): Promise<{ text: string; source: string }> {
  if (opts.prompt !== undefined && opts.file !== undefined) {
    throw new UsageError('Give the prompt either as an argument or with --file, not both.', USAGE_HINT);
  }
  let text: string;
  let source: string;
  if (opts.file !== undefined) {
    if (opts.file === '') throw new UsageError('--file needs a path (or - for stdin).', USAGE_HINT);
    if (opts.file === '-') {
      text = await readStdin();
      source = 'stdin';
    } else {
      try {
        text = await fs.readFile(opts.file, 'utf8');
      } catch (err) {
        throw new UsageError(`Cannot read ${opts.file}: ${describeReadError(err)}.`, USAGE_HINT);
      }
      source = opts.file;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  } else if (opts.prompt !== undefined) {
    text = opts.prompt;
    source = 'argument';
  } else {
    throw new UsageError('Nothing to compare: give a prompt or --file.', USAGE_HINT);
  }
  if (text.trim() === '') throw new UsageError('The prompt is empty.', USAGE_HINT);
  return { text, source };
}

// ---------------------------------------------------------------------------------- profiles

function codexLabel(codex: CodexInfo): string {
  return codex.version ? `codex ${codex.version}` : 'this codex';
}

/**
 * The profiles as the installed Codex reads them: `NAME.config.toml` (file era) or
 * `[profiles.NAME]` in config.toml (table era). Any name missing there is refused, with every
 * problem in one message: a missing profile file would make codex >= 0.134 run the base config.
 */
export function findProfiles(state: HomeState, codex: CodexInfo, names: readonly string[]): Profile[] {
  const problems: string[] = [];
  const found: Profile[] = [];
  const label = codexLabel(codex);
  for (const name of names) {
    const profile = state.profiles.find((p) => p.name === name && p.layout === codex.layout);
    if (profile && codex.layout === 'file' && state.profiles.some((p) => p.name === name && p.layout === 'table')) {
      // >= 0.134 refuses `-p NAME` while config.toml still has [profiles.NAME] (domain.md, seen).
      problems.push(
        `\`${name}\`: ${state.configPath} still has a [profiles.${name}] table, and ${label} refuses \`-p ${name}\` while it is there: ` +
          `keep the settings in ${name}.config.toml and delete the table.`,
      );
      continue;
    }
    if (profile) {
      found.push(profile);
      continue;
    }
    const other = state.profiles.find((p) => p.name === name);
    if (codex.layout === 'file') {
      let line =
        `\`${name}\`: ${path.join(state.home, `${name}.config.toml`)} does not exist. ${label} reads \`-p ${name}\` from that ` +
        'file, and without it silently runs the base config instead (possibly a hosted model).';
      if (other) line += ` (There is a [profiles.${name}] table in config.toml, which this Codex does not read for -p: move its keys into ${name}.config.toml.)`;
      problems.push(line);
    } else {
      let line = `\`${name}\`: ${state.configPath} has no [profiles.${name}] table, which is where ${label} reads \`-p ${name}\`.`;
      if (other) line += ` (${other.path} exists, but this Codex does not read profile files for -p.)`;
      problems.push(line);
    }
  }
  if (codex.layout === 'file' && state.profileSelector !== undefined) {
    // >= 0.134: a top-level `profile = "X"` breaks every run (domain.md, seen on 0.169).
    problems.push(
      `${state.configPath} has a legacy \`profile = "${state.profileSelector}"\` line, and ${label} refuses to run at all while it is there: delete it.`,
    );
  }
  if (problems.length > 0) {
    const known = state.profiles.filter((p) => p.layout === codex.layout).map((p) => p.name);
    throw new ConfigError(
      `Not comparing, nothing was run:\n  ${problems.join('\n  ')}`,
      known.length > 0 ? `Profiles this Codex can run: ${known.join(', ')}.` : 'This Codex home has no profiles yet: create them with `codex-profiles setup`.',
      'PROFILE_NOT_RUNNABLE',
    );
  }
  return found;
}

/** Refuses to run when config.toml or one of the chosen profile files is not valid TOML. */
export function refuseInvalidToml(state: HomeState, profiles: readonly Profile[]): void {
  const files = new Set([state.configPath, ...profiles.map((p) => p.path)]);
  const bad = state.errors.filter((e) => files.has(e.file));
  if (bad.length > 0) {
    throw new ConfigError(
      `Not comparing: ${bad.map((e) => e.message).join('; ')}`,
      'Codex cannot read it either; fix the file (codex-profiles list shows every file it read).',
      'CONFIG_PARSE',
    );
  }
}

