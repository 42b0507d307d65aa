/**
 * The rule set behind `codex-profiles classify`: what counts as sensitive content that should keep
 * a prompt on the machine. It is data (id, title, severity, why) plus a small matcher per rule;
 * docs/routing.md has the table with examples and near-misses.
 *
 * Matchers are written to stay linear on any input (200 KB adversarial strings are tested):
 * - every regular expression starts with a look-behind that only accepts the start of a token, so
 *   a failed attempt in the middle of a long run of word characters costs O(1);
 * - repeated groups are unambiguous (each repetition starts with a delimiter that the previous
 *   one cannot consume) and open-ended quantifiers are bounded where a failure could rescan;
 * - anything that needs arithmetic or context (Luhn, IBAN mod 97, octet ranges, base64 JSON,
 *   "is this a placeholder") is checked in code on the candidate, never by backtracking.
 *
 * Where in doubt the rules lean towards `local`: a false `local` costs a slower model, a false
 * `hosted` sends data off the machine.
 *
 * The rules themselves are data, one module per category under rules/; this file lists them in
 * the order findings are ranked.
 */
import type { Rule } from './rules/match.js';
import { anthropicKey, authorizationHeader, awsAccessKeyId, awsSecretAccessKey, githubToken, googleApiKey, jwt, openaiKey, privateKey, secretAssignment, slackToken, stripeKey } from './rules/secrets.js';
import { azureStorageKey, gitlabToken, huggingFaceToken, passwordInProse, sendgridKey, urlPassword } from './rules/secrets-more.js';
import { accountObjectId, creditCard, customerIdField, customerRef, email, iban, usSsn } from './rules/personal.js';
import { internalHost, ipv4Private, ipv4Public, ipv6Private, ipv6Public } from './rules/hosts.js';

export { PLACEHOLDER_RE, isPlaceholder, type Rule, type Severity, type Span } from './rules/match.js';
export { isTrivialSecretValue } from './rules/secrets.js';
export { cardPrefixLength, ibanChecksumOk, isCardNumber } from './rules/personal.js';
export { internalSuffix, ipv4Kind, ipv6Kind } from './rules/hosts.js';

/** Every rule, most specific first. */
export const RULES: readonly Rule[] = [
  privateKey,
  anthropicKey,
  awsAccessKeyId,
  githubToken,
  slackToken,
  googleApiKey,
  stripeKey,
  openaiKey,
  awsSecretAccessKey,
  jwt,
  azureStorageKey,
  huggingFaceToken,
  gitlabToken,
  sendgridKey,
  urlPassword,
  authorizationHeader,
  secretAssignment,
  passwordInProse,
  creditCard,
  iban,
  usSsn,
  accountObjectId,
  customerRef,
  customerIdField,
  email,
  ipv6Private,
  ipv6Public,
  ipv4Private,
  ipv4Public,
  internalHost,
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
