import { createRequire } from 'node:module';

/**
 * What scripts/build.mjs bakes into the bundle (esbuild `define`), so the shipped CLI reads no
 * file beside itself for these: the standalone executable (scripts/build-sea.mjs) has none.
 * Undefined when src/ runs as it is (the unit tests).
 */
export interface BuildInfo {
  version: string;
  /** templates/<kind>.toml, by kind. */
  templates: Record<string, string>;
  /** 'npm': dist/ one folder below the package root; 'sea': a single executable, no package root. */
  layout: 'npm' | 'sea';
}

declare const __CODEX_PROFILES_BUILD__: BuildInfo | undefined;

export const BUILD: BuildInfo | undefined = typeof __CODEX_PROFILES_BUILD__ === 'undefined' ? undefined : __CODEX_PROFILES_BUILD__;

// Read lazily: import.meta.url has no file in the standalone executable.
export const VERSION: string = BUILD?.version ?? (createRequire(import.meta.url)('../package.json') as { version: string }).version;
