import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A temporary folder standing in for everything a test touches: a Codex home, a fake user home
 * (HOME / USERPROFILE point here so nothing can reach the real one), a working directory.
 */
export function makeTempDir(prefix = 'cp-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A sandbox: `home` (fake user home) and `codexHome` inside it (not created). */
export interface Sandbox {
  root: string;
  home: string;
  codexHome: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const root = makeTempDir();
  const home = path.join(root, 'home');
  fs.mkdirSync(home);
  return { root, home, codexHome: path.join(home, '.codex'), cleanup: () => removeDir(root) };
}

/** An environment that cannot reach the real home, real Codex config or any proxy. */
export function sandboxEnv(sb: Sandbox, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    // Codex-profiles reads the admin's system config (src/codex/admin-pins.ts): never the real /etc.
    CODEX_PROFILES_SYSTEM_CONFIG_DIR: path.join(sb.root, 'system-codex'),
    HOME: sb.home,
    USERPROFILE: sb.home,
    CODEX_HOME: sb.codexHome,
    TMPDIR: os.tmpdir(),
    NO_COLOR: '1',
    CI: 'true',
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}
