/**
 * compare's judge: did a finished run answer through the profile's provider and model.
 */
import type { ExecResult } from '../codex/exec.js';
import type { CompareFailure, PlannedRun } from './compare-types.js';

// --------------------------------------------------------------------------------- verifying

/**
 * A run counts only when codex answered AND says it used the profile's provider and model: an
 * answer from anywhere else is a failure (the prompt went somewhere it was not meant to go).
 */
export function verifyRun(plan: PlannedRun, result: ExecResult): CompareFailure | null {
  if (!result.ok) {
    return result.failure ?? { code: 'unknown', message: 'codex did not answer.' };
  }
  const { provider, model } = plan.judgement;
  if (result.reportedProvider === undefined) {
    return {
      code: 'provider_unverified',
      message: `codex answered but did not say which provider it used (no \`provider:\` line on stderr); expected \`${provider}\`.`,
      fix: 'Report this: this codex version prints a header codex-profiles does not understand.',
    };
  }
  if (result.reportedProvider !== provider) {
    return {
      code: 'provider_mismatch',
      message: `codex used provider \`${result.reportedProvider}\`, but profile \`${plan.profile}\` names \`${provider}\`: the prompt went to another provider.`,
      fix: `Check ${plan.path} and config.toml (codex-profiles list); a run without the profile falls back to the base config.`,
    };
  }
  if (model !== undefined && result.reportedModel !== model) {
    return {
      code: 'model_mismatch',
      message: `codex used model \`${result.reportedModel ?? '(not reported)'}\`, but profile \`${plan.profile}\` names \`${model}\`.`,
      fix: `Check \`model\` in ${plan.path}.`,
    };
  }
  return null;
}

