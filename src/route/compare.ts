/**
 * `codex-profiles compare "PROMPT" --profiles A,B[,C]`: run one prompt through several profiles
 * with `codex exec -p NAME` and compare the final answers. See docs/routing.md ("compare").
 *
 * Order of work, so that nothing is sent anywhere before every check passed:
 * 1. flags and the prompt (usage errors: exit 2);
 * 2. the installed Codex and its profile era; every profile must exist where THAT Codex reads
 *    `-p NAME` (a missing `NAME.config.toml` makes >= 0.134 silently run the base config, often a
 *    hosted model): exit 2, nothing run;
 * 3. the privacy rule: the prompt is classified; a `local` prompt is not sent to a hosted profile
 *    (judged by src/route/hosted.ts) unless `--redact` (hosted profiles get the redacted copy) or
 *    `--allow-hosted`: exit 2, nothing run;
 * 4. the runs: profiles on the same local server one after another, the rest in parallel; each
 *    through runCodexExec (era flags, stdin closed, timeout, process-tree kill); afterwards the
 *    provider and model codex reports must be the profile's;
 * 5. answers saved (`NAME.md`, `compare.json`), first lines and unified diffs shown.
 * Exit 0 when every profile answered, 1 when any run failed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import chalk from 'chalk';
import { createTwoFilesPatch } from 'diff';
import { detectCodex, type CodexInfo } from '../codex/detect.js';
import type { ExecOptions, ExecResult, FailureCode } from '../codex/exec.js';
import { isValidProfileName, type HomeState, type Profile } from '../config/profiles.js';
import { ConfigError, UsageError } from '../errors.js';
import { colorDiff } from '../ui/diff.js';
import { renderTable } from '../ui/table.js';
import { classify, type Classification } from './classify.js';
import { serverKey, type ProviderJudgement } from './hosted.js';
import { redact } from './redact.js';

export const DEFAULT_TIMEOUT_SECONDS = 120;
/** Lines of each answer shown in the human output. */
export const PREVIEW_LINES = 6;
const PREVIEW_WIDTH = 160;

export interface CompareOptions {
  /** The prompt given on the command line (words joined with spaces). */
  prompt?: string;
  /** A file to read the prompt from, `-` for stdin. */
  file?: string;
  /** `--profiles A,B`: may be given several times; each value may hold commas. */
  profiles: string[];
  /** `--out DIR`: where to save the answers (default: a new temporary folder). */
  out?: string;
  /** Per run, in seconds. */
  timeoutSeconds: number;
  allowHosted: boolean;
  redact: boolean;
}

/** Seams for unit tests; the command uses the real ones. */
export interface CompareDeps {
  exec?: (opts: ExecOptions) => Promise<ExecResult>;
  detect?: typeof detectCodex;
  /** Progress lines (default: stderr, only when it is a terminal). */
  progress?: (line: string) => void;
  /** Asks a person about a hosted profile (default: a prompt on a terminal, never with --json). */
  ask?: (message: string) => Promise<boolean>;
}

export type CompareFailureCode = FailureCode | 'provider_mismatch' | 'model_mismatch' | 'provider_unverified' | 'hosted_not_allowed' | 'interrupted';

export interface CompareFailure {
  code: CompareFailureCode;
  message: string;
  fix?: string;
}

/** One profile, resolved and judged, before it runs. */
export interface PlannedRun {
  profile: string;
  layout: Profile['layout'];
  /** Where the profile is written (file, or config.toml for a table). */
  path: string;
  judgement: ProviderJudgement;
  /** What this profile is sent: the prompt, or its redacted copy (hosted profiles with --redact). */
  prompt: string;
  promptSent: 'original' | 'redacted';
}

export interface RunReport {
  profile: string;
  layout: Profile['layout'];
  path: string;
  provider: string;
  model: string | null;
  hosted: boolean;
  hostedReason: string;
  promptSent: 'original' | 'redacted';
  /** `not-run`: a hosted profile without consent, or Ctrl-C before it started. */
  status: 'ok' | 'failed' | 'not-run';
  durationMs: number;
  exitCode: number | null;
  timedOut: boolean;
  reportedProvider: string | null;
  reportedModel: string | null;
  /** The final answer (also for a failed run, when codex wrote one). */
  answer: string | null;
  /** The saved `NAME.md` (answered runs only). */
  file: string | null;
  failure: CompareFailure | null;
}

export interface DiffReport {
  from: string;
  to: string;
  identical: boolean;
  /** A unified diff of `FROM.md` -> `TO.md` ('' when identical). */
  patch: string;
}

export interface CompareReport {
  ok: boolean;
  /** Ctrl-C stopped the comparison (exit 130). */
  interrupted?: boolean;
  codexHome: string;
  codex: { bin: string | null; version: string | null; layout: CodexInfo['layout'] };
  prompt: {
    text: string;
    source: string;
    verdict: Classification['verdict'];
    reasons: string[];
    findings: Classification['findings'];
    /** What hosted profiles were sent with --redact (null: nobody got a redacted copy). */
    redacted: string | null;
  };
  outDir: string;
  runs: RunReport[];
  diffs: DiffReport[];
}

// ------------------------------------------------------------------------------------- input

const USAGE_HINT = [
  'Examples:',
  '  codex-profiles compare "explain this regex" --profiles ollama-qwen,lmstudio-coder',
  '  codex-profiles compare --file prompt.txt --profiles local-a,local-b --out answers/',
].join('\n');

/** `--profiles a,b --profiles c` -> [a, b, c]; refuses fewer than two, duplicates, bad names. */
export function parseProfileList(values: readonly string[]): string[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length < 2) {
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
    );
  }
}

// ----------------------------------------------------------------------------------- privacy

export type PrivacyDecision =
  | { action: 'refuse'; message: string; hint: string }
  | {
      action: 'run';
      /** The prompt per profile name. */
      prompts: Map<string, { text: string; sent: 'original' | 'redacted' }>;
      redacted: string | null;
      warnings: string[];
      notes: string[];
    };

/**
 * The privacy rule. A prompt classified `local` goes to local profiles as it is; hosted
 * profiles get it only with `--redact` (they get the redacted copy, which must classify as
 * hosted) or `--allow-hosted` (they get it as it is, with a warning). Otherwise: refuse.
 */
export function decidePrivacy(input: {
  prompt: string;
  classification: Classification;
  profiles: ReadonlyArray<{ name: string; hosted: boolean; reason: string }>;
  allowHosted: boolean;
  redact: boolean;
}): PrivacyDecision {
  const { prompt, classification, profiles } = input;
  const hosted = profiles.filter((p) => p.hosted);
  const original = { text: prompt, sent: 'original' as const };
  const all = () => new Map<string, { text: string; sent: 'original' | 'redacted' }>(profiles.map((p) => [p.name, original]));
  const notes: string[] = [];
  const warnings: string[] = [];

  if (classification.verdict === 'hosted' || hosted.length === 0) {
    if (input.redact) {
      notes.push(
        classification.verdict === 'hosted'
          ? '--redact: the prompt has nothing to redact; every profile gets it as it is.'
          : '--redact: no chosen profile is hosted; every profile gets the prompt as it is.',
      );
    }
    return { action: 'run', prompts: all(), redacted: null, warnings, notes };
  }

  const names = hosted.map((p) => p.name).join(', ');
  const found = classification.findings;
  const what = found
    .slice(0, 5)
    .map((f) => `${f.rule} at ${f.line}:${f.column}`)
    .join(', ');
  const more = found.length > 5 ? `, +${found.length - 5} more` : '';
  const summary = `the prompt is classified local (${found.length} finding${found.length === 1 ? '' : 's'}: ${what}${more})`;

  if (input.redact) {
    const redaction = redact(prompt, found);
    const recheck = classify(redaction.text);
    if (recheck.verdict !== 'hosted') {
      return {
        action: 'refuse',
        message:
          `Not comparing: ${summary}, and its redacted copy still matches ` +
          `${recheck.findings.map((f) => `${f.rule} at ${f.line}:${f.column}`).join(', ')}; nothing was sent.`,
        hint: 'Check it with: codex-profiles classify --redact --file PROMPT_FILE',
      };
    }
    const prompts = all();
    for (const p of hosted) prompts.set(p.name, { text: redaction.text, sent: 'redacted' });
    notes.push(
      `--redact: ${summary}; the hosted profile${hosted.length === 1 ? '' : 's'} ${names} get${hosted.length === 1 ? 's' : ''} a redacted copy ` +
        `(${redaction.replaced} value${redaction.replaced === 1 ? '' : 's'} replaced by placeholders such as [EMAIL_1]), the local ones the original. ` +
        'Differences in the answers may come from the redaction.',
    );
    return { action: 'run', prompts, redacted: redaction.text, warnings, notes };
  }

  if (input.allowHosted) {
    warnings.push(
      `--include-hosted: ${summary}, and it is sent as it is to ${names} (hosted). ` +
        'Next time consider --redact (hosted profiles get a redacted copy); see `codex-profiles classify --redact`.',
    );
    return { action: 'run', prompts: all(), redacted: null, warnings, notes };
  }

  const why = hosted.map((p) => `  ${p.name}: ${p.reason}`).join('\n');
  return {
    action: 'refuse',
    message: `Not comparing: ${summary}, and ${names} ${hosted.length === 1 ? 'is' : 'are'} hosted. Nothing was sent.\n${why}`,
    hint: [
      'See what was found and a redacted copy:  codex-profiles classify --redact "PROMPT"',
      'Send hosted profiles the redacted copy:  add --redact',
      'Send it anyway:                          add --include-hosted',
      'Or compare local profiles only.',
    ].join('\n'),
  };
}

// ------------------------------------------------------------------------------------ lanes

/**
 * Which runs go one after another: local profiles on the same server share a lane (one local
 * server, one model loaded at a time); every hosted profile has a lane of its own. Lanes run in
 * parallel. Order inside a lane follows --profiles.
 */
export function planLanes(runs: ReadonlyArray<{ profile: string; judgement: ProviderJudgement }>): string[][] {
  const lanes = new Map<string, string[]>();
  for (const run of runs) {
    const key = run.judgement.hosted ? `hosted:${run.profile}` : `local:${serverKey(run.judgement)}`;
    const lane = lanes.get(key);
    if (lane) lane.push(run.profile);
    else lanes.set(key, [run.profile]);
  }
  return [...lanes.values()];
}

// --------------------------------------------------------------------------------- verifying

/**
 * A run counts only when codex answered AND says it used the profile's provider and model: an
 * answer from anywhere else is a failure (the prompt went somewhere it was not meant to go).
 */
export function verifyRun(plan: PlannedRun, result: ExecResult): CompareFailure | null {
  if (!result.ok) {
    return result.failure ?? { code: 'unknown', message: 'codex did not answer.' };
  }
  const { provider, model } = plan.judgement;
  if (result.reportedProvider === undefined) {
    return {
      code: 'provider_unverified',
      message: `codex answered but did not say which provider it used (no \`provider:\` line on stderr); expected \`${provider}\`.`,
      fix: 'Report this: this codex version prints a header codex-profiles does not understand.',
    };
  }
  if (result.reportedProvider !== provider) {
    return {
      code: 'provider_mismatch',
      message: `codex used provider \`${result.reportedProvider}\`, but profile \`${plan.profile}\` names \`${provider}\`: the prompt went to another provider.`,
      fix: `Check ${plan.path} and config.toml (codex-profiles list); a run without the profile falls back to the base config.`,
    };
  }
  if (model !== undefined && result.reportedModel !== model) {
    return {
      code: 'model_mismatch',
      message: `codex used model \`${result.reportedModel ?? '(not reported)'}\`, but profile \`${plan.profile}\` names \`${model}\`.`,
      fix: `Check \`model\` in ${plan.path}.`,
    };
  }
  return null;
}

// ------------------------------------------------------------------------------------ output

/** The first lines of an answer, each cut to a readable width. */
export function previewLines(text: string, maxLines = PREVIEW_LINES, width = PREVIEW_WIDTH): string[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const shown = lines.slice(0, maxLines).map((l) => ([...l].length > width ? `${[...l].slice(0, width - 1).join('')}…` : l));
  if (lines.length > maxLines) shown.push(`… (${lines.length - maxLines} more line${lines.length - maxLines === 1 ? '' : 's'})`);
  return shown;
}

/** Text as saved in NAME.md: the answer with one final newline. */
export function answerFileText(answer: string): string {
  return answer.replace(/\r?\n$/, '') + '\n';
}

/** A unified diff `A.md` -> `B.md` of two answers ('' when they are the same). */
export function answerDiff(from: { profile: string; answer: string }, to: { profile: string; answer: string }): DiffReport {
  const a = answerFileText(from.answer);
  const b = answerFileText(to.answer);
  if (a === b) return { from: from.profile, to: to.profile, identical: true, patch: '' };
  const patch = createTwoFilesPatch(`${from.profile}.md`, `${to.profile}.md`, a, b, undefined, undefined, { context: 3 })
    // The "=====" banner line adds nothing to a two-file diff.
    .replace(/^=+\n/, '');
  return { from: from.profile, to: to.profile, identical: false, patch };
}

/** Diffs between the answered runs: the first answered profile against each other one. */
export function buildDiffs(runs: readonly RunReport[]): DiffReport[] {
  const answered = runs.filter((r) => r.status === 'ok' && r.answer !== null) as Array<RunReport & { answer: string }>;
  const [first, ...rest] = answered;
  if (!first) return [];
  return rest.map((r) => answerDiff(first, r));
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The human report (stdout), as lines. */
export function renderReport(report: CompareReport, savedFiles: readonly string[]): string[] {
  const lines: string[] = [];
  const verdict = report.prompt.verdict === 'local' ? chalk.yellow('local') : chalk.green('hosted');
  lines.push(`Prompt: ${verdict}${report.prompt.verdict === 'hosted' ? ' (no sensitive content found by the rule set)' : ''}`);
  lines.push('');
  lines.push(
    renderTable(
      ['PROFILE', 'WHERE', 'PROVIDER', 'MODEL', 'STATUS', 'TIME'],
      report.runs.map((r) => [
        r.profile,
        r.hosted ? (r.promptSent === 'redacted' ? 'hosted (redacted)' : 'hosted') : 'local',
        r.provider,
        r.model ?? '(default)',
        r.status === 'ok' ? chalk.green('ok') : r.status === 'not-run' ? chalk.dim(`not run: ${r.failure?.code ?? ''}`) : chalk.red(`failed: ${r.failure?.code ?? 'unknown'}`),
        formatSeconds(r.durationMs),
      ]),
    ),
  );
  for (const r of report.runs) {
    lines.push('');
    lines.push(chalk.bold(`== ${r.profile} ==`));
    if (r.status === 'not-run') {
      lines.push(`  ${r.failure?.message ?? 'not run.'}`);
      if (r.failure?.fix) lines.push(`  fix: ${r.failure.fix}`);
      continue;
    }
    if (r.status === 'failed') {
      lines.push(`  ${chalk.red('error:')} ${r.failure?.message ?? 'codex did not answer.'}`);
      if (r.failure?.fix) lines.push(`  fix: ${r.failure.fix}`);
      if (r.answer === null || r.answer.trim() === '') continue;
      lines.push(chalk.dim('  (its answer, not used:)'));
    }
    for (const l of previewLines(r.answer ?? '')) lines.push(l === '' ? '' : `  ${l}`);
  }
  lines.push('');
  const answered = report.runs.filter((r) => r.status === 'ok').length;
  if (answered < 2) {
    lines.push(answered === 0 ? 'No profile answered: nothing to compare.' : 'Only one profile answered: nothing to compare.');
  } else {
    for (const d of report.diffs) {
      if (d.identical) {
        lines.push(`${d.from} and ${d.to} answered the same.`);
      } else {
        lines.push(chalk.bold(`Diff ${d.from} -> ${d.to}:`));
        lines.push(colorDiff(d.patch.replace(/\n$/, '')));
      }
      lines.push('');
    }
    if (lines[lines.length - 1] === '') lines.pop();
    lines.push('');
  }
  lines.push(`Saved in ${report.outDir}: ${savedFiles.join(', ')}`);
  if (report.interrupted) lines.push('Interrupted (Ctrl-C): the codex runs in flight were stopped.');
  return lines;
}
