/**
 * The one order of dotted versions (Codex, Ollama, vLLM), for every layer: discovery compares
 * server versions with it too, so it lives outside src/codex/ and src/discover/.
 */

function parts(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Whether `version` starts with major.minor.patch (an optional `v` before it). */
export function isVersion(version: string): boolean {
  return parts(version) !== undefined;
}

/**
 * -1, 0 or 1 on major.minor.patch (pre-release and build tags ignored: `0.134.0-alpha.1` is
 * `0.134.0`); undefined when either side is not a version, so a caller must decide what an
 * unreadable version means instead of getting a silent "equal".
 */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parts(a);
  const y = parts(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}
