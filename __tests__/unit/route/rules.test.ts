import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify } from '../../../src/route/classify.js';
import {
  RULES,
  ibanChecksumOk,
  internalSuffix,
  ipv4Kind,
  ipv6Kind,
  isCardNumber,
  isPlaceholder,
  isTrivialSecretValue,
  ruleById,
  type Rule,
} from '../../../src/route/rules.js';
import { FAKE, fakeJwt, fakePem } from '../../helpers/fake-secrets.js';

/**
 * Every rule: texts it must match (with the exact value it must report) and near-misses it must
 * not match. The last test checks that no rule is left without both kinds.
 */
interface Cases {
  match: Array<[text: string, value: string]>;
  miss: string[];
}

const D5 = '-'.repeat(5);

const CASES: Record<string, Cases> = {
  'private-key': {
    match: [
      [`here is my key:\n${FAKE.pem}\nthanks`, FAKE.pem],
      [`${fakePem('OPENSSH ', ['b3BlbnNzaC1rZXktdjE' + 'FAKE'.repeat(10), 'FAKE=='])}`, fakePem('OPENSSH ', ['b3BlbnNzaC1rZXktdjE' + 'FAKE'.repeat(10), 'FAKE=='])],
      [`${fakePem('EC ', ['MHcC' + 'FAKE'.repeat(10)], '\r\n')}\r\n`, fakePem('EC ', ['MHcC' + 'FAKE'.repeat(10)], '\r\n')],
      [fakePem('', ['MIIEv' + 'FAKE'.repeat(5)]), fakePem('', ['MIIEv' + 'FAKE'.repeat(5)])],
      [`${D5}BEGIN ENCRYPTED PRIVATE KEY${D5}\nMIIF${'FAKE'.repeat(8)}\n${D5}END ENCRYPTED PRIVATE KEY${D5}`, `${D5}BEGIN ENCRYPTED PRIVATE KEY${D5}\nMIIF${'FAKE'.repeat(8)}\n${D5}END ENCRYPTED PRIVATE KEY${D5}`],
      [`${D5}BEGIN PGP PRIVATE KEY BLOCK${D5}\n\nlQOY${'FAKE'.repeat(8)}\n${D5}END PGP PRIVATE KEY BLOCK${D5}`, `${D5}BEGIN PGP PRIVATE KEY BLOCK${D5}\n\nlQOY${'FAKE'.repeat(8)}\n${D5}END PGP PRIVATE KEY BLOCK${D5}`],
      // JSON-escaped newlines (a service-account file pasted into a prompt).
      [`{"private_key": "${D5}BEGIN PRIVATE KEY${D5}\\nMIIE${'FAKE'.repeat(4)}\\n${D5}END PRIVATE KEY${D5}\\n"}`, `${D5}BEGIN PRIVATE KEY${D5}\\nMIIE${'FAKE'.repeat(4)}\\n${D5}END PRIVATE KEY${D5}`],
      // END line missing (truncated paste): the header and the base64 lines, not the prose after them.
      [`${D5}BEGIN RSA PRIVATE KEY${D5}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,FAKE\n\nMIIE${'FAKE'.repeat(4)}\nFAKE==\n\nwhy does this fail?`, `${D5}BEGIN RSA PRIVATE KEY${D5}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,FAKE\n\nMIIE${'FAKE'.repeat(4)}\nFAKE==`],
      // Collapsed onto one line.
      [`KEY="${D5}BEGIN PRIVATE KEY${D5} MIIE${'FAKE'.repeat(5)} ${'FAKE'.repeat(5)}=="`, `${D5}BEGIN PRIVATE KEY${D5} MIIE${'FAKE'.repeat(5)} ${'FAKE'.repeat(5)}==`],
    ],
    miss: [
      `${D5}BEGIN PUBLIC KEY${D5}\nMIIB${'FAKE'.repeat(8)}\n${D5}END PUBLIC KEY${D5}`,
      `${D5}BEGIN RSA PUBLIC KEY${D5}\nMIIB${'FAKE'.repeat(8)}\n${D5}END RSA PUBLIC KEY${D5}`,
      `${D5}BEGIN CERTIFICATE${D5}\nMIID${'FAKE'.repeat(8)}\n${D5}END CERTIFICATE${D5}`,
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' + 'FAKE'.repeat(8) + ' me@laptop',
      'How do I generate a private key? BEGIN PRIVATE KEY is the header, right?',
      `${D5}BEGIN private key${D5}`,
    ],
  },
  'aws-access-key-id': {
    match: [
      [`export AWS_ACCESS_KEY_ID=${FAKE.awsAccessKeyId}`, FAKE.awsAccessKeyId],
      [`"AccessKeyId": "${FAKE.awsTempKeyId}"`, FAKE.awsTempKeyId],
      [`key ${FAKE.awsAccessKeyId}.`, FAKE.awsAccessKeyId],
    ],
    miss: [
      'AKIA' + 'FAKE'.repeat(3) + 'FAK', // 15 characters after the prefix
      'AKIA' + 'FAKE'.repeat(4) + 'X', // 17
      'akia' + 'fake'.repeat(4), // lower case
      'XAKIA' + 'FAKE'.repeat(4), // inside a longer token
      'AGPA' + 'FAKE'.repeat(4), // a group id, not an access key
      'the AKIA prefix marks long-term keys',
    ],
  },
  'aws-secret-access-key': {
    match: [
      [`aws_secret_access_key = ${FAKE.awsSecretKey}`, FAKE.awsSecretKey],
      [`AWS_SECRET_ACCESS_KEY="${FAKE.awsSecretKey}"`, FAKE.awsSecretKey],
      [`{"SecretAccessKey": "${FAKE.awsSecretKey}"}`, FAKE.awsSecretKey],
      [`aws_secret: '${FAKE.awsSecretKey}'`, FAKE.awsSecretKey],
    ],
    miss: [
      `a 40-character value with no context: ${FAKE.awsSecretKey}`,
      `aws_secret_access_key = ${FAKE.awsSecretKey.slice(1)}`, // 39
      `aws_secret_access_key = ${FAKE.awsSecretKey}x`, // 41
      'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}',
      `aws_access_key_id = ${FAKE.awsSecretKey}`, // the id field, not the secret
    ],
  },
  'github-token': {
    match: [
      [`git clone https://${FAKE.github}@github.com/o/r.git`, FAKE.github],
      [`GH_TOKEN=${FAKE.githubServer}`, FAKE.githubServer],
      [`token: ${FAKE.githubPat}`, FAKE.githubPat],
      ['gho' + '_' + 'fake'.repeat(9), 'gho' + '_' + 'fake'.repeat(9)],
      ['ghu' + '_' + '0000'.repeat(9), 'ghu' + '_' + '0000'.repeat(9)],
      ['(ghr' + '_' + 'FAKE'.repeat(10) + ')', 'ghr' + '_' + 'FAKE'.repeat(10)],
    ],
    miss: [
      'ghp' + '_' + 'FAKE'.repeat(8) + 'FAK', // 35 characters
      'ghx' + '_' + 'FAKE'.repeat(9), // unknown prefix
      'ghp_short',
      'xghp' + '_' + 'FAKE'.repeat(9), // inside a word
      'github' + '_pat_' + 'short',
    ],
  },
  'openai-api-key': {
    match: [
      [`OPENAI_API_KEY=${FAKE.openai}`, FAKE.openai],
      [`client = OpenAI(api_key="${FAKE.openaiLegacy}")`, FAKE.openaiLegacy],
      ['sk' + '-svcacct-' + 'FAKEfake0000'.repeat(3), 'sk' + '-svcacct-' + 'FAKEfake0000'.repeat(3)],
    ],
    miss: [
      'sk-learn-compatible-estimators-xyz', // no digits, no upper case
      'sk-' + 'FAKEfake00', // too short
      'risk-' + 'FAKEfake0000'.repeat(3), // `sk-` inside a word
      'sk-' + 'fakefake0000'.repeat(3), // no upper case: not random-looking
      'task-' + 'sk-1234',
    ],
  },
  'anthropic-api-key': {
    match: [
      [`ANTHROPIC_API_KEY=${FAKE.anthropic}`, FAKE.anthropic],
      ['sk' + '-ant-admin01-' + 'fake0000'.repeat(4), 'sk' + '-ant-admin01-' + 'fake0000'.repeat(4)],
    ],
    miss: [
      'sk-ant-' + 'short0', // too short
      'sk-ant-' + 'fakefakefakefakefakefake', // no digit
      'desk-ant-' + 'fake0000'.repeat(4), // inside a word
    ],
  },
  'slack-token': {
    match: [
      [`SLACK_BOT_TOKEN=${FAKE.slack}`, FAKE.slack],
      ['xox' + 'p-0000-FAKEfake00', 'xox' + 'p-0000-FAKEfake00'],
    ],
    miss: ['xox' + 'z-0000000000-FAKEFAKE', 'xox' + 'b-short', 'the xoxb- prefix is for bot tokens'],
  },
  'google-api-key': {
    match: [
      [`key=${FAKE.google}&q=x`, FAKE.google],
      [`"apiKey": "${FAKE.google}"`, FAKE.google],
    ],
    miss: [
      FAKE.google.slice(0, -1), // 34 after the prefix
      FAKE.google + 'x', // 36
      'AIzb' + FAKE.google.slice(4), // wrong prefix
    ],
  },
  'azure-storage-key': {
    match: [
      [`DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=${FAKE.azureAccountKey};EndpointSuffix=core.windows.net`, FAKE.azureAccountKey],
      [`"AccountKey=${FAKE.azureAccountKey}"`, FAKE.azureAccountKey],
    ],
    miss: ['AccountKey=<your-key>', 'AccountKey=' + 'FAKE'.repeat(5), 'the AccountKey part of the connection string'],
  },
  'huggingface-token': {
    match: [
      [`HF_TOKEN=${FAKE.huggingFace}`, FAKE.huggingFace],
      [`login(token="${FAKE.huggingFace}")`, FAKE.huggingFace],
    ],
    miss: ['hf_' + 'fakefakefake'.repeat(3).slice(0, 34), 'hf_' + 'FAKE', 'the hf_ prefix', 'hf_hub_download(repo_id, filename)'],
  },
  'gitlab-token': {
    match: [
      [`PRIVATE-TOKEN: ${FAKE.gitlab}`, FAKE.gitlab],
      [`https://oauth2:${FAKE.gitlab}@gitlab.com/a/b.git`, FAKE.gitlab],
    ],
    miss: ['glpat-' + 'short', 'a glpat- token', 'glpat-' + 'abcdefghijklmnopqrstuv'],
  },
  'sendgrid-api-key': {
    match: [
      [`SENDGRID_API_KEY='${FAKE.sendgrid}'`, FAKE.sendgrid],
      [`SendGridAPIClient("${FAKE.sendgrid}")`, FAKE.sendgrid],
    ],
    miss: ['SG.' + 'FAKE', 'SG.' + 'x'.repeat(22) + '.' + 'y'.repeat(20), 'keys start with SG.'],
  },
  'password-in-prose': {
    match: [
      ['my password is ' + 'hunter2-Blue!' + ' and it fails', 'hunter2-Blue!'],
      ['The passphrase was "' + 'Fake0000pw' + '".', 'Fake0000pw'],
      ['mysql --password ' + 'Fake0000pw' + ' -u root', 'Fake0000pw'],
      ['psql --token ' + 'fake-0000' + ' x', 'fake-0000'],
    ],
    miss: [
      'my password is incorrect',
      'the password is stored hashed',
      'the password is ${DB_PASSWORD}',
      'docker login --password-stdin',
      'use --password $PASS',
      'const password = getPassword();',
      'my password is secret',
    ],
  },
  'stripe-key': {
    match: [
      [`stripe.api_key = "${FAKE.stripe}"`, FAKE.stripe],
      [`STRIPE=${FAKE.stripeRestricted}`, FAKE.stripeRestricted],
    ],
    miss: [
      'pk' + '_live_' + 'FAKE'.repeat(6), // publishable: public by design
      'sk' + '_live_' + 'FAKE', // too short
      'sk' + '_prod_' + 'FAKE'.repeat(6),
    ],
  },
  jwt: {
    match: [
      [`Authorization: Bearer ${FAKE.jwt}`, FAKE.jwt],
      [`id_token=${fakeJwt({ email: 'x' })}&state=1`, fakeJwt({ email: 'x' })],
      [`${FAKE.jwt.split('.').slice(0, 2).join('.')}.`, `${FAKE.jwt.split('.').slice(0, 2).join('.')}.`], // alg none: empty signature
    ],
    miss: [
      FAKE.jwt.split('.').slice(0, 2).join('.'), // two segments
      'eyJhbGciOi.eyJzdWIi.x', // segments are not JSON
      `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.${Buffer.from('{"a":1}').toString('base64url')}.sig`, // header without alg
      'eyJ is how base64 JSON starts',
    ],
  },
  'authorization-header': {
    match: [
      [`curl -H "Authorization: Bearer ${FAKE.bearer}" https://api.example.com`, FAKE.bearer],
      [`Authorization: Basic ${FAKE.basic}`, FAKE.basic],
      [`headers = {"authorization": "bearer ${FAKE.bearer}"}`, FAKE.bearer],
    ],
    miss: [
      'Bearer authentication is described in RFC 6750',
      'Authorization: Bearer ${TOKEN}',
      'Authorization: Bearer <token>',
      'Authorization: Basic dXNlcm5hbWU=', // decodes to "username": no password
      'Bearer short123',
    ],
  },
  'secret-assignment': {
    match: [
      ['DB_PASSWORD=hunter2hunter', 'hunter2hunter'],
      ['"password": "correct horse battery"', 'correct horse battery'],
      ["client_secret: 'Fake-Secret-0000'", 'Fake-Secret-0000'],
      ['Server=db;Uid=sa;Pwd=Fake1234;', 'Fake1234'],
      ['if (password == "letmein99") {', 'letmein99'],
      ['api_key := `fake0000fake`', 'fake0000fake'],
      ['https://example.com/cb?token=fake0000fake&x=1', 'fake0000fake'],
      ['secret_key => fake0000secret', 'fake0000secret'],
    ],
    miss: [
      'password=',
      'password=***',
      'password=xxxxxxxx',
      'token=${GITHUB_TOKEN}',
      'password: string',
      'password?: string',
      'max_tokens=4096',
      'tokens: 123456',
      'password = os.environ["DB_PASSWORD"]',
      'password = getpass()',
      'secret: <your secret>',
      'api_key: YOUR_API_KEY',
      'api_key: your-api-key',
      'PWD=/home/me/project',
      'password = newPassword',
      'self.password = password',
      'password = args.password',
      'token = token',
      'password: null',
      'token=[SECRET_1]',
      'pwd=abc',
      'token => token.trim()',
      'the password is hunter2hunter',
    ],
  },
  'url-password': {
    match: [
      ['postgres://admin:Fake0000pw@db.example.com:5432/app', 'Fake0000pw'],
      ['redis://:fakepass99@cache.example.com:6379', 'fakepass99'],
      ['https://x-access-token:fake-token-0000@github.com/o/r', 'fake-token-0000'],
      ['proxy=http://me:p%40ss0000@proxy.example.com:3128', 'p%40ss0000'],
    ],
    miss: [
      'http://user@host.example.com/',
      'https://host.example.com:8080/path',
      'http://user:@host.example.com/',
      'postgres://admin:${PGPASSWORD}@db.example.com/app',
      'postgres://admin:***@db.example.com/app',
      'postgres://admin:<password>@db.example.com/app',
      'postgres://admin:password@db.example.com/app',
      'user:fake0000@not-a-url',
    ],
  },
  email: {
    match: [
      ['mail jane.doe@acme-fake.com about it', 'jane.doe@acme-fake.com'],
      ['mailto:first+tag@sub.example.co.uk.', 'first+tag@sub.example.co.uk'],
      ['<j_o%e@mail.example.org>', 'j_o%e@mail.example.org'],
      ['...joe@example.com', 'joe@example.com'],
    ],
    miss: [
      'npm i @types/node',
      'pin lodash@4.17.21',
      'icon@2x.png',
      'git@github.com:owner/repo.git',
      'user@localhost',
      'joe.@example.com',
      'a@b.c',
      'postgres://admin:Fake0000pw@db.example.com:5432/app',
      'http://user@host.example.com/',
      '@mention in a comment',
    ],
  },
  'credit-card': {
    match: [
      [`card ${FAKE.card} exp 12/29`, FAKE.card],
      ['4111-1111-1111-1111 2024', '4111-1111-1111-1111'],
      ['5555555555554444', '5555555555554444'],
      ['amex 3782 822463 10005', '3782 822463 10005'],
      ['4111 1111 1111 1111 111 is too long, the first 16 are a card', '4111 1111 1111 1111'],
      ['4111 1111 1111 1111 5555555555554444', '5555555555554444'], // the rest after a card is scanned again
    ],
    miss: [
      '4111 1111 1111 1112', // Luhn fails
      '1234 5678 9012 3456', // no card prefix
      '0.4111111111111111', // a decimal
      '41111 11111 11111 1', // odd grouping
      '4111111111111111111111', // too many digits
      '0000 0000 0000 0000',
      'order 4111111111111111x',
    ],
  },
  iban: {
    match: [
      [`IBAN: ${FAKE.iban}`, FAKE.iban],
      ['DE89370400440532013000', 'DE89370400440532013000'],
      ['GB82 WEST 1234 5698 7654 32 EUR', 'GB82 WEST 1234 5698 7654 32'],
      ['NO9386011117947', 'NO9386011117947'],
    ],
    miss: [
      'DE89 3704 0044 0532 0130 01', // checksum
      'DE88370400440532013000', // checksum
      'XX89370400440532013000', // no such country
      'DE8937040044053201300', // DE is 22 characters
      'DE89 3704 0044 0532 0130', // short
      'de89370400440532013000', // lower case
    ],
  },
  'us-ssn': {
    match: [
      ['SSN: 123-45-6789', '123-45-6789'],
      ['social security number 123-45-6789', '123-45-6789'],
      ['ssn=123456789', '123456789'],
      ['Taxpayer ID: 078-05-1120', '078-05-1120'],
    ],
    miss: [
      'call 123-45-6789 after six', // no context
      'SSN: 000-12-3456', // area 000
      'SSN: 666-12-3456', // area 666
      'SSN: 912-12-3456', // area 9xx
      'SSN: 123-00-4567', // group 00
      'SSN: 123-45-0000', // serial 0000
      'SSN: 123-456-7890', // a phone number shape
      'ssn\n123-45-6789', // context on another line
    ],
  },
  'customer-id': {
    match: [
      ['customer_id=12345', '12345'],
      ['"accountNumber": "A-778812"', 'A-778812'],
      ['WHERE client_no = 998877', '998877'],
      ['patientId: P0042', 'P0042'],
      ['order-number#70001', '70001'],
    ],
    miss: [
      'customer_id=12', // too short
      'userId: string', // no digit
      'customer_id=${id}',
      'customer_identity=12345', // not an id field
      'customers=12345',
    ],
  },
  'customer-ref': {
    match: [
      ['ticket about CUST-00042 again', 'CUST-00042'],
      ['ACCT_778812', 'ACCT_778812'],
      ['MBR123456', 'MBR123456'],
    ],
    miss: ['CUSTOM-123', 'CUST-12', 'PROJ-123', 'cust-00042', 'CUST-0004200000000', 'XCUST-00042'],
  },
  'account-object-id': {
    match: [
      ['acct_1Nv0FGQ9RKHgCVdK', 'acct_1Nv0FGQ9RKHgCVdK'],
      ['customer cus_NffrFeUfNV2Hib', 'cus_NffrFeUfNV2Hib'],
    ],
    miss: ['acct_settings', 'acct_balance', 'cus_1234', 'my_acct_1Nv0FGQ9RKHgCVdK', 'acct_1Nv0FGQ9RKHgCVdK_x'],
  },
  'ipv4-private': {
    match: [
      ['ssh 10.0.0.5', '10.0.0.5'],
      ['192.168.1.20:8080', '192.168.1.20'],
      ['172.16.0.1/12', '172.16.0.1'],
      ['100.64.0.7', '100.64.0.7'],
      ['169.254.169.254', '169.254.169.254'],
      ['range 10.0.0.1-10.0.0.9', '10.0.0.9'],
    ],
    miss: ['172.32.0.1', '8.8.8.8', '10.0.0', 'v10.0.0.1', 'version 10.0.0.1', '10.0.0.1.5', '010.0.0.1', '10.0.0.256'],
  },
  'ipv4-public': {
    match: [
      ['the server at 8.8.8.8.', '8.8.8.8'],
      ['203.0.113.7', '203.0.113.7'],
      ['host=1.2.3.4 port=22', '1.2.3.4'],
    ],
    miss: [
      '1.2.3', // a version
      'v1.2.3.4',
      'version 1.2.3.4',
      '1.2.3.4.5',
      '0.0.0.0',
      '127.0.0.1',
      '255.255.255.0',
      '224.0.0.251',
      '01.02.03.04',
      '300.1.1.1',
      'Chrome/120.0.6099.109',
      '10.0.0.1',
    ],
  },
  'ipv6-private': {
    match: [
      ['link fe80::1ff:fe23:4567:890a%eth0', 'fe80::1ff:fe23:4567:890a'],
      ['[fd12:3456:789a::1]:443', 'fd12:3456:789a::1'],
      ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ],
    miss: ['2001:db8::1', '::1', 'fe80', 'fe80:1'],
  },
  'ipv6-public': {
    match: [
      ['2001:db8::1', '2001:db8::1'],
      ['[2001:db8:85a3::8a2e:370:7334]:443', '2001:db8:85a3::8a2e:370:7334'],
      ['2606:4700:4700:0:0:0:0:1111.', '2606:4700:4700:0:0:0:0:1111'],
    ],
    miss: [
      '::',
      '::1',
      'std::vector<int>',
      'A::B',
      'dead::beef',
      '10:30:00',
      '00:1a:2b:3c:4d:5e',
      'ff02::1',
      'fe80::1',
      '2001:db8::1g',
    ],
  },
  'internal-host': {
    match: [
      ['ssh db01.prod.internal', 'db01.prod.internal'],
      ['http://printer.local:631/', 'printer.local'],
      ['nas.home.arpa', 'nas.home.arpa'],
      ['git.corp', 'git.corp'],
      ['router.lan', 'router.lan'],
      ['wiki.intranet/page', 'wiki.intranet'],
      ['http://jenkins/job/build', 'jenkins'],
      ['postgres://admin:Fake0000pw@pgmain:5432/app', 'pgmain'],
      ['see http://wiki.', 'wiki'],
      ['smtp: mailhost.corp:25', 'mailhost.corp'],
    ],
    miss: [
      'db.internal.example.com',
      'http://localhost:3000',
      'this.local = 1',
      'x.local()',
      'package com.acme.internal;',
      'import com.acme.internal.Foo',
      'cp .env.local .env',
      'https://example.com/internal',
      'internal',
      'http://host:8080/',
      'http://1234/',
      'http://jenkins.example.com/',
    ],
  },
};

function values(rule: Rule, text: string): string[] {
  return rule.find(text).map((s) => text.slice(s.offset, s.offset + s.length));
}

describe.each(RULES.map((r) => [r.id, r] as const))('rule %s', (id, rule) => {
  const cases = CASES[id] ?? { match: [], miss: [] };

  test('is documented', () => {
    expect(rule.title).not.toBe('');
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.why.length).toBeGreaterThan(10);
    expect(['secret', 'personal', 'internal']).toContain(rule.severity);
    expect(rule.label).toMatch(/^[A-Z][A-Z0-9_]*[A-Z0-9]$/);
  });

  test('has positive and near-miss cases', () => {
    expect(cases.match.length).toBeGreaterThanOrEqual(2);
    expect(cases.miss.length).toBeGreaterThanOrEqual(3);
  });

  test.each(cases.match)('matches %j', (text, value) => {
    expect(values(rule, text)).toContain(value);
    // classify() reports it under this rule, with a span that covers it (an overlapping finding of a
    // less specific rule can widen it) and a preview that hides it.
    const start = text.indexOf(value);
    const finding = classify(text).findings.find((f) => f.offset <= start && f.offset + f.length >= start + value.length);
    expect(finding).toBeDefined();
    expect(finding?.rule).toBe(id);
    expect(finding?.severity).toBe(rule.severity);
    expect(finding?.preview).not.toContain(value);
    expect(finding?.preview.length).toBeGreaterThan(0);
  });

  test.each(cases.miss.map((m) => [m]))('does not match %j', (text) => {
    expect(values(rule, text)).toEqual([]);
  });
});

test('every case table names a real rule', () => {
  for (const id of Object.keys(CASES)) expect(ruleById(id)?.id).toBe(id);
  expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
});

test('docs/routing.md has a table row for every rule', () => {
  const docs = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/routing.md'), 'utf8');
  for (const rule of RULES) expect(docs).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
  const rows = docs.split('\n').filter((l) => /^\| `[a-z0-9-]+` \|/.test(l));
  expect(rows).toHaveLength(RULES.length);
});

test('rule ids and placeholder labels are unique', () => {
  expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  expect(new Set(RULES.map((r) => r.label)).size).toBe(RULES.length);
});

test('everyday developer text classifies as hosted', () => {
  const texts = [
    'Why does `max_tokens=4096` make the answer stop early?',
    'Upgrade from 1.2.3 to 1.4.0, node v20.19.0, python 3.12.1',
    'npm i -D @types/node@20 && open http://localhost:3000 and 127.0.0.1:8080, bind 0.0.0.0',
    'interface Login { password: string; token?: string }\nconst password = getPassword();\nthis.local = true;',
    'std::vector<int> v; auto x = Foo::Bar; // at 10:30:00',
    'Explain how JWTs (eyJ...) and PEM headers like BEGIN PRIVATE KEY work.',
    'git remote add origin git@github.com:owner/repo.git',
    'See https://example.com/docs/internal for the API, issue PROJ-123.',
    'Set token=${GITHUB_TOKEN} and password=*** in the template.',
    'Ein Café für 3,50 € — naïve 😀 test',
    '',
  ];
  for (const text of texts) expect({ text, findings: classify(text).findings }).toEqual({ text, findings: [] });
});

describe('helpers', () => {
  test('ibanChecksumOk', () => {
    expect(ibanChecksumOk('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumOk('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumOk('DE89370400440532013001')).toBe(false);
  });

  test('isCardNumber', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('378282246310005')).toBe(true);
    expect(isCardNumber('4111111111111112')).toBe(false);
    expect(isCardNumber('1234567812345670')).toBe(false); // Luhn-valid, no card prefix
    expect(isCardNumber('411111111111')).toBe(false); // 12 digits
  });

  test('ipv4Kind', () => {
    expect(ipv4Kind([10, 1, 2, 3])).toBe('private');
    expect(ipv4Kind([172, 31, 0, 1])).toBe('private');
    expect(ipv4Kind([172, 15, 0, 1])).toBe('public');
    expect(ipv4Kind([127, 0, 0, 1])).toBeNull();
    expect(ipv4Kind([0, 0, 0, 0])).toBeNull();
    expect(ipv4Kind([255, 255, 255, 0])).toBeNull();
  });

  test('ipv6Kind', () => {
    expect(ipv6Kind('fd00::1')).toBe('private');
    expect(ipv6Kind('febf::1')).toBe('private');
    expect(ipv6Kind('fec0::1')).toBe('public');
    expect(ipv6Kind('::ffff:8.8.8.8')).toBe('public');
    expect(ipv6Kind('::ffff:127.0.0.1')).toBeNull();
    expect(ipv6Kind('::1')).toBeNull();
  });

  test('internalSuffix', () => {
    expect(internalSuffix('a.home.arpa')).toBe('home.arpa');
    expect(internalSuffix('a.LOCAL')).toBe('local');
    expect(internalSuffix('local')).toBeUndefined();
    expect(internalSuffix('a.localhost')).toBeUndefined();
  });

  test('isPlaceholder', () => {
    expect(isPlaceholder('[EMAIL_1]')).toBe(true);
    expect(isPlaceholder('[AWS_ACCESS_KEY_12]')).toBe(true);
    expect(isPlaceholder('[email_1]')).toBe(false);
    expect(isPlaceholder('[EMAIL]')).toBe(false);
  });

  test('isTrivialSecretValue', () => {
    expect(isTrivialSecretValue('hunter2hunter', false, '')).toBe(false);
    expect(isTrivialSecretValue('changeme', true, '')).toBe(false);
    expect(isTrivialSecretValue('${X}', true, '')).toBe(true);
    expect(isTrivialSecretValue('getpass', false, '(')).toBe(true);
    expect(isTrivialSecretValue('getpass', true, '')).toBe(false);
  });
});
