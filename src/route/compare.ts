/**
 * `codex-profiles compare "PROMPT" --profiles A,B[,C]`: run one prompt through several profiles
 * with `codex exec -p NAME` and compare the final answers. See docs/routing.md ("compare").
 *
 * Order of work, so that nothing is sent anywhere before every check passed:
 * 1. flags and the prompt (usage errors: exit 2);
 * 2. the installed Codex and its profile era; every profile must exist where THAT Codex reads
 *    `-p NAME` (a missing `NAME.config.toml` makes >= 0.134 silently run the base config, often a
 *    hosted model): exit 2, nothing run;
 * 3. the privacy rule: the prompt is classified; a `local` prompt is not sent to a hosted profile
 *    (judged by src/route/hosted.ts) unless `--redact` (hosted profiles get the redacted copy) or
 *    `--allow-hosted`: exit 2, nothing run;
 * 4. the runs: profiles on the same local server one after another, the rest in parallel; each
 *    through runCodexExec (era flags, stdin closed, timeout, process-tree kill); afterwards the
 *    provider and model codex reports must be the profile's;
 * 5. answers saved (`NAME.md`, `compare.json`), first lines and unified diffs shown.
 * Exit 0 when every profile answered, 1 when any run failed.
 */
// The pieces live by role (pre-flight, policy, judge, render); callers keep importing compare.js.
export * from './compare-types.js';
export * from './compare-preflight.js';
export * from './compare-policy.js';
export * from './compare-judge.js';
export * from './compare-render.js';
export * from './compare-adhoc.js';
export * from './compare-adhoc-guard.js';
