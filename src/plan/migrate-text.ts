import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import { ConfigError } from '../errors.js';
import { formatKey, formatValue, parseToml, sameData, type TomlTable } from '../config/toml.js';
import { isTable } from '../config/toml-table.js';

/** The text transforms of a migration: a `[profiles.NAME]` table's text as a profile file's and back, carried byte for byte and checked to mean the same data. */

export function parseAst(text: string, file: string): AST.TOMLProgram {
  try {
    return parseTOML(text, { tomlVersion: '1.1' });
  } catch (err) {
    throw new ConfigError(`${file}: could not read the text to move (${(err as Error).message}). Nothing was changed.`, undefined, 'CONFIG_PARSE');
  }
}

export function topNodes(ast: AST.TOMLProgram): (AST.TOMLKeyValue | AST.TOMLTable)[] {
  return ast.body[0]?.body ?? [];
}

export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

export function lineStartAt(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

export function lineEndAt(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i + 1;
}

/**
 * The text of `[profiles.NAME]` (as `TomlEditor.tableText` cuts it: attached comments, header,
 * body, sub-tables) turned into a profile file: the `[profiles.NAME]` header line goes (a comment
 * on it stays, as a comment line), `[profiles.NAME.sub]` becomes `[sub]` (`[[...]]` alike).
 * Every other byte is kept.
 */
export function tableTextToFileText(tableText: string, file = 'config.toml'): string {
  const ast = parseAst(tableText, file);
  const eol = eolOf(tableText);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const node of topNodes(ast)) {
    if (node.type !== 'TOMLTable') continue;
    const keys = node.key.keys;
    if (keys.length < 2) throw new ConfigError(`${file}: unexpected table [${node.resolvedKey.join('.')}] inside a profile. Nothing was changed.`, undefined, 'CONFIG_SHAPE');
    if (keys.length === 2) {
      // The profile's own header: the line goes; a comment written on it is kept as its own line.
      const start = lineStartAt(tableText, node.range[0]);
      const close = tableText.indexOf(']', node.key.range[1]);
      const end = lineEndAt(tableText, close);
      const comment = ast.comments.find((c) => c.range[0] > close && c.range[0] < end);
      edits.push({ start, end, text: comment ? tableText.slice(comment.range[0], comment.range[1]) + eol : '' });
    } else {
      edits.push({ start: node.key.range[0], end: keys[2]!.range[0], text: '' });
    }
  }
  let out = tableText;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (out.length > 0 && !out.endsWith('\n')) out += eol;
  return out;
}

/**
 * A profile file's text turned into a `[profiles.NAME]` block for config.toml: the comment lines
 * that open the file go above the new header, the keys follow it, `[sub]` becomes
 * `[profiles.NAME.sub]`. Blank lines between the opening comments are dropped (so the comments
 * stay attached to the header); every other byte is kept.
 */
export function fileTextToTableText(fileText: string, name: string, file = `${name}.config.toml`): string {
  const text = fileText.replace(/^\uFEFF/, '');
  const ast = parseAst(text, file);
  const eol = eolOf(text);
  const nodes = topNodes(ast);
  const prefix = `profiles.${formatKey(name)}.`;
  const header = `[profiles.${formatKey(name)}]`;

  // Where the opening part ends: the first key's line, or the first table's block (its header
  // with the comment lines directly above it, which stay with that table).
  const first = nodes[0];
  let leadEnd = text.length;
  if (first) {
    leadEnd = lineStartAt(text, first.range[0]);
    if (first.type === 'TOMLTable') {
      while (leadEnd > 0) {
        const prev = lineStartAt(text, leadEnd - 1);
        if (!text.slice(prev, leadEnd).trimStart().startsWith('#')) break;
        leadEnd = prev;
      }
    }
  }
  const lead = text.slice(0, leadEnd);
  const leadLines = lead.split(/(?<=\n)/).filter((l) => l.length > 0);
  let lastComment = -1;
  leadLines.forEach((l, i) => {
    if (l.trim() !== '') lastComment = i;
  });
  const comments = leadLines.slice(0, lastComment + 1).filter((l) => l.trim() !== '').map((l) => (l.endsWith('\n') ? l : l + eol));
  const blanks = leadLines.slice(lastComment + 1).join('');

  let rest = text.slice(leadEnd);
  const inserts = nodes.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable').map((n) => n.key.range[0] - leadEnd);
  for (const at of inserts.sort((a, b) => b - a)) rest = rest.slice(0, at) + prefix + rest.slice(at);
  let out = comments.join('') + header + eol + blanks + rest;
  if (!out.endsWith('\n')) out += eol;
  return out;
}

/** A table's data as top-level profile-file text, for shapes without text of their own to carry. */
export function dataToFileText(data: TomlTable): string {
  const lines: string[] = [];
  const tables: [string, TomlTable][] = [];
  for (const [k, v] of Object.entries(data)) {
    if (isTable(v)) tables.push([k, v]);
    else lines.push(`${formatKey(k)} = ${formatValue(v)}`);
  }
  let text = lines.length ? lines.join('\n') + '\n' : '';
  for (const [k, v] of tables) text += `${text ? '\n' : ''}[${formatKey(k)}]\n` + dataToFileText(v).replace(/^\[/gm, `[${formatKey(k)}.`);
  return text;
}

export function refuseUnlessSame(text: string, data: unknown, file: string, what: string): void {
  let parsed: TomlTable;
  try {
    parsed = parseToml(text, file);
  } catch (err) {
    throw new ConfigError(`refusing to ${what}: the new text would not be valid TOML (${(err as Error).message}). Nothing was changed.`, undefined, 'EDIT_REFUSED');
  }
  if (!sameData(parsed, data)) {
    throw new ConfigError(`refusing to ${what}: the new text would not mean exactly the same settings. Nothing was changed.`, 'Please report this; move the profile by hand meanwhile.', 'EDIT_REFUSED');
  }
}
