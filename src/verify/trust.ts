/**
 * Is a directory trusted for Codex, and what will Codex do there? (issue 18)
 *
 * Two separate things, both checked against the real binaries and the source:
 * - `codex exec` runs only inside a git repository (or with `--skip-git-repo-check`):
 *   "Not inside a trusted directory and --skip-git-repo-check was not specified." (exit 1). A
 *   `[projects."<dir>"] trust_level = "trusted"` entry does NOT lift that (seen on 0.131, 0.133,
 *   0.169, 0.171; read: codex-rs/exec/src/lib.rs checks only `get_git_repo_root(cwd)`). 0.169+
 *   need a real repository (`.git/HEAD`); an empty `.git` folder satisfied 0.131/0.133 only.
 * - The interactive codex asks "do you trust this folder?" before the session when no trust
 *   decision covers the folder, and saves the answer as `[projects."<key>"]` in config.toml
 *   (read: codex-rs/tui `should_show_trust_screen`). The decision is looked up, in this order,
 *   under the folder itself, its project root (the nearest ancestor holding `.git`) and its
 *   repository root (for a linked worktree: the main checkout), each as written and as the
 *   canonical path, compared as exact strings (read: codex-rs/config loader `decision_for_dir`).
 *   Untrusted projects also do not get their `.codex/config.toml` loaded.
 *
 * Reading only: nothing here runs git or writes anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HomeState } from '../config/profiles.js';
import { shellWord } from '../system/shell-word.js';

export type TrustLevel = 'trusted' | 'untrusted';

export interface TrustReport {
  /** The directory judged (absolute). */
  dir: string;
  /** The nearest ancestor (or itself) that is a git checkout: `.git/HEAD`, or a `.git` file naming its gitdir. */
  gitRoot?: string;
  /** For a linked worktree, the main checkout; else the same as gitRoot. */
  repoRoot?: string;
  /** The `[projects."KEY"]` entry that decides, when there is one. */
  entry?: { key: string; trustLevel: TrustLevel; for: 'dir' | 'project-root' | 'repo-root' };
  trusted: boolean;
  /** `codex exec` starts here without --skip-git-repo-check. */
  execRuns: boolean;
  /** The interactive codex asks before it starts. */
  tuiAsks: boolean;
  /** What Codex will do here, in one or two sentences. */
  message: string;
  /** The key `codex-profiles trust` writes for this directory (the one the interactive codex would save). */
  key: string;
  fix?: string;
}

function canonical(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/** The directory's git checkout root and, for a linked worktree, its main checkout. */
export function gitRoots(dir: string): { gitRoot?: string; repoRoot?: string } {
  for (let current = dir; ; current = path.dirname(current)) {
    const dotGit = path.join(current, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory() && fs.existsSync(path.join(dotGit, 'HEAD'))) return { gitRoot: current, repoRoot: current };
    if (stat?.isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (m) {
        const gitdir = path.resolve(current, m[1]!);
        // `<main>/.git/worktrees/<name>`: the main checkout is the folder holding that `.git`.
        const parts = gitdir.split(path.sep);
        const i = parts.lastIndexOf('worktrees');
        const repoRoot = i >= 2 && parts[i - 1] === '.git' ? parts.slice(0, i - 1).join(path.sep) || path.sep : current;
        return { gitRoot: current, repoRoot };
      }
    }
    if (path.dirname(current) === current) return {};
  }
}

function projectsOf(state: HomeState): Map<string, TrustLevel> {
  const out = new Map<string, TrustLevel>();
  const projects = state.config?.data.projects;
  if (typeof projects !== 'object' || projects === null || Array.isArray(projects)) return out;
  for (const [key, value] of Object.entries(projects as Record<string, unknown>)) {
    const level = (value as { trust_level?: unknown } | null)?.trust_level;
    if (level === 'trusted' || level === 'untrusted') out.set(key, level);
  }
  return out;
}

export function trustOf(state: HomeState, dirIn: string): TrustReport {
  const dir = path.resolve(dirIn);
  const { gitRoot, repoRoot } = gitRoots(canonical(dir));
  const projects = projectsOf(state);
  const lookups: Array<[NonNullable<TrustReport['entry']>['for'], string | undefined]> = [
    ['dir', dir],
    ['project-root', gitRoot],
    ['repo-root', repoRoot],
  ];
  let entry: TrustReport['entry'];
  for (const [kind, p] of lookups) {
    if (p === undefined || entry) continue;
    for (const key of [canonical(p), p]) {
      const level = projects.get(key);
      if (level) {
        entry = { key, trustLevel: level, for: kind };
        break;
      }
    }
  }
  const trusted = entry?.trustLevel === 'trusted';
  const execRuns = gitRoot !== undefined;
  const key = canonical(repoRoot ?? dir);
  const where = gitRoot ? `inside the git repository ${gitRoot}` : 'not inside a git repository';
  const decided = entry ? `[projects."${entry.key}"] trust_level = "${entry.trustLevel}" in config.toml` : 'no [projects] entry in config.toml covers it';
  const exec = execRuns ? '`codex exec` runs here' : '`codex exec` refuses to start here ("Not inside a trusted directory and --skip-git-repo-check was not specified.") unless given --skip-git-repo-check, whatever config.toml says';
  const tui = !entry
    ? 'the interactive codex asks whether to trust the folder before it starts'
    : trusted
      ? 'the interactive codex starts without asking'
      : 'the interactive codex starts without asking, but does not load the project\'s .codex/config.toml';
  const report: TrustReport = { dir, trusted, execRuns, tuiAsks: !entry, message: `${dir} is ${where}; ${decided}: ${exec}; ${tui}.`, key };
  if (gitRoot) report.gitRoot = gitRoot;
  if (repoRoot) report.repoRoot = repoRoot;
  if (entry) report.entry = entry;
  if (!trusted) report.fix = `\`codex-profiles trust ${shellWord(key)}\` adds [projects."${key}"] trust_level = "trusted"${execRuns ? '' : '; `codex exec` also needs a git repository (`git init`) or --skip-git-repo-check'}.`;
  return report;
}

/**
 * The launcher's one line about trust for the codex it is about to start (undefined: nothing to
 * say, the folder is trusted and codex will not refuse). `codexArgs` are the arguments after `--`.
 */
export function launchTrustNote(report: TrustReport, codexArgs: readonly string[]): string | undefined {
  const exec = codexArgs.find((a) => !a.startsWith('-')) === 'exec';
  if (exec) {
    if (report.execRuns || codexArgs.includes('--skip-git-repo-check') || codexArgs.includes('--dangerously-bypass-approvals-and-sandbox')) return undefined;
    return `${report.dir} is not inside a git repository: \`codex exec\` will refuse to start ("Not inside a trusted directory"); pass -- exec --skip-git-repo-check ..., or run it in a repository.`;
  }
  if (report.entry === undefined) return `${report.dir} is not trusted for Codex yet: codex will first ask whether to trust it (answer ahead with \`codex-profiles trust\`).`;
  if (!report.trusted) return `${report.dir} is marked untrusted ([projects."${report.entry.key}"]): codex starts without asking, without the project's .codex/config.toml.`;
  return undefined;
}
