import chalk from 'chalk';
import { renderTable } from '../ui/table.js';
import { formatTokens, isEmbeddingOnly } from './hints.js';
import type { DiscoveryResult, Hint, ModelRecord, ProviderReport } from './types.js';
import { displayNameOf } from './registry.js';
import { safeText } from '../ui/terminal-text.js';

export { safeText };

/** 13_800_000_000 -> `13.8 GB` (powers of 1000, like both providers print sizes). */
export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

function contextCell(m: ModelRecord): string {
  const max = m.contextLength;
  const run = m.runtimeContextLength;
  if (run !== undefined && max !== undefined && run !== max) return `${formatTokens(run)}/${formatTokens(max)}`;
  if (run !== undefined) return formatTokens(run);
  if (max !== undefined) return formatTokens(max);
  return '?';
}

function toolsCell(m: ModelRecord): string {
  if (isEmbeddingOnly(m)) return '-';
  const t = m.capabilities.tools;
  return t === true ? 'yes' : t === false ? chalk.yellow('no') : '?';
}

function statusCell(m: ModelRecord): string {
  const parts: string[] = [];
  if (m.loaded) parts.push(chalk.green('loaded'));
  if (m.remoteHost) parts.push('cloud');
  if (isEmbeddingOnly(m)) parts.push(chalk.dim('embedding, not for profiles'));
  return parts.join(', ');
}

function statusWord(r: ProviderReport): string {
  switch (r.status) {
    case 'up':
      return chalk.green('up');
    case 'down':
      return chalk.red('down');
    case 'not-responding':
      return chalk.red('not responding');
    case 'error':
      return chalk.red('error');
  }
}

function mark(level: Hint['level']): string {
  return level === 'error' ? chalk.red('✖') : level === 'warn' ? chalk.yellow('!') : chalk.dim('·');
}

function hintLines(subject: string | undefined, h: Hint): string[] {
  const head = `  ${mark(h.level)} ${subject ? safeText(subject, 200) + ': ' : ''}${safeText(h.message, 400)}`;
  return h.fix ? [head, `      ${chalk.dim('fix:')} ${safeText(h.fix, 400)}`] : [head];
}

/** Model hints, grouped when several models share the same one. Info hints are left to --json unless `all`. */
function modelHintLines(models: ModelRecord[], all: boolean): string[] {
  const groups = new Map<string, { ids: string[]; hint: Hint }>();
  for (const m of models) {
    for (const h of m.hints) {
      if (!all && h.level === 'info' && h.code !== 'EMBEDDING_ONLY' && h.code !== 'TOOLS_UNKNOWN') continue;
      if (h.code === 'EMBEDDING_ONLY') continue; // already in the STATUS column
      const key = `${h.level}\u0000${h.code}\u0000${h.message}\u0000${h.fix ?? ''}`;
      const g = groups.get(key) ?? { ids: [], hint: h };
      g.ids.push(m.id);
      groups.set(key, g);
    }
  }
  const order = { error: 0, warn: 1, info: 2 } as const;
  const fixed = new Set<string>();
  return [...groups.values()]
    .sort((a, b) => order[a.hint.level] - order[b.hint.level])
    .flatMap((g) => {
      const shown = g.ids.slice(0, 4).map((id) => safeText(id, 40));
      const subject = g.ids.length > 4 ? `${shown.join(', ')} and ${g.ids.length - 4} more` : shown.join(', ');
      // One server setting fixes several hints (small context, default context): say it once.
      const fix = g.hint.fix !== undefined && fixed.has(g.hint.fix) ? undefined : g.hint.fix;
      if (g.hint.fix !== undefined) fixed.add(g.hint.fix);
      return hintLines(subject, { ...g.hint, fix });
    });
}

/**
 * One short line per model and fact, and each fix once under the models it applies to: the
 * same explanation (Ollama's default context) is not repeated for every unloaded model.
 */
export function hintSummaryLines(items: ReadonlyArray<{ subject: string; hint: Hint }>): string[] {
  const groups = new Map<string, Array<{ subject: string; hint: Hint }>>();
  for (const item of items) {
    const key = `${item.hint.code}\u0000${item.hint.fix ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()].flatMap((g) => {
    const lines = g.map(({ subject, hint }) => `${mark(hint.level)} ${safeText(subject, 200)}: ${safeText(hint.message, 400)}`);
    const fix = g[0]!.hint.fix;
    return fix ? [...lines, `    ${chalk.dim('fix:')} ${safeText(fix, 400)}`] : lines;
  });
}

export interface RenderOptions {
  /** Also list info-level hints for every model. */
  verbose?: boolean;
}

/** The `models` command's human output. */
export function renderDiscovery(result: DiscoveryResult, opts: RenderOptions = {}): string {
  const out: string[] = [];
  for (const r of result.providers) {
    const name = chalk.bold(displayNameOf(r.provider));
    const version = r.version ? ` (version ${safeText(r.version, 20)})` : '';
    const exposed = r.exposed ? ` ${chalk.yellow('[exposed]')}` : '';
    const reason = r.reason ? `: ${safeText(r.reason, 240)}` : '';
    out.push(`${name} ${statusWord(r)} at ${safeText(r.url, 100)}${version}${exposed}${reason}`);
    if (r.models.length > 0) {
      if (r.via === 'cli') out.push(chalk.dim('  (from the command-line tool; the server did not answer)'));
      const rows = r.models.map((m) => [
        safeText(m.id, 48),
        formatBytes(m.sizeBytes),
        safeText(m.parameters ?? '', 12),
        safeText(m.quantization ?? '', 12),
        contextCell(m),
        toolsCell(m),
        statusCell(m),
      ]);
      const table = renderTable(['NAME', 'SIZE', 'PARAMS', 'QUANT', 'CONTEXT', 'TOOLS', 'STATUS'], rows);
      out.push(...table.split('\n').map((l, i) => (i === 0 ? '  ' + chalk.dim(l) : '  ' + l)));
      if (r.models.some((m) => m.runtimeContextLength !== undefined && m.contextLength !== undefined && m.runtimeContextLength !== m.contextLength)) {
        out.push(chalk.dim('  CONTEXT a/b: running with a tokens, model maximum b'));
      }
      out.push(...modelHintLines(r.models, opts.verbose === true));
    }
    for (const n of r.notes) {
      if (n.code === 'URL_SOURCE' && !opts.verbose) continue;
      out.push(...hintLines(undefined, n));
    }
    out.push('');
  }
  if (result.codexOss.notes.length > 0) {
    out.push(chalk.bold('Codex'));
    for (const n of result.codexOss.notes) out.push(...hintLines(undefined, n));
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
