/**
 * The smoke test's defaults, apart from src/verify/smoke.ts so that `test` can check its flags
 * and start codex detection before the smoke test's code (discovery, HTTP, the TOML model) loads.
 */

/** Per run; a cold model can take a while to load. */
export const DEFAULT_SMOKE_TIMEOUT_MS = 120_000;
