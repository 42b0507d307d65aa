/**
 * compare's policy: which profiles may be sent the prompt (the privacy rule), and which runs go
 * one after another (lanes).
 */
import { classify, type Classification } from './classify.js';
import { serverKey, type ProviderJudgement } from './hosted.js';
import { redact } from './redact.js';

// ----------------------------------------------------------------------------------- privacy

export type PrivacyDecision =
  | { action: 'refuse'; message: string; hint: string }
  | {
      action: 'run';
      /** The prompt per profile name. */
      prompts: Map<string, { text: string; sent: 'original' | 'redacted' }>;
      redacted: string | null;
      warnings: string[];
      notes: string[];
    };

/**
 * The privacy rule. A prompt classified `local` goes to local profiles as it is; hosted
 * profiles get it only with `--redact` (they get the redacted copy, which must classify as
 * hosted) or `--allow-hosted` (they get it as it is, with a warning). Otherwise: refuse.
 */
export function decidePrivacy(input: {
  prompt: string;
  classification: Classification;
  /** `locality`: where the prompt goes when not this machine (`network` or `cloud`), for the message. */
  profiles: ReadonlyArray<{ name: string; hosted: boolean; reason: string; locality?: string }>;
  allowHosted: boolean;
  redact: boolean;
}): PrivacyDecision {
  const { prompt, classification, profiles } = input;
  const hosted = profiles.filter((p) => p.hosted);
  const original = { text: prompt, sent: 'original' as const };
  const all = () => new Map<string, { text: string; sent: 'original' | 'redacted' }>(profiles.map((p) => [p.name, original]));
  const notes: string[] = [];
  const warnings: string[] = [];

  if (classification.verdict === 'hosted' || hosted.length === 0) {
    if (input.redact) {
      notes.push(
        classification.verdict === 'hosted'
          ? '--redact: the prompt has nothing to redact; every profile gets it as it is.'
          : '--redact: no chosen profile is hosted; every profile gets the prompt as it is.',
      );
    }
    return { action: 'run', prompts: all(), redacted: null, warnings, notes };
  }

  const names = hosted.map((p) => p.name).join(', ');
  const found = classification.findings;
  const what = found
    .slice(0, 5)
    .map((f) => `${f.rule} at ${f.line}:${f.column}`)
    .join(', ');
  const more = found.length > 5 ? `, +${found.length - 5} more` : '';
  const summary = `the prompt is classified local (${found.length} finding${found.length === 1 ? '' : 's'}: ${what}${more})`;

  if (input.redact) {
    const redaction = redact(prompt, found);
    const recheck = classify(redaction.text);
    if (recheck.verdict !== 'hosted') {
      return {
        action: 'refuse',
        message:
          `Not comparing: ${summary}, and its redacted copy still matches ` +
          `${recheck.findings.map((f) => `${f.rule} at ${f.line}:${f.column}`).join(', ')}; nothing was sent.`,
        hint: 'Check it with: codex-profiles classify --redact --file PROMPT_FILE',
      };
    }
    const prompts = all();
    for (const p of hosted) prompts.set(p.name, { text: redaction.text, sent: 'redacted' });
    notes.push(
      `--redact: ${summary}; the hosted profile${hosted.length === 1 ? '' : 's'} ${names} get${hosted.length === 1 ? 's' : ''} a redacted copy ` +
        `(${redaction.replaced} value${redaction.replaced === 1 ? '' : 's'} replaced by placeholders such as [EMAIL_1]), the local ones the original. ` +
        'Differences in the answers may come from the redaction.',
    );
    return { action: 'run', prompts, redacted: redaction.text, warnings, notes };
  }

  if (input.allowHosted) {
    warnings.push(
      `--include-hosted: ${summary}, and it is sent as it is to ${names} (hosted). ` +
        'Next time consider --redact (hosted profiles get a redacted copy); see `codex-profiles classify --redact`.',
    );
    return { action: 'run', prompts: all(), redacted: null, warnings, notes };
  }

  const why = hosted.map((p) => `  ${p.name}: ${p.reason}`).join('\n');
  // A GPU box on the LAN or an Ollama cloud model is refused like a hosted service: say which.
  const where = hosted.map((p) => `${p.name} (${p.locality ?? 'hosted'})`).join(', ');
  return {
    action: 'refuse',
    message: `Not comparing: ${summary}, and sent to ${where} it leaves this machine. Nothing was sent.\n${why}`,
    hint: [
      'See what was found and a redacted copy:  codex-profiles classify --redact "PROMPT"',
      'Send hosted profiles the redacted copy:  add --redact',
      'Send it anyway:                          add --include-hosted',
      'Or compare local profiles only.',
    ].join('\n'),
  };
}

// ------------------------------------------------------------------------------------ lanes

/**
 * Which runs go one after another: local profiles on the same server share a lane (one local
 * server, one model loaded at a time); every hosted profile has a lane of its own. Lanes run in
 * parallel. Order inside a lane follows --profiles.
 */
export function planLanes(runs: ReadonlyArray<{ profile: string; judgement: ProviderJudgement }>): string[][] {
  const lanes = new Map<string, string[]>();
  for (const run of runs) {
    const key = run.judgement.hosted ? `hosted:${run.profile}` : `local:${serverKey(run.judgement)}`;
    const lane = lanes.get(key);
    if (lane) lane.push(run.profile);
    else lanes.set(key, [run.profile]);
  }
  return [...lanes.values()];
}

