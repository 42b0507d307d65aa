import { scan, isPlaceholder, mask, lineBefore, charAt, hasDigit, hasUpper, hasLower, type Span, type Rule } from './match.js';

/** Rules for secrets: private keys, vendor API keys and tokens, JWTs, authorization headers, `password = ...` assignments. */

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
/**
 * The body of a key whose END line is missing: whole lines of base64 and PEM headers, separated
 * by real or JSON-escaped newlines, or 16+ base64 characters after a space (a key collapsed onto
 * one line). It stops at the first line of anything else.
 */
const PEM_BODY =
  /(?:(?:\r\n|\n|\r|\\r\\n|\\n)(?:Proc-Type:[^\r\n]{0,100}|DEK-Info:[^\r\n]{0,100}|Comment:[^\r\n]{0,200}|[A-Za-z0-9+/=]+(?=[\r\n"',]|\\[rn]|$))?| [A-Za-z0-9+/=]{16,}(?=[ \r\n"',]|\\[rn]|$))*/y;

function findPrivateKeys(text: string): Span[] {
  const ends: number[] = [];
  const endRe = new RegExp(PEM_END.source, 'g');
  let e: RegExpExecArray | null;
  while ((e = endRe.exec(text)) !== null) ends.push(e.index + e[0].length);
  const out: Span[] = [];
  const begin = new RegExp(PEM_BEGIN.source, 'g');
  let endPtr = 0;
  let m: RegExpExecArray | null;
  while ((m = begin.exec(text)) !== null) {
    const headerEnd = m.index + m[0].length;
    while (endPtr < ends.length && (ends[endPtr] as number) <= headerEnd) endPtr++;
    let stop: number;
    if (endPtr < ends.length) {
      stop = ends[endPtr] as number;
    } else {
      const body = new RegExp(PEM_BODY.source, 'y');
      body.lastIndex = headerEnd;
      const b = body.exec(text);
      stop = headerEnd + (b ? b[0].length : 0);
      while (stop > headerEnd && /[\r\n ]/.test(text.charAt(stop - 1))) stop--;
      while (stop > headerEnd + 1 && text.slice(stop - 2, stop) === '\\n') stop -= 2;
    }
    out.push({ offset: m.index, length: stop - m.index });
    begin.lastIndex = stop;
  }
  return out;
}

export const privateKey: Rule = {
  id: 'private-key',
  title: 'Private key block',
  severity: 'secret',
  label: 'PRIVATE_KEY',
  specificity: 100,
  description:
    'A PEM or OpenSSH private key: from `-----BEGIN ... PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK) to its END line, or to the end of the base64 body when the END line is missing.',
  why: 'a private key lets whoever holds it sign in or decrypt as you; it must never leave the machine',
  find: findPrivateKeys,
  preview: (v) => {
    const kind = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY/.exec(v)?.[1] ?? '';
    return `${kind}PRIVATE KEY block (${v.length} chars)`;
  },
};

export const awsAccessKeyId: Rule = {
  id: 'aws-access-key-id',
  title: 'AWS access key id',
  severity: 'secret',
  label: 'AWS_ACCESS_KEY',
  specificity: 95,
  description: 'An AWS access key id: `AKIA` (long-term) or `ASIA` (temporary) and 16 upper-case letters or digits.',
  why: 'an access key id names an AWS credential; with its secret it grants API access to the account',
  find: (t) => scan(t, [{ re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g }]),
  preview: (v) => mask(v, 4),
};

export const awsSecretAccessKey: Rule = {
  id: 'aws-secret-access-key',
  title: 'AWS secret access key',
  severity: 'secret',
  label: 'AWS_SECRET_KEY',
  specificity: 90,
  description:
    'A 40-character base64 value assigned to `aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`, `SecretAccessKey`, `aws_secret` and similar (`=`, `:` or `=>`, quoted or not). The value is the finding.',
  why: 'an AWS secret key signs API requests for the account it belongs to',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9])(?:(?:aws[_-]?)?secret[_-]?access[_-]?key|aws[_-]?secret(?:[_-]?key)?)["']?\s{0,5}(?::|=>|=)\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gid,
        group: 1,
      },
    ]),
  preview: (v) => mask(v),
};

export const githubToken: Rule = {
  id: 'github-token',
  title: 'GitHub token',
  severity: 'secret',
  label: 'GITHUB_TOKEN',
  specificity: 95,
  description:
    'A GitHub token: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and at least 36 letters or digits, or a fine-grained `github_pat_` token.',
  why: 'a GitHub token acts as you on GitHub: code, secrets and settings of every repository it reaches',
  find: (t) =>
    scan(t, [
      { re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})(?![A-Za-z0-9_])/g },
    ]),
  preview: (v) => mask(v, v.startsWith('github_pat_') ? 11 : 4),
};

/** The part of an `sk-` key after its fixed prefix must look random: upper, lower and a digit. */
function looksRandom(body: string): boolean {
  return hasDigit(body) && hasUpper(body) && hasLower(body);
}

export const anthropicKey: Rule = {
  id: 'anthropic-api-key',
  title: 'Anthropic API key',
  severity: 'secret',
  label: 'ANTHROPIC_KEY',
  specificity: 96,
  description: 'An Anthropic key: `sk-ant-` and at least 20 more characters including a digit.',
  why: 'an API key spends money and reads data on the account that owns it',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/g,
        accept: (m) => hasDigit(m[0].slice(7)),
      },
    ]),
  preview: (v) => mask(v, 7),
};

export const openaiKey: Rule = {
  id: 'openai-api-key',
  title: 'OpenAI-style API key',
  severity: 'secret',
  label: 'OPENAI_KEY',
  specificity: 94,
  description:
    'An `sk-` key (OpenAI and the many APIs that copied its format): `sk-`, `sk-proj-`, `sk-svcacct-` or `sk-admin-` and at least 20 more characters that mix upper case, lower case and digits.',
  why: 'an API key spends money and reads data on the account that owns it',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/g,
        accept: (m) => looksRandom(m[0].replace(/^sk-(?:(?:proj|svcacct|admin)-)?/, '')),
      },
    ]),
  preview: (v) => mask(v, /^sk-(?:(?:proj|svcacct|admin)-)?/.exec(v)?.[0].length ?? 3),
};

export const slackToken: Rule = {
  id: 'slack-token',
  title: 'Slack token',
  severity: 'secret',
  label: 'SLACK_TOKEN',
  specificity: 95,
  description: 'A Slack token: `xoxa-`, `xoxb-`, `xoxp-`, `xoxr-` or `xoxs-` and at least 10 more letters, digits or dashes.',
  why: 'a Slack token reads and posts messages in the workspace that issued it',
  find: (t) => scan(t, [{ re: /(?<![A-Za-z0-9_-])xox[abprs]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g }]),
  preview: (v) => mask(v, 5),
};

export const googleApiKey: Rule = {
  id: 'google-api-key',
  title: 'Google API key',
  severity: 'secret',
  label: 'GOOGLE_API_KEY',
  specificity: 95,
  description: 'A Google API key: `AIza` and exactly 35 letters, digits, `_` or `-`.',
  why: 'a Google API key is billed to, and reads data of, the project that created it',
  find: (t) => scan(t, [{ re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g }]),
  preview: (v) => mask(v, 4),
};

export const stripeKey: Rule = {
  id: 'stripe-key',
  title: 'Stripe secret or restricted key',
  severity: 'secret',
  label: 'STRIPE_KEY',
  specificity: 95,
  description:
    'A Stripe secret (`sk_live_`, `sk_test_`) or restricted (`rk_live_`, `rk_test_`) key with at least 16 more letters or digits. Publishable keys (`pk_`) are public by design and do not match.',
  why: 'a Stripe secret key moves money and reads customer payment data',
  find: (t) => scan(t, [{ re: /(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[0-9A-Za-z]{16,247}(?![A-Za-z0-9_])/g }]),
  preview: (v) => mask(v, 8),
};

function decodeJsonSegment(seg: string): unknown {
  try {
    return JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export const jwt: Rule = {
  id: 'jwt',
  title: 'JSON Web Token',
  severity: 'secret',
  label: 'JWT',
  specificity: 85,
  description:
    'A JWT: three base64url segments `eyJ...`.`eyJ...`.`...` whose first segment decodes to a JSON header with `alg` and whose second decodes to a JSON object.',
  why: 'a JWT is a bearer credential: whoever has it is signed in as its subject until it expires',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{2,8192})\.(eyJ[A-Za-z0-9_-]{2,65536})\.[A-Za-z0-9_-]{0,8192}(?![A-Za-z0-9_-])/g,
        accept: (m) => {
          const header = decodeJsonSegment(m[1] ?? '');
          const payload = decodeJsonSegment(m[2] ?? '');
          return (
            typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string' &&
            typeof payload === 'object' && payload !== null
          );
        },
      },
    ]),
  preview: (v) => mask(v, 3),
};

export const authorizationHeader: Rule = {
  id: 'authorization-header',
  title: 'Bearer or Basic credential',
  severity: 'secret',
  label: 'AUTH_CREDENTIAL',
  specificity: 70,
  description:
    'The credential after `Bearer ` (16+ token characters with a digit and a letter) or `Basic ` (base64 of `user:password`), as in an `Authorization:` header or a curl command. The credential is the finding.',
  why: 'an Authorization credential signs requests in as its owner',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9_-])(bearer|basic)[ \t]{1,5}([A-Za-z0-9._~+/-]{8,8192}={0,2})(?![A-Za-z0-9._~+/=-])/gid,
        group: 2,
        accept: (m) => {
          const value = m[2] ?? '';
          if (/^basic$/i.test(m[1] ?? '')) {
            if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
            const decoded = Buffer.from(value, 'base64').toString('utf8');
            return /^[^\s:]{1,256}:\S/.test(decoded);
          }
          return value.length >= 16 && hasDigit(value) && /[A-Za-z]/.test(value);
        },
      },
    ]),
  preview: (v) => mask(v),
};

// Generic `password=...`, `secret: ...`, `token = "..."`.

const SECRET_KEYWORD = String.raw`(?:passw(?:or)?d|pwd|secret(?:[_-]?key)?|token|api[_-]?key|access[_-]?key|auth[_-]?key|private[_-]?key)`;
const ASSIGN = String.raw`["']?\s{0,5}(?::=|:|={1,3}|!={1,2}|=>)\s{0,5}`;
const SECRET_ASSIGNMENT = new RegExp(
  String.raw`${SECRET_KEYWORD}${ASSIGN}(?:"([^"\r\n]{1,1000})"|'([^'\r\n]{1,1000})'|` +
    '`([^`\\r\\n]{1,1000})`' +
    String.raw`|([^\s"'\x60,;<>&()[\]{}]{1,1000}))`,
  'gid',
);

/** Words that stand for "no value here" or a type, not a secret. */
const TRIVIAL_VALUES = new Set(
  [
    'null', 'nil', 'none', 'true', 'false', 'undefined', 'empty', 'string', 'str', 'number', 'int', 'integer',
    'bool', 'boolean', 'any', 'unknown', 'object', 'bytes', 'secretstr', 'required', 'optional', 'redacted',
    'removed', 'hidden', 'masked', 'omitted', 'placeholder', 'example', 'password', 'passwd', 'secret',
    'token', 'apikey', 'api_key', 'not_set', 'notset', 'unset', 'default', 'env', 'environ',
  ],
);

/** True when a value is clearly not a literal secret: placeholders, variable references, types. */
export function isTrivialSecretValue(value: string, quoted: boolean, next: string): boolean {
  if (value.length < 6) return true;
  if (isPlaceholder(value)) return true;
  if (TRIVIAL_VALUES.has(value.toLowerCase())) return true;
  if (/^(.)\1*$/.test(value)) return true; // ******, xxxxxx
  if (/^(?:\$|%[A-Za-z_]|\{\{|\$\{|#\{|@\{|<)/.test(value)) return true; // $VAR, ${VAR}, %VAR%, {{ x }}, <your-token>
  if (/^(?:your|my|the|some)[_-]?[a-z_-]*$/i.test(value)) return true; // your_password, my-token
  if (/^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)/.test(value)) return true; // a path ($PWD, a secrets file)
  if (quoted) return false;
  // Unquoted code: a call, a member access, an identifier.
  if (next === '(' || next === '[' || next === '.') return true;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) && !hasDigit(value)) return true; // args.password
  if (/^[A-Za-z_]+$/.test(value) && /[a-z][A-Z]/.test(value)) return true; // newPassword, TokenType
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return true; // DB_PASSWORD (an env var name)
  return false;
}

export const secretAssignment: Rule = {
  id: 'secret-assignment',
  title: 'Password, secret or token assignment',
  severity: 'secret',
  label: 'SECRET',
  specificity: 50,
  description:
    'A literal value (6+ characters) assigned to a name ending in password, passwd, pwd, secret, secret_key, token, api_key, access_key, auth_key or private_key (`=`, `:`, `:=`, `==`, `=>`; quoted or not). Placeholders, variable references, types, paths and code expressions do not count. The value is the finding.',
  why: 'a literal password or token in a prompt is a working credential',
  find: (t) =>
    scan(t, [
      {
        re: SECRET_ASSIGNMENT,
        accept: (m, text) => {
          // `https://x-access-token:...@host` is a URL user name, not an assignment (see url-password).
          if (/:\/\/[^\s/?#@]*$/.test(lineBefore(text, m.index, 300))) return false;
          const groups = [1, 2, 3, 4] as const;
          for (const g of groups) {
            const idx = m.indices?.[g];
            const value = m[g];
            if (idx && value !== undefined) {
              const quoted = g !== 4;
              const next = charAt(text, idx[1] + (quoted ? 1 : 0));
              if (isTrivialSecretValue(value, quoted, quoted ? '' : next)) return false;
              return { offset: idx[0], length: idx[1] - idx[0] };
            }
          }
          return false;
        },
      },
    ]),
  preview: (v) => mask(v),
};
