/**
 * Fake credentials for the classify tests. Each is obviously fake (FAKE, fake, 0000) but matches
 * its rule. They are built by concatenation so that no literal in the source looks like a leaked
 * key to a secret scanner.
 */

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function fakeJwt(payload: Record<string, unknown> = { sub: 'fake-user' }): string {
  return [b64url({ alg: 'HS256', typ: 'JWT' }), b64url(payload), 'fake' + 'signature0000'].join('.');
}

const DASHES = '-'.repeat(5);

export function fakePem(kind = 'RSA ', body = ['MIIE' + 'FAKE'.repeat(15), 'FAKE'.repeat(8) + '=='], eol = '\n'): string {
  return [`${DASHES}BEGIN ${kind}PRIVATE KEY${DASHES}`, ...body, `${DASHES}END ${kind}PRIVATE KEY${DASHES}`].join(eol);
}

export const FAKE = {
  awsAccessKeyId: 'AKIA' + 'FAKE'.repeat(4),
  awsTempKeyId: 'ASIA' + 'FAKE0000'.repeat(2),
  awsSecretKey: 'fAkE'.repeat(9) + 'f/k+',
  github: 'ghp' + '_' + 'FAKE'.repeat(9),
  githubServer: 'ghs' + '_' + 'fake0000'.repeat(5),
  githubPat: 'github' + '_pat_' + '11FAKE0000' + '_' + 'fake'.repeat(15),
  openai: 'sk' + '-proj-' + 'FAKEfake0000'.repeat(4),
  openaiLegacy: 'sk' + '-' + 'FAKEfake0000'.repeat(4),
  anthropic: 'sk' + '-ant-api03-' + 'FAKEfake0000'.repeat(4),
  slack: 'xox' + 'b-' + '0000000000-0000000000-' + 'FAKEfakeFAKE',
  google: 'AI' + 'za' + 'FAKE'.repeat(8) + 'fak',
  stripe: 'sk' + '_live_' + 'FAKE'.repeat(6),
  stripeRestricted: 'rk' + '_test_' + 'fake0000'.repeat(3),
  jwt: fakeJwt(),
  bearer: 'FAKE' + 'fake0000'.repeat(3),
  /** base64("fake-user:fake-pass-0000") */
  basic: Buffer.from('fake-user:' + 'fake-pass-0000').toString('base64'),
  pem: fakePem(),
  /** Visa test number. */
  card: '4111 1111 1111 1111',
  /** Azure storage: 86 base64 characters and `==` after AccountKey=. */
  azureAccountKey: 'FAKE' + 'fake0000'.repeat(10) + 'FA' + '==',
  huggingFace: 'hf' + '_' + 'FAKEfakeFAKEfake'.repeat(2) + 'Fk',
  gitlab: 'gl' + 'pat-' + 'FAKEfake0000FAKEfake',
  sendgrid: 'SG' + '.' + 'FAKEfake0000FAKEfake00' + '.' + 'FAKEfake0000'.repeat(3) + 'FAKEfak',
  /** The IBAN from the ISO 13616 examples. */
  iban: 'DE89 3704 0044 0532 0130 00',
} as const;
