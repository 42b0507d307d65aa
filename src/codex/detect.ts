/**
 * Which Codex is installed, and what `codex -p NAME` reads there (the era, see
 * docs/codex-eras.md):
 *
 * | codex        | `codex exec --help`                        | `-p NAME` reads              |
 * |--------------|--------------------------------------------|------------------------------|
 * | <= 0.130     | `-p, --profile <CONFIG_PROFILE>`           | `[profiles.NAME]` table      |
 * | 0.131-0.133  | same, plus `--profile-v2 <CONFIG_PROFILE_V2>` | the table (`--profile-v2 NAME` reads `NAME.config.toml`) |
 * | >= 0.134     | `-p, --profile <CONFIG_PROFILE_V2>`        | `$CODEX_HOME/NAME.config.toml` |
 *
 * The help text decides; the version only breaks ties when the help does not say.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectionKey, readCachedFacts, writeCachedFacts, type CachedFacts } from './detect-cache.js';
import { launchCommand, runTree } from './process.js';
import { envValue, findOnPath } from '../system/which.js';
import { CODEX_INSTALL_FIX } from '../diagnostics.js';
import { compareVersions, isVersion } from '../version-order.js';

import type { ProfileLayout } from '../config/profiles.js';
import { BUILD } from '../version.js';

export type { ProfileLayout };

export interface CodexInfo extends HelpFacts {
  found: boolean;
  bin?: string;
  /** e.g. "0.169.0" (from `codex --version`: "codex-cli 0.169.0"). */
  version?: string;
}

export interface DetectOptions {
  /** `--codex-bin`: a path, or a name looked up on PATH. */
  codexBin?: string;
  /** The environment codex runs with (PATH is searched there). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Per command. Default 20000. */
  timeoutMs?: number;
  /**
   * Keep the facts on disk in this folder (`userCacheDir(env)`, src/codex/detect-cache.ts), so
   * that the next command need not start codex; none: detect every time (per process cache only).
   */
  cacheDir?: string;
  /** Detect even when the disk cache has the binary, and store the result (doctor). */
  refreshCache?: boolean;
  /**
   * codex-profiles' own folder (default: where this file is installed). A `codex` found on PATH
   * inside it is never used: `npx codex-profiles` puts `<package>/node_modules/.bin` first on
   * PATH, where a dependency's `codex` would shadow the user's own. An explicit path in
   * `--codex-bin` is still honoured.
   */
  packageRoot?: string;
}

/**
 * src/codex/detect.ts is two folders below the package root, the bundle's dist/*.js one (src/version.ts
 * BUILD). The standalone executable has no package, so no node_modules/.bin of its own either:
 * nothing is excluded. (Its own folder is often where the user's codex is too: /usr/local/bin,
 * ~/.local/bin, Homebrew's bin; seen by hand, a codex beside the executable was ignored.)
 */
export const PACKAGE_ROOT: string | undefined =
  BUILD?.layout === 'sea' ? undefined : path.resolve(path.dirname(fileURLToPath(import.meta.url)), ...(BUILD ? ['..'] : ['..', '..']));

/** 0.134.0: `-p` reads `NAME.config.toml`. */
const FILE_ERA = '0.134.0';
/** 0.131.0: first version with `--profile-v2`. */
const V2_FROM = '0.131.0';
/** `--ephemeral` exists from 0.121 at the latest (domain.md). */
const EPHEMERAL_FROM = '0.121.0';

/** How messages name the installed Codex: `codex 0.169.0`, or `this codex` when its version is unknown. */
export function codexLabel(codex: Pick<CodexInfo, 'version'>): string {
  return codex.version ? `codex ${codex.version}` : 'this codex';
}

/** `codex-cli 0.169.0` -> `0.169.0`. */
export function parseCodexVersion(text: string): string | undefined {
  const m = /\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\b/.exec(text);
  return m?.[1];
}

/** What `codex exec --help` (else the version) says about selecting profiles. */
export interface HelpFacts {
  /** What `codex -p NAME` reads: a `NAME.config.toml` file, or a `[profiles.NAME]` table. */
  layout: ProfileLayout;
  /** The flag that selects a profile, as `codex exec --help` lists it (`-p`). */
  profileFlag: string;
  /** The help's placeholder after `--profile` (`CONFIG_PROFILE` or `CONFIG_PROFILE_V2`). */
  profilePlaceholder?: string;
  /** `--profile-v2 NAME` is accepted (0.131-0.133; rejected from 0.134). */
  profileV2: boolean;
  /** `--ephemeral` is accepted. */
  ephemeral: boolean;
  warnings: string[];
}

/**
 * Reads the era from `codex exec --help` (undefined when it could not be run), using the version
 * only where the help is silent.
 */
export function parseExecHelp(help: string | undefined, version?: string): HelpFacts {
  const warnings: string[] = [];
  const known = version !== undefined && isVersion(version);
  const byVersion = (): ProfileLayout => (known && compareVersions(version, FILE_ERA)! < 0 ? 'table' : 'file');

  const m = help === undefined ? null : /^\s*(?:(-[A-Za-z]),\s*)?--profile\s+<([A-Za-z0-9_]+)>/m.exec(help);
  let layout: ProfileLayout;
  let profileFlag = '-p';
  let profilePlaceholder: string | undefined;
  if (m) {
    profileFlag = m[1] ?? '--profile';
    profilePlaceholder = m[2];
    if (profilePlaceholder === 'CONFIG_PROFILE_V2') layout = 'file';
    else if (profilePlaceholder === 'CONFIG_PROFILE') layout = 'table';
    else {
      layout = byVersion();
      warnings.push(
        `codex exec --help shows an unknown placeholder <${profilePlaceholder}> after --profile; ` +
          `assuming ${layout === 'file' ? 'profile files (NAME.config.toml)' : '[profiles.NAME] tables'} from the version.`,
      );
    }
  } else {
    layout = byVersion();
    const why = help === undefined ? 'could not read codex exec --help' : 'codex exec --help does not list --profile';
    warnings.push(
      `${why}; assuming ${layout === 'file' ? 'profile files (NAME.config.toml)' : '[profiles.NAME] tables'}` +
        (known ? ` from version ${version}.` : ' (the newest layout).'),
    );
  }

  let profileV2: boolean;
  if (help !== undefined && /(^|\s)--profile-v2\b/m.test(help)) profileV2 = true;
  else {
    // 0.131-0.133 accept --profile-v2 (0.131 lists it in the help we captured; domain.md says
    // it may be unlisted). From 0.134 it is an unknown argument.
    profileV2 =
      layout === 'table' && known && compareVersions(version, V2_FROM)! >= 0 && compareVersions(version, FILE_ERA)! < 0;
  }

  const ephemeral =
    help !== undefined ? /(^|\s)--ephemeral\b/m.test(help) : known && compareVersions(version, EPHEMERAL_FROM)! >= 0;

  return { layout, profileFlag, profilePlaceholder, profileV2, ephemeral, warnings };
}

const cache = new Map<string, Promise<CodexInfo>>();

/** Forgets cached detections (tests, or after installing another codex). */
export function clearCodexCache(): void {
  cache.clear();
}

function notFound(warning: string, bin?: string): CodexInfo {
  return {
    found: false,
    bin,
    layout: 'file',
    profileFlag: '-p',
    profileV2: false,
    ephemeral: false,
    warnings: [warning],
  };
}

async function resolveBin(
  codexBin: string | undefined,
  env: NodeJS.ProcessEnv,
  packageRoot: string | undefined,
  skipped: string[],
): Promise<string | undefined> {
  const search = { exclude: packageRoot === undefined ? [] : [packageRoot], onExcluded: (file: string) => skipped.push(file) };
  if (codexBin === undefined || codexBin.trim() === '') return findOnPath('codex', env, process.platform, search);
  const looksLikePath = codexBin.includes('/') || codexBin.includes('\\') || path.isAbsolute(codexBin);
  if (!looksLikePath) return findOnPath(codexBin, env, process.platform, search);
  const abs = path.resolve(codexBin);
  try {
    return (await fs.stat(abs)).isFile() ? abs : undefined;
  } catch {
    return undefined;
  }
}

async function detectUncached(opts: DetectOptions): Promise<CodexInfo> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 20000;
  const packageRoot = opts.packageRoot ?? PACKAGE_ROOT;
  const skipped: string[] = [];
  const bin = await resolveBin(opts.codexBin, env, packageRoot, skipped);
  const skippedNote = skipped.length
    ? `Ignored ${skipped.join(', ')}: inside codex-profiles' own folder (${packageRoot}), not your Codex.`
    : undefined;
  if (!bin) {
    const info = notFound(
      opts.codexBin
        ? `--codex-bin ${opts.codexBin}: no such file. Assuming the newest profile layout (NAME.config.toml).`
        : `codex was not found on PATH; assuming the newest profile layout (NAME.config.toml). ${CODEX_INSTALL_FIX}`,
    );
    if (skippedNote) info.warnings.push(skippedNote);
    return info;
  }
  const launch = await launchCommand(bin);
  const cacheKey = opts.cacheDir !== undefined ? await detectionKey(bin, launch) : undefined;
  if (cacheKey && opts.cacheDir !== undefined && !opts.refreshCache) {
    const facts = await readCachedFacts(opts.cacheDir, cacheKey.key);
    if (facts) return { found: true, bin, ...facts, warnings: skippedNote ? [...facts.warnings, skippedNote] : facts.warnings };
  }
  const run = (args: string[]) =>
    runTree({ file: launch.file, args: [...launch.prefixArgs, ...args], env, timeoutMs });
  const [ver, help] = await Promise.all([run(['--version']), run(['exec', '--help'])]);

  const warnings: string[] = launch.warning ? [launch.warning] : [];
  if (ver.spawnError || ver.timedOut || ver.exitCode !== 0) {
    const why = ver.spawnError
      ? ver.spawnError.message
      : ver.timedOut
        ? `no answer within ${timeoutMs} ms`
        : `exit code ${ver.exitCode}: ${lastLine(ver.stderr)}`;
    const info = notFound(`could not run ${bin} --version (${why}); assuming the newest profile layout (NAME.config.toml).`, bin);
    info.warnings.unshift(...warnings);
    if (skippedNote) info.warnings.push(skippedNote);
    return info;
  }
  const version = parseCodexVersion(ver.stdout) ?? parseCodexVersion(ver.stderr);
  if (!version) warnings.push(`could not read a version from "${lastLine(ver.stdout)}".`);
  const helpText = help.exitCode === 0 && !help.timedOut ? help.stdout : undefined;
  const facts = parseExecHelp(helpText, version);
  const detected: CachedFacts = {
    version,
    layout: facts.layout,
    profileFlag: facts.profileFlag,
    profilePlaceholder: facts.profilePlaceholder,
    profileV2: facts.profileV2,
    ephemeral: facts.ephemeral,
    warnings: [...warnings, ...facts.warnings],
  };
  // Only a clean detection is kept: a help that failed or timed out may work next time.
  if (cacheKey && opts.cacheDir !== undefined && version !== undefined && helpText !== undefined) {
    await writeCachedFacts(opts.cacheDir, cacheKey.key, cacheKey.real, detected);
  }
  // Not in the cached facts: it depends on PATH, not on the binary.
  return { found: true, bin, ...detected, warnings: skippedNote ? [...detected.warnings, skippedNote] : detected.warnings };
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1] ?? '';
}

/**
 * Finds codex (`--codex-bin`, else PATH) and reads its version and profile era from
 * `codex --version` and `codex exec --help`. Absent codex gives `found: false`, layout 'file'
 * and a warning. Results are cached per process (by binary and PATH), and on disk with
 * `cacheDir` (by the binary's identity; see src/codex/detect-cache.ts).
 */
export function detectCodex(opts: DetectOptions = {}): Promise<CodexInfo> {
  const env = opts.env ?? process.env;
  const key = JSON.stringify([opts.codexBin ?? null, envValue(env, 'PATH') ?? '', envValue(env, 'PATHEXT') ?? '', process.cwd(), opts.packageRoot ?? null]);
  let pending = cache.get(key);
  if (!pending) {
    pending = detectUncached(opts);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending.then((info) => ({ ...info, warnings: [...info.warnings] }));
}
