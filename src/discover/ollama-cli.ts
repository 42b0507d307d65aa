/**
 * Ollama without its server: `ollama list` (text, padded columns) as a fallback listing, so a
 * stopped server still shows what is installed. Sizes are rounded and capabilities unknown.
 */
import { findOllamaCli, runCli } from './exec.js';
import { judgeModel } from './hints.js';
import type { ModelRecord, ProbeOptions, ProviderReport } from './types.js';

/** A record before anything is known but its id (shared with the HTTP listing in ollama.ts). */
export function newRecord(id: string): ModelRecord {
  return { provider: 'ollama', id, displayName: id, capabilities: {}, sources: {}, hints: [] };
}

/** Human sizes as `ollama list` prints them (powers of 1000): `13 GB`, `868 MB`, `512 B`. */
export function parseHumanBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)$/i.exec(text.trim());
  if (!m) return undefined;
  const mult: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
  return Math.round(Number(m[1]) * mult[m[2]!.toUpperCase()]!);
}

/**
 * `ollama list` text: a header `NAME  ID  SIZE  MODIFIED`, then padded columns separated by two
 * or more spaces. SIZE is `-` for cloud models. Lines that do not split into columns are skipped.
 */
export function parseOllamaList(stdout: string): { models: ModelRecord[]; skipped: number } {
  const lines = stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
  const headerAt = lines.findIndex((l) => /^NAME\s+ID\s+SIZE\b/i.test(l.trim()));
  if (headerAt < 0) return { models: [], skipped: lines.length };
  const models: ModelRecord[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const line of lines.slice(headerAt + 1)) {
    const cols = line.trim().split(/\s{2,}/);
    const name = cols[0];
    if (cols.length < 3 || !name || seen.has(name)) {
      skipped++;
      continue;
    }
    seen.add(name);
    const rec = newRecord(name);
    rec.sources.id = '`ollama list` NAME';
    const sizeText = cols[2]!.trim();
    if (sizeText === '-') {
      rec.remoteHost = 'ollama.com';
      rec.sources.remoteHost = '`ollama list` SIZE "-" (cloud model)';
    } else {
      const size = parseHumanBytes(sizeText);
      if (size !== undefined) {
        rec.sizeBytes = size;
        rec.sources.sizeBytes = '`ollama list` SIZE (rounded)';
      }
    }
    models.push(rec);
  }
  return { models, skipped };
}

export async function ollamaCliFallback(report: ProviderReport, opts: ProbeOptions): Promise<void> {
  if (!opts.useCli) return;
  const cli = findOllamaCli(opts.env, opts.platform);
  if (!cli) {
    report.notes.push({
      level: 'info',
      code: 'NOT_INSTALLED',
      message: 'no Ollama server answered and no `ollama` command is on PATH',
      fix: 'install Ollama from https://ollama.com/download if you want to use it',
    });
    return;
  }
  const r = await runCli(cli, ['list'], { env: { ...opts.env, OLLAMA_HOST: report.url }, timeoutMs: opts.cliTimeoutMs });
  if (r.ok) {
    const { models, skipped } = parseOllamaList(r.stdout);
    for (const m of models) m.hints = judgeModel(m, opts.env);
    report.models = models;
    report.via = 'cli';
    report.notes.push({
      level: 'info',
      code: 'CLI_LISTING',
      message: `models listed by \`ollama list\` (${cli}); size is rounded and capabilities and context are unknown until the server answers over HTTP`,
    });
    if (skipped > 0) {
      report.notes.push({ level: 'warn', code: 'ENTRIES_SKIPPED', message: `${skipped} line${skipped === 1 ? '' : 's'} of \`ollama list\` could not be read` });
    }
  } else {
    report.notes.push({ level: 'info', code: 'CLI_FAILED', message: r.reason });
  }
  report.notes.push({
    level: 'info',
    code: 'START_SERVER',
    message: `Ollama is installed (${cli}) but its server does not answer at ${report.url}`,
    fix: 'start it: `ollama serve`, or open the Ollama app',
  });
}
