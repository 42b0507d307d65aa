import fc from 'fast-check';
import { NO_FINDINGS_REASON, classify, dedupe, lineStarts, positionAt } from '../../../src/route/classify.js';
import { RULES } from '../../../src/route/rules.js';
import { FAKE } from '../../helpers/fake-secrets.js';

function at(text: string, value: string, from = 0) {
  const offset = text.indexOf(value, from);
  if (offset < 0) throw new Error(`${value} not in text`);
  return offset;
}

describe('verdict and reasons', () => {
  test('hosted when nothing matches, with the documented reason', () => {
    expect(classify('Refactor this function to use async/await.')).toEqual({
      verdict: 'hosted',
      findings: [],
      reasons: [NO_FINDINGS_REASON],
    });
    expect(NO_FINDINGS_REASON).toBe('no sensitive content found by the rule set');
  });

  test('local with one reason per rule, naming positions and why', () => {
    const text = `mail jane@acme-fake.com and bob@acme-fake.com\nkey ${FAKE.github}`;
    const result = classify(text);
    expect(result.verdict).toBe('local');
    expect(result.findings.map((f) => f.rule)).toEqual(['email', 'email', 'github-token']);
    expect(result.reasons).toEqual([
      'GitHub token (secret, 1 match at 2:5): a GitHub token acts as you on GitHub: code, secrets and settings of every repository it reaches',
      'Email address (personal, 2 matches at 1:6, 1:29): an email address identifies a person',
    ]);
  });

  test('a reason lists at most three positions', () => {
    const text = Array.from({ length: 5 }, (_, i) => `u${i}@acme-fake.com`).join('\n');
    expect(classify(text).reasons).toEqual([
      'Email address (personal, 5 matches at 1:1, 2:1, 3:1, +2 more): an email address identifies a person',
    ]);
  });

  test('findings carry rule, severity, 1-based position, offset, length and a masked preview', () => {
    const text = `x AKIA${'FAKE'.repeat(4)} y`;
    expect(classify(text).findings).toEqual([
      { rule: 'aws-access-key-id', severity: 'secret', line: 1, column: 3, offset: 2, length: 20, preview: 'AKIA******** (20 chars)' },
    ]);
  });

  test('findings come in text order', () => {
    const text = `10.0.0.1 ${FAKE.github} jane@acme-fake.com CUST-00042`;
    const offsets = classify(text).findings.map((f) => f.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets).toHaveLength(4);
  });
});

describe('positions', () => {
  test('LF', () => {
    const text = 'first line\nsecond jane@acme-fake.com';
    const [f] = classify(text).findings;
    expect(f).toMatchObject({ line: 2, column: 8, offset: 18, length: 'jane@acme-fake.com'.length });
  });

  test('CRLF counts as one line break', () => {
    const text = 'one\r\ntwo\r\n  x 10.1.2.3\r\n';
    const [f] = classify(text).findings;
    expect(f).toMatchObject({ rule: 'ipv4-private', line: 3, column: 5, offset: at(text, '10.1.2.3'), length: 8 });
    expect(text.slice(f!.offset, f!.offset + f!.length)).toBe('10.1.2.3');
  });

  test('a lone CR is a line break too', () => {
    const [f] = classify('a\rb\r10.1.2.3').findings;
    expect(f).toMatchObject({ line: 3, column: 1, offset: 4 });
  });

  test('columns and offsets count UTF-16 code units (an emoji counts 2)', () => {
    const text = 'café 😀 → 10.1.2.3';
    const [f] = classify(text).findings;
    // c a f é ␠ 😀(2) ␠ → ␠ = 10 code units before the address
    expect(f).toMatchObject({ line: 1, column: 11, offset: 10, length: 8 });
    expect(text.slice(f!.offset, f!.offset + f!.length)).toBe('10.1.2.3');
  });

  test('non-ASCII on earlier lines does not shift later columns', () => {
    const text = 'Grüße 😀😀\r\nñ jane@acme-fake.com';
    const [f] = classify(text).findings;
    expect(f).toMatchObject({ line: 2, column: 3, offset: at(text, 'jane') });
  });

  test('a multi-line finding reports where it starts', () => {
    const text = `line one\r\n  ${FAKE.pem.replace(/\n/g, '\r\n')}\r\nafter`;
    const [f] = classify(text).findings;
    expect(f).toMatchObject({ rule: 'private-key', line: 2, column: 3, offset: 12, length: FAKE.pem.replace(/\n/g, '\r\n').length });
  });

  test('positionAt agrees with a naive count for any text and line endings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', '\r', 'a', 'é', '😀', ' ')), { maxLength: 60 }),
        (parts) => {
          const text = parts.join('');
          const starts = lineStarts(text);
          let line = 1;
          let column = 1;
          for (let i = 0; i < text.length; i++) {
            expect(positionAt(starts, i)).toEqual({ line, column });
            const c = text[i];
            if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
              line++;
              column = 1;
            } else {
              column++;
            }
          }
        },
      ),
    );
  });
});

describe('overlapping findings', () => {
  test('the more specific rule wins on the same span', () => {
    const cases: Array<[string, string]> = [
      [`password=${FAKE.github}`, 'github-token'],
      [`aws_secret_access_key=${FAKE.awsSecretKey}`, 'aws-secret-access-key'],
      [`Authorization: Bearer ${FAKE.jwt}`, 'jwt'],
      [`token=${FAKE.jwt}`, 'jwt'],
      ['customer_id=cus_ABC12345', 'account-object-id'],
      ['customer_id=4111111111111111', 'credit-card'],
      ['::ffff:10.0.0.1', 'ipv6-private'],
      [`https://x-access-token:${FAKE.githubServer}@github.com/o/r`, 'github-token'],
    ];
    for (const [text, rule] of cases) {
      const findings = classify(text).findings;
      expect({ text, rules: findings.map((f) => f.rule) }).toEqual({ text, rules: [rule] });
    }
  });

  test('the winner covers the whole overlapping group, so redaction removes all of it', () => {
    const text = `token="note ${FAKE.github} end"`;
    const findings = classify(text).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'github-token', offset: 7, length: `note ${FAKE.github} end`.length });
  });

  test('an email on an internal domain is one finding named email', () => {
    const text = 'jane@mailhost.corp';
    expect(classify(text).findings).toEqual([expect.objectContaining({ rule: 'email', offset: 0, length: text.length })]);
  });

  test('dedupe keeps disjoint findings apart and merges touching-but-overlapping ones', () => {
    const out = dedupe([
      { rule: 'email', specificity: 30, offset: 0, length: 5 },
      { rule: 'internal-host', specificity: 10, offset: 3, length: 5 },
      { rule: 'ipv4-public', specificity: 20, offset: 8, length: 2 },
    ]);
    expect(out).toEqual([
      { rule: 'email', specificity: 30, offset: 0, length: 8 },
      { rule: 'ipv4-public', specificity: 20, offset: 8, length: 2 },
    ]);
  });

  test('findings never overlap', () => {
    const text = [
      `postgres://admin:Fake0000pw@db01.corp:5432/x jane@db01.corp 10.0.0.1`,
      `password="${FAKE.openai} ${FAKE.anthropic}" Bearer ${FAKE.jwt}`,
      `IBAN ${FAKE.iban} card ${FAKE.card} SSN: 123-45-6789 CUST-00042 customer_id=77812`,
    ].join('\n');
    const findings = classify(text).findings;
    expect(findings.length).toBeGreaterThan(8);
    for (let i = 1; i < findings.length; i++) {
      expect(findings[i]!.offset).toBeGreaterThanOrEqual(findings[i - 1]!.offset + findings[i - 1]!.length);
    }
  });
});

describe('previews never show the whole value', () => {
  test.each(
    [
      FAKE.pem,
      FAKE.github,
      FAKE.openai,
      FAKE.jwt,
      'jane@acme-fake.com',
      '10.0.0.1',
      '8.8.8.8',
      'fe80::1',
      '2001:db8::1',
      FAKE.card,
      FAKE.iban,
      'SSN: 123-45-6789',
      'CUST-00042',
      'customer_id=12345',
      'db.corp',
      'http://jenkins/',
      'password=Fake1234',
    ].map((text) => [text.split('\n')[0]!, text] as const),
  )('%s', (_name, text) => {
    const findings = classify(text).findings;
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.preview).not.toContain(text.slice(f.offset, f.offset + f.length));
  });
});

describe('no catastrophic backtracking', () => {
  // 200 KB inputs built to make a careless pattern backtrack or rescan: each must classify and return.
  const N = 200_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
  const inputs: Array<[string, string, 'local' | 'hosted']> = [
    ['word characters', fill('a'), 'hosted'],
    ['digits', fill('1'), 'hosted'],
    ['dotted digits', fill('1.'), 'hosted'],
    ['dotted words', fill('a.'), 'hosted'],
    ['at signs', fill('a@'), 'hosted'],
    ['email-ish', fill('a@b.'), 'hosted'],
    ['colons', fill('1:'), 'hosted'],
    ['hex and colons', fill('ab:'), 'hosted'],
    ['digits and dashes', fill('1-'), 'hosted'],
    ['digit groups', fill('1111 '), 'hosted'],
    ['sk- prefixes', fill('sk-'), 'hosted'],
    ['a long sk- body', 'sk-' + fill('aA1'), 'hosted'],
    ['a long ghp_ body', 'ghp_' + fill('A'), 'hosted'],
    ['JWT-ish segments', fill('eyJa.'), 'hosted'],
    ['unterminated private keys', fill(`-----BEGIN PRIVATE KEY-----`), 'local'],
    ['a key with a huge body', '-----BEGIN PRIVATE KEY-----' + fill('\nAAAA'), 'local'],
    ['URL user infos', fill('http://a:'), 'local'],
    ['password assignments', fill('password='), 'local'],
    ['an unterminated quoted password', 'password="' + fill('a'), 'hosted'],
    ['IBAN-ish groups', 'DE89' + fill(' ABCD'), 'hosted'],
    ['card-ish groups', fill('4111 '), 'hosted'],
    ['whitespace', fill(' \t'), 'hosted'],
    ['CRLF', fill('\r\n'), 'hosted'],
    ['Bearer words', fill('Bearer '), 'hosted'],
    ['customer id keys', fill('customer_id='), 'hosted'],
    ['internal-ish dotted names', fill('a.local.'), 'local'],
    ['double colons', fill('::'), 'hosted'],
    ['SSN context', fill('SSN 123-45-'), 'hosted'],
    ['mixed punctuation', fill('x_1.a-b@c:d/e '), 'hosted'],
  ];
  test.each(inputs)('%s (200 KB)', (_name, text, verdict) => {
    expect(text.length).toBeGreaterThanOrEqual(N);
    const result = classify(text);
    expect(result.verdict).toBe(verdict);
    for (const f of result.findings) expect(f.offset + f.length).toBeLessThanOrEqual(text.length);
  });

  test('every rule on its own returns on a 200 KB run of its trigger characters', () => {
    const triggers = ['a', '1', 'A', '-', '.', '@', ':', '/', '=', '"', ' ', '\n', '_'];
    for (const rule of RULES) {
      for (const t of triggers) expect(Array.isArray(rule.find(fill(t)))).toBe(true);
    }
  });
});
