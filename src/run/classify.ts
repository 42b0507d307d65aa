/**
 * `codex-profiles classify`: read the prompt, classify it, print the verdict (and the redacted
 * prompt with --redact). Exit 0 whenever classification ran: `local` is information, not a
 * failure. Exit 2 for usage errors (no prompt, both a prompt and --file, unreadable file).
 */
import chalk from 'chalk';
import type { CommandContext } from '../context.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { classify, type Classification, type Finding } from '../route/classify.js';
import { redact } from '../route/redact.js';
import { readPromptInput } from '../ui/prompt-input.js';

export interface ClassifyRunOptions {
  /** The prompt given on the command line (words joined with spaces). */
  prompt?: string;
  /** A file to read, `-` for stdin. */
  file?: string;
  redact: boolean;
  showMapping: boolean;
}

const USAGE_HINT = [
  'Examples:',
  '  codex-profiles classify "summarise this for me"',
  '  codex-profiles classify --file prompt.txt',
  '  cat prompt.txt | codex-profiles classify --file -',
].join('\n');

function readInput(opts: ClassifyRunOptions): Promise<{ text: string; source: string }> {
  return readPromptInput(opts, 'classify', USAGE_HINT);
}

function findingLines(findings: readonly Finding[]): string[] {
  const pos = findings.map((f) => `${f.line}:${f.column}`);
  const posWidth = Math.max(...pos.map((p) => p.length));
  const ruleWidth = Math.max(...findings.map((f) => f.rule.length));
  return findings.map((f, i) => `  ${(pos[i] as string).padEnd(posWidth)}  ${f.rule.padEnd(ruleWidth)}  ${f.preview}`);
}

function report(result: Classification): string[] {
  const lines: string[] = [];
  if (result.verdict === 'hosted') {
    lines.push(`${chalk.green('hosted')}: ${result.reasons[0] ?? ''}`);
    lines.push(chalk.dim('(a rule set, not a guarantee: see docs/routing.md for what it looks for)'));
    return lines;
  }
  const n = result.findings.length;
  lines.push(`${chalk.yellow('local')}: ${n} finding${n === 1 ? '' : 's'} keep${n === 1 ? 's' : ''} this prompt on the machine`);
  lines.push(...findingLines(result.findings));
  lines.push('');
  lines.push('Why:');
  for (const reason of result.reasons) lines.push(`  - ${reason}`);
  return lines;
}

export async function runClassify(ctx: CommandContext, opts: ClassifyRunOptions): Promise<number> {
  if (opts.showMapping && !opts.redact) {
    throw new UsageError('--show-mapping only makes sense with --redact.', 'Run: codex-profiles classify --redact --show-mapping ...');
  }
  const { text, source } = await readInput(opts);
  const result = classify(text);

  const redaction = opts.redact ? redact(text, result.findings, { mapping: true }) : undefined;
  if (redaction) {
    const recheck = classify(redaction.text);
    if (recheck.verdict !== 'hosted') {
      ctx.out.warn(
        `the redacted prompt still matches ${recheck.findings.map((f) => `${f.rule} at ${f.line}:${f.column}`).join(', ')}; check it before sending it anywhere`,
      );
    }
  }

  if (ctx.opts.json) {
    ctx.out.json({
      ok: true,
      source,
      verdict: result.verdict,
      reasons: result.reasons,
      findings: result.findings,
      ...(redaction ? { redacted: redaction.text } : {}),
      ...(redaction && opts.showMapping ? { mapping: redaction.mapping } : {}),
    });
    return EXIT_OK;
  }

  if (!redaction) {
    for (const line of report(result)) ctx.out.line(line);
    if (result.verdict === 'local') {
      ctx.out.line('');
      ctx.out.line('For a hosted model, send the redacted version: add --redact.');
    }
    return EXIT_OK;
  }

  // --redact: stdout is the redacted prompt alone, so it can be piped; the report goes to stderr.
  for (const line of report(result)) ctx.out.note(line);
  if (opts.showMapping && Object.keys(redaction.mapping).length > 0) {
    ctx.out.note('');
    ctx.out.note(chalk.red('Mapping (contains the original values; do not send it):'));
    for (const [placeholder, value] of Object.entries(redaction.mapping)) ctx.out.note(`  ${placeholder} = ${value}`);
  }
  ctx.out.line(redaction.text.replace(/\r?\n$/, ''));
  return EXIT_OK;
}
