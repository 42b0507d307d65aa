/**
 * The audit's shapes: a finding, a rule, and the context the rules read. Shared by the rules
 * (audit-rules.ts), the context builder (audit-context.ts) and the report (audit-report.ts).
 */
import type { AdminPins } from '../codex/admin-pins.js';
import type { CodexInfo } from '../codex/detect.js';
import type { Diagnostic, Place, Severity } from '../diagnostic.js';
import type { HomeState, Profile } from '../config/profiles.js';
import type { ServerProbe } from './probe.js';
import type { EffectiveProvider } from './provider-of.js';

export type { Severity };

/**
 * An audit finding: the one diagnostic shape (src/diagnostic.ts; `code` is the rule id, `place`
 * the file position) plus the flat fields `audit --json` has always printed.
 */
export interface Finding extends Diagnostic {
  rule: string;
  /** The file (or `(environment)` for an environment variable). */
  file: string;
  /** 1-based, when the finding is about a line. */
  line?: number;
  column?: number;
  profile?: string;
  fix: string;
}

/** One profile as the rules see it: where codex finds it, its provider, and the server probe. */
export interface AuditedProfile {
  profile: Profile;
  provider: EffectiveProvider;
  /** Probe of the provider's server (local providers only; hosted ones are never contacted). */
  probe?: ServerProbe;
}

export interface AuditContext {
  state: HomeState;
  codex: CodexInfo;
  env: NodeJS.ProcessEnv;
  profiles: AuditedProfile[];
  /** Probe of Codex's URL for `oss_provider`, when it names ollama or lmstudio. */
  ossProbe?: ServerProbe;
  /** What an administrator pins above the user's config (readAdminPins; none when absent). */
  adminPins?: AdminPins;
}

export type Draft = Omit<Finding, 'rule' | 'severity' | 'code' | 'place'> & { severity?: Severity };

export interface AuditRule {
  id: string;
  /** The usual severity; a finding may say otherwise (e.g. tools: error on Ollama, warn on LM Studio). */
  severity: Severity;
  /** What it checks, one line (docs/checks.md lists the rules with their fixes). */
  summary: string;
  check(ctx: AuditContext): Draft[];
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The place of a finding, from its flat fields. */
export function findingPlace(f: Pick<Finding, 'file' | 'line' | 'column'>): Place {
  const place: Place = { file: f.file };
  if (f.line !== undefined) place.line = f.line;
  if (f.column !== undefined) place.col = f.column;
  return place;
}
