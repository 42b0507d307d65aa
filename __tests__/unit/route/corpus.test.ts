/**
 * A labelled corpus for `classify` (issue 17): 30 prompts that must stay local (secrets and
 * personal data, in the shapes people paste them) and 24 ordinary prompts, some about passwords
 * and tokens, that may go to a hosted model. Every secret is generated here, obviously fake
 * (__tests__/helpers/fake-secrets.ts). The figures are published in docs/routing.md.
 */
import { classify } from '../../../src/route/classify.js';
import { FAKE } from '../../helpers/fake-secrets.js';

export const SENSITIVE: ReadonlyArray<readonly [string, string]> = [
  ['aws key id', `Why does boto3 say my key ${FAKE.awsAccessKeyId} is invalid?`],
  ['aws secret', `aws_secret_access_key = ${FAKE.awsSecretKey}`],
  ['github classic', `git push fails with token ${FAKE.github}, help`],
  ['github fine-grained', `export GH_TOKEN=${FAKE.githubPat}`],
  ['openai', `client = OpenAI(api_key="${FAKE.openai}")`],
  ['anthropic', `ANTHROPIC_API_KEY=${FAKE.anthropic} claude fails`],
  ['slack', `my bot token is ${FAKE.slack} and it gets 403`],
  ['google', `fetch("https://maps.googleapis.com/x?key=${FAKE.google}")`],
  ['stripe', `stripe.api_key = "${FAKE.stripe}"`],
  ['jwt', `Decode this token for me: ${FAKE.jwt}`],
  ['bearer', `curl -H "Authorization: Bearer ${FAKE.bearer}" https://api.example.com`],
  ['basic', `Authorization: Basic ${FAKE.basic}`],
  ['pem', `This key does not load:\n${FAKE.pem}`],
  ['postgres url', 'DATABASE_URL=postgres://app:' + 'Fake-Pass-0000' + '@db.internal:5432/app'],
  ['dotenv password', 'DB_PASSWORD="' + 'fAkE-0000-pass' + '"'],
  ['azure connection string', `DefaultEndpointsProtocol=https;AccountName=fakeacct;AccountKey=${FAKE.azureAccountKey};EndpointSuffix=core.windows.net`],
  ['hugging face', `huggingface-cli login --token ${FAKE.huggingFace}`],
  ['gitlab', `git clone https://oauth2:${FAKE.gitlab}@gitlab.com/acme/app.git fails`],
  ['sendgrid', `sg = SendGridAPIClient("${FAKE.sendgrid}")`],
  ['password in prose', 'my password is ' + 'hunter2-Blue!' + ' and the login still fails'],
  ['--password flag', 'mysql -u root --password ' + 'Fake0000pw' + ' -h 127.0.0.1 says access denied'],
  ['hf in code', `from huggingface_hub import login\nlogin(token="${FAKE.huggingFace}")`],
  ['gitlab env', `export GITLAB_TOKEN=${FAKE.gitlab}`],
  ['sendgrid env', `SENDGRID_API_KEY=${FAKE.sendgrid}`],
  ['card', `Charge failed for card ${FAKE.card}, exp 12/29`],
  ['iban', `Wire it to ${FAKE.iban} please`],
  ['email', 'Write a reply to jane.fake@example-corp.com about her refund'],
  ['private ip', 'ssh into 10.20.30.40 and check nginx'],
  ['yaml token', 'api_token: ' + 'FaKe0000fAkE0000'],
  ['url password', 'redis://:' + 'fakePass0000' + '@cache.example.com:6379/0'],
];

export const ORDINARY: readonly string[] = [
  'How do I hash a password with bcrypt in Node.js?',
  'My password is incorrect when I log into postgres locally, what could be wrong?',
  'Explain the difference between JWT and session cookies.',
  'Write a regular expression that validates an email address.',
  'What does --password-stdin do in docker login?',
  'Design a password reset flow with expiring tokens.',
  'Implement a token bucket rate limiter in Go.',
  'How do I read DB_PASSWORD from the environment in Python?',
  'password: ${DB_PASSWORD} in docker-compose does not expand, why?',
  'Explain what a unified diff is.',
  'Refactor this function to use async/await: function f(cb) { setTimeout(cb, 10); }',
  'What is the time complexity of heapsort?',
  'In sklearn, how do I build a Pipeline with a StandardScaler?',
  'How are GitLab personal access tokens scoped?',
  'Where do I create a SendGrid API key in the dashboard?',
  'huggingface-cli login asks for a token: where do I get one?',
  'The Azure storage connection string has an AccountKey part: what is it for?',
  'Use --token $GITHUB_TOKEN in the workflow instead of hard-coding it.',
  'Write a unit test for a function that parses ISO 8601 dates.',
  'Why does my React useEffect run twice in development?',
  'The password is stored hashed with argon2id; is that enough?',
  'Convert this bash loop to PowerShell: for f in *.txt; do wc -l "$f"; done',
  'What does HTTP status 401 mean compared to 403?',
  'Summarise the CAP theorem in three sentences.',
];

test('the corpus has 30 sensitive and 24 ordinary prompts', () => {
  expect(SENSITIVE).toHaveLength(30);
  expect(ORDINARY).toHaveLength(24);
});

test('recall: every sensitive prompt stays local (30/30)', () => {
  const missed = SENSITIVE.filter(([, text]) => classify(text).verdict !== 'local').map(([label]) => label);
  expect(missed).toEqual([]);
});

test('false positives: no ordinary prompt is kept local (0/24)', () => {
  const flagged = ORDINARY.filter((text) => classify(text).verdict === 'local').map((text) => [text, classify(text).findings.map((f) => f.rule)]);
  expect(flagged).toEqual([]);
});
