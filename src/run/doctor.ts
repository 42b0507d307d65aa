/** `codex-profiles doctor`: the checks of src/verify/doctor.ts, probed live, as a table or JSON. */
import fs from 'node:fs/promises';
import { detectCodex } from '../codex/detect.js';
import { userCacheDir } from '../codex/detect-cache.js';
import { loadHome } from '../config/profiles.js';
import type { CommandContext } from '../context.js';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE } from '../errors.js';
import { readAdminPins } from '../codex/admin-pins.js';
import { buildDoctorReport, probeTargets, providerTargets, renderDoctor, type DoctorProbe } from '../verify/doctor.js';
import { probeServer } from '../verify/probe.js';
import { trustOf } from '../verify/trust.js';

export interface DoctorArgs {
  /** `--codex-home` as given (to say where CODEX_HOME came from). */
  codexHomeFlag?: string;
}

export async function runDoctor(args: DoctorArgs, ctx: CommandContext, deps: { probe?: DoctorProbe } = {}): Promise<number> {
  const [codex, state] = await Promise.all([detectCodex({ codexBin: ctx.opts.codexBin, env: ctx.env, cacheDir: userCacheDir(ctx.env), refreshCache: true }), loadHome(ctx.opts.codexHome)]);
  const source = args.codexHomeFlag !== undefined ? '--codex-home' : ctx.env.CODEX_HOME?.trim() ? 'CODEX_HOME' : 'default';
  const exists = await fs.stat(ctx.opts.codexHome).then((s) => s.isDirectory(), () => false);
  const probe: DoctorProbe = deps.probe ?? ((url, kind, useCli) => probeServer(url, kind, { env: ctx.env, useCli }));
  const providers = await probeTargets(providerTargets(state, ctx.env), probe);
  const report = buildDoctorReport({ codex, home: { path: ctx.opts.codexHome, source, exists }, state, providers, env: ctx.env, adminPins: readAdminPins(ctx.env) });
  // Informational (never fails doctor): what Codex will do in the folder doctor runs from.
  const trust = trustOf(state, process.cwd());
  if (ctx.opts.json) ctx.out.json({ ...report, trust });
  else ctx.out.line(`${renderDoctor(report)}\n\nThis folder: ${trust.message}${trust.fix ? `\n  fix: ${trust.fix}` : ''}`);
  if (state.errors.length > 0) return EXIT_USAGE;
  return report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
}
