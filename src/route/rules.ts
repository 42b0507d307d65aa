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
 */
import { isIPv6 } from 'node:net';

export type Severity = 'secret' | 'personal' | 'internal';

/** A span in the text: 0-based offset and length in UTF-16 code units (JavaScript string indices). */
export interface Span {
  offset: number;
  length: number;
}

export interface Rule {
  /** Stable id, used in output and in `--json`. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Stem of the redaction placeholder: `[EMAIL_1]`. */
  readonly label: string;
  /** When findings overlap, the higher number wins (the more specific rule). */
  readonly specificity: number;
  /** What it matches, in one sentence. */
  readonly description: string;
  /** Why a match keeps the prompt local. */
  readonly why: string;
  /** Finds every match in `text`. Pure; safe to call on any input. */
  find(text: string): Span[];
  /** A masked view of a matched value for people: never the whole value. */
  preview(value: string): string;
}

// ---------------------------------------------------------------------------------------------
// Matching helpers

type Accept = (m: RegExpExecArray, text: string, span: Span) => boolean | Span;

interface Pattern {
  /** Compiled with the `g` flag (and `d` when `group` is set); cloned per scan. */
  re: RegExp;
  /** Report this capture group instead of the whole match. */
  group?: number;
  /** Reject a candidate (false) or narrow it (a Span). */
  accept?: Accept;
}

function scan(text: string, patterns: readonly Pattern[]): Span[] {
  const out: Span[] = [];
  for (const p of patterns) {
    const flags = p.re.flags.includes('g') ? p.re.flags : p.re.flags + 'g';
    const re = new RegExp(p.re.source, p.group !== undefined && !flags.includes('d') ? flags + 'd' : flags);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      let span: Span = { offset: m.index, length: m[0].length };
      if (p.group !== undefined) {
        const g = m.indices?.[p.group];
        if (!g) {
          re.lastIndex = m.index + 1;
          continue;
        }
        span = { offset: g[0], length: g[1] - g[0] };
      }
      const verdict = p.accept ? p.accept(m, text, span) : true;
      if (verdict === false) {
        // Try again one character later: the look-behind at the start of every pattern makes
        // that cheap, and a shorter candidate inside this one may still be valid.
        re.lastIndex = m.index + 1;
        continue;
      }
      if (verdict !== true) {
        // A narrowed candidate (a card followed by a year): look at the rest again.
        span = verdict;
        re.lastIndex = Math.max(m.index + 1, Math.min(re.lastIndex, span.offset + span.length));
      }
      if (span.length > 0) out.push(span);
      if (m[0].length === 0) re.lastIndex = m.index + 1;
    }
  }
  return out;
}

/** `[EMAIL_1]`: what redact() puts in place of a finding. Never flagged again. */
export const PLACEHOLDER_RE = /^\[[A-Z][A-Z0-9_]*_\d+\]$/;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_RE.test(value);
}

function mask(value: string, keep = 0): string {
  const kept = value.slice(0, Math.max(0, Math.min(keep, value.length - 1)));
  const hidden = value.length - kept.length;
  return `${kept}${'*'.repeat(Math.min(8, Math.max(3, hidden)))} (${value.length} chars)`;
}

function lineBefore(text: string, offset: number, max: number): string {
  const start = Math.max(0, offset - max);
  const before = text.slice(start, offset);
  const nl = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return nl >= 0 ? before.slice(nl + 1) : before;
}

function charAt(text: string, index: number): string {
  return index >= 0 && index < text.length ? text.charAt(index) : '';
}

const hasDigit = (s: string) => /\d/.test(s);
const hasUpper = (s: string) => /[A-Z]/.test(s);
const hasLower = (s: string) => /[a-z]/.test(s);

// ---------------------------------------------------------------------------------------------
// Secrets

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

const privateKey: Rule = {
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

const awsAccessKeyId: Rule = {
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

const awsSecretAccessKey: Rule = {
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

const githubToken: Rule = {
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

const anthropicKey: Rule = {
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

const openaiKey: Rule = {
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

const slackToken: Rule = {
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

const googleApiKey: Rule = {
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

const stripeKey: Rule = {
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

const jwt: Rule = {
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

const authorizationHeader: Rule = {
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

const secretAssignment: Rule = {
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

// Issue 17: shapes a measured corpus missed (recall 24/30). Prefixes and lengths follow the
// vendors' documented formats, as gitleaks and secretlint's recommended preset match them.

const azureStorageKey: Rule = {
  id: 'azure-storage-key',
  title: 'Azure storage account key or connection string',
  severity: 'secret',
  label: 'AZURE_STORAGE_KEY',
  specificity: 95,
  description: '`AccountKey=` followed by a base64 account key (86 characters and `==`), as in an Azure storage connection string. The key is the finding.',
  why: 'an Azure storage account key reads and writes every blob, queue and table of the account',
  find: (t) => scan(t, [{ re: /(?<![A-Za-z0-9])AccountKey=([A-Za-z0-9+/]{80,90}={0,2})(?![A-Za-z0-9+/=])/gd, group: 1 }]),
  preview: (v) => mask(v),
};

const huggingFaceToken: Rule = {
  id: 'huggingface-token',
  title: 'Hugging Face token',
  severity: 'secret',
  label: 'HF_TOKEN',
  specificity: 95,
  description: 'A Hugging Face access token: `hf_` and 34 letters (`api_org_` and 34 for organisation tokens), mixing upper and lower case.',
  why: 'a Hugging Face token reads private models and data sets and can publish as you',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9_])(?:hf_|api_org_)[A-Za-z]{34}(?![A-Za-z0-9_])/g,
        accept: (m) => {
          const body = m[0].replace(/^(?:hf_|api_org_)/, '');
          return hasUpper(body) && hasLower(body);
        },
      },
    ]),
  preview: (v) => mask(v, 3),
};

const gitlabToken: Rule = {
  id: 'gitlab-token',
  title: 'GitLab token',
  severity: 'secret',
  label: 'GITLAB_TOKEN',
  specificity: 95,
  description:
    'A GitLab token: `glpat-` (personal), `gldt-` (deploy), `glptt-` (pipeline trigger), `glrt-` (runner), `glcbt-`, `glimt-`, `glsoat-`, `glffct-` or `gloas-` and at least 20 letters, digits, `_`, `-` or `.`.',
  why: 'a GitLab token acts as you (or the project) on GitLab: code, CI variables and settings',
  find: (t) => scan(t, [{ re: /(?<![A-Za-z0-9_-])gl(?:pat|dt|ptt|rt|cbt|imt|soat|ffct|oas)-[A-Za-z0-9_.-]{20,300}(?![A-Za-z0-9_-])/g, accept: (m) => hasDigit(m[0]) || hasUpper(m[0]) }]),
  preview: (v) => mask(v, 6),
};

const sendgridKey: Rule = {
  id: 'sendgrid-api-key',
  title: 'SendGrid API key',
  severity: 'secret',
  label: 'SENDGRID_KEY',
  specificity: 95,
  description: 'A SendGrid API key: `SG.`, 22 characters, `.`, 43 characters (letters, digits, `_`, `-`).',
  why: 'a SendGrid key sends mail as your domain and reads your contact lists',
  find: (t) => scan(t, [{ re: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g }]),
  preview: (v) => mask(v, 3),
};

/** Words that follow "password is" in ordinary sentences about passwords. */
const PROSE_NOT_A_PASSWORD = /^(?:incorrect|wrong|invalid|required|expired|missing|empty|correct|too|not|being|stored|hashed|set|reset|changed|case|the|a|an|in|on|at|still|also|only|never|always|ignored|accepted|rejected|valid|weak|strong|long|short|saved|shown|sent|encrypted)$/i;

const passwordInProse: Rule = {
  id: 'password-in-prose',
  title: 'Password given in words or as a command-line flag',
  severity: 'secret',
  label: 'PASSWORD',
  specificity: 45,
  description:
    'A password written in a sentence (`my password is hunter2-Blue!`, `the passphrase was ...`; `password = ...` is secret-assignment) or passed as a flag (`--password hunter2`, `--token=...`, `-p` is not counted): a value of 6+ characters with a digit or a symbol. Placeholders and ordinary words (`is incorrect`) do not count.',
  why: 'a literal password in a prompt is a working credential',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9_])(?:pass(?:word|phrase|code)|pwd|pin)\s{1,3}(?:is|was|will be)\s{1,3}["'`]?([^\s"'`]{6,200})/gid,
        group: 1,
        accept: (m, _text, span) => proseValue(m[1] ?? '', span),
      },
      {
        re: /(?<![A-Za-z0-9_-])--(?:password|passwd|pass|db-password|token|api-key|secret|client-secret)(?:=|\s{1,3})["']?([^\s"'`]{6,200})/gid,
        group: 1,
        accept: (m, _text, span) => proseValue(m[1] ?? '', span),
      },
    ]),
  preview: (v) => mask(v),
};

/** The value without sentence punctuation after it; refused when it is a word, a placeholder, a flag. */
function proseValue(raw: string, span: Span): boolean | Span {
  const value = raw.replace(/[.,;:)]+$/, '');
  if (value.length < 6 || value.startsWith('-')) return false;
  if (PROSE_NOT_A_PASSWORD.test(value) || isTrivialSecretValue(value, true, '')) return false;
  if (!hasDigit(value) && !/[^A-Za-z]/.test(value)) return false;
  return { offset: span.offset, length: value.length };
}

const urlPassword: Rule = {
  id: 'url-password',
  title: 'Password in a URL',
  severity: 'secret',
  label: 'URL_PASSWORD',
  specificity: 75,
  description:
    'The password of `scheme://user:password@host` (database URLs, git remotes, proxies). A URL with a user and no password, an empty password or a placeholder (`${PASS}`, `***`) does not match. The password is the finding.',
  why: 'a password in a connection string opens that service to whoever reads it',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^\s/?#@:]{0,256}:([^\s/?#@]{1,256})@/gd,
        group: 1,
        accept: (m) => {
          const pw = m[1] ?? '';
          if (isPlaceholder(pw)) return false;
          if (/^(.)\1*$/.test(pw)) return false; // ***, xxx
          if (/^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%|\{\{[^}]*\}\}|<[^>]*>)$/.test(pw)) return false;
          if (/^(?:password|pass|passwd|secret|pwd)$/i.test(pw)) return false;
          return true;
        },
      },
    ]),
  preview: (v) => mask(v),
};

// ---------------------------------------------------------------------------------------------
// Personal data

const EMAIL_RE =
  /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)/g;

const email: Rule = {
  id: 'email',
  title: 'Email address',
  severity: 'personal',
  label: 'EMAIL',
  specificity: 30,
  description:
    'An email address `local@domain.tld` (alphabetic TLD of 2+ letters). Not: npm scopes (`@types/node`), versions (`pkg@1.2.3`), retina file names (`icon@2x.png`), `git@host:owner/repo` remotes, or the `user@` / `user:password@` part of a URL (see url-password).',
  why: 'an email address identifies a person',
  find: (t) =>
    scan(t, [
      {
        re: EMAIL_RE,
        accept: (m, text) => {
          let local = m[1] ?? '';
          const domain = m[2] ?? '';
          let offset = m.index;
          const lead = /^\.+/.exec(local)?.[0].length ?? 0;
          local = local.slice(lead);
          offset += lead;
          if (local === '' || local.endsWith('.')) return false;
          const labels = domain.split('.');
          const tld = labels[labels.length - 1] ?? '';
          if (!/^[A-Za-z]{2,24}$/.test(tld)) return false;
          if (labels.some((l) => l.startsWith('-') || l.endsWith('-'))) return false;
          if (/^\d+(?:\.\d+)?x$/i.test(labels[0] ?? '')) return false; // icon@2x.png
          const end = m.index + m[0].length;
          const after = charAt(text, end);
          if (/[A-Za-z0-9_-]/.test(after)) return false;
          if (local === 'git' && after === ':') return false; // git@github.com:owner/repo.git
          // The user (and password) part of `scheme://user:password@host` is not an email address;
          // the url-password rule covers the password.
          if (/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@]*$/.test(lineBefore(text, offset, 300))) return false;
          return { offset, length: end - offset };
        },
      },
    ]),
  preview: (v) => {
    const tld = v.slice(v.lastIndexOf('.'));
    return `***@***${tld}`;
  },
};

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the card networks people paste: Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay. */
const CARD_IIN = /^(?:4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|3(?:0[0-5]|[689])|6(?:011|5|4[4-9]|2))/;

export function isCardNumber(digits: string): boolean {
  return (
    digits.length >= 13 && digits.length <= 19 && !/^(\d)\1*$/.test(digits) && CARD_IIN.test(digits) && luhn(digits)
  );
}

/** How printed cards group their digits: 4-4-4-4, 4-4-4-4-3, 4-6-5 (Amex), 4-6-4 (Diners). */
const CARD_GROUPINGS: readonly (readonly number[])[] = [[4, 4, 4, 4, 3], [4, 4, 4, 4], [4, 6, 5], [4, 6, 4]];

/**
 * The card number at the start of a candidate (digits with optional single spaces or dashes), as
 * its length in the candidate, or 0. Grouped numbers must follow a printed grouping; anything
 * after the card (a year, an amount) is left out.
 */
export function cardPrefixLength(candidate: string): number {
  const groups = candidate.split(/[ -]/);
  const first = groups[0] as string;
  if (first.length >= 13) return isCardNumber(first) ? first.length : 0;
  for (const grouping of CARD_GROUPINGS) {
    if (groups.length < grouping.length) continue;
    if (!grouping.every((n, i) => (groups[i] as string).length === n)) continue;
    if (isCardNumber(groups.slice(0, grouping.length).join(''))) {
      return grouping.reduce((a, b) => a + b, 0) + grouping.length - 1;
    }
  }
  return 0;
}

const creditCard: Rule = {
  id: 'credit-card',
  title: 'Payment card number',
  severity: 'personal',
  label: 'CARD_NUMBER',
  specificity: 65,
  description:
    'A 13-19 digit card number, compact or grouped like a printed card (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) with spaces or dashes, with a known issuer prefix and a valid Luhn check digit. Not: numbers failing Luhn, numbers without a card prefix, odd groupings, decimals (`0.4111...`), longer digit runs.',
  why: 'a card number is payment data of a person (and PCI scope)',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![\w.])\d(?:[ -]?\d){12,18}(?!\w|\.\d)/g,
        accept: (m) => {
          const length = cardPrefixLength(m[0]);
          return length > 0 ? { offset: m.index, length } : false;
        },
      },
    ]),
  preview: (v) => {
    const digits = v.replace(/\D/g, '');
    return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
  },
};

/** Length of an IBAN per country (ISO 13616 registry). */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22,
  GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27,
  MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31,
  SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN (letters as 10..35). */
export function ibanChecksumOk(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const d of value) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

const iban: Rule = {
  id: 'iban',
  title: 'IBAN',
  severity: 'personal',
  label: 'IBAN',
  specificity: 65,
  description:
    'An International Bank Account Number, compact or in groups of four, with a known country code, that country\'s length and a valid mod-97 checksum.',
  why: 'a bank account number is financial data of a person or a customer',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}(?![A-Za-z0-9])|(?: [A-Z0-9]{1,4}){3,8}(?![A-Za-z0-9]))/g,
        accept: (m) => {
          const raw = m[0];
          const want = IBAN_LENGTH[raw.slice(0, 2)];
          if (want === undefined) return false;
          let count = 0;
          let end = 0;
          while (end < raw.length && count < want) {
            if (raw[end] !== ' ') count++;
            end++;
          }
          if (count < want) return false;
          if (end < raw.length && raw[end] !== ' ') return false; // cut inside a group
          const compact = raw.slice(0, end).replace(/ /g, '');
          return ibanChecksumOk(compact) ? { offset: m.index, length: end } : false;
        },
      },
    ]),
  preview: (v) => `${v.slice(0, 2)}${'*'.repeat(6)} (${v.replace(/ /g, '').length} chars)`,
};

const SSN_CONTEXT = /(?:\bssns?\b|\bss#|social[\s_-]*security|\bsocial[\s_-]*sec\b|\btax(?:payer)?[\s_-]*id\b)/i;

const usSsn: Rule = {
  id: 'us-ssn',
  title: 'US Social Security number',
  severity: 'personal',
  label: 'SSN',
  specificity: 65,
  description:
    'A US SSN `123-45-6789` (or 9 digits) with "SSN", "SS#", "social security" or "taxpayer id" earlier on the same line (within 40 characters), and a valid area (not 000, 666, 900-999), group (not 00) and serial (not 0000).',
  why: 'a Social Security number identifies a person and enables identity theft',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![\w-])(?:(\d{3})-(\d{2})-(\d{4})|(\d{3})(\d{2})(\d{4}))(?![\w-])/g,
        accept: (m, text) => {
          const area = m[1] ?? m[4] ?? '';
          const group = m[2] ?? m[5] ?? '';
          const serial = m[3] ?? m[6] ?? '';
          if (area === '000' || area === '666' || area.startsWith('9')) return false;
          if (group === '00' || serial === '0000') return false;
          return SSN_CONTEXT.test(lineBefore(text, m.index, 40));
        },
      },
    ]),
  preview: () => '***-**-****',
};

const customerIdField: Rule = {
  id: 'customer-id',
  title: 'Customer identifier field',
  severity: 'personal',
  label: 'CUSTOMER_ID',
  specificity: 40,
  description:
    'A value with a digit assigned to a customer-like id field: customer, cust, client, account, acct, tenant, user, member, subscriber, patient, order or invoice + id/no/num/number (`customer_id=12345`, `"accountNumber": "A-778812"`). The value is the finding.',
  why: 'customer identifiers tie the prompt to a real customer record',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9])(?:customer|cust|client|account|acct|tenant|user|member|subscriber|patient|order|invoice)[_-]?(?:id|no|num|number)["']?\s{0,5}(?::|=|#)\s{0,5}["']?([A-Za-z0-9][A-Za-z0-9_-]{2,63})(?![A-Za-z0-9_-])/gid,
        group: 1,
        accept: (m) => hasDigit(m[1] ?? ''),
      },
    ]),
  preview: (v) => mask(v),
};

const customerRef: Rule = {
  id: 'customer-ref',
  title: 'Customer reference code',
  severity: 'personal',
  label: 'CUSTOMER_REF',
  specificity: 45,
  description:
    'An upper-case customer or account code: CUST, CUSTOMER, CUS, ACCT, CLIENT, MEMBER or MBR, an optional `-` or `_`, and 3-12 digits (`CUST-00042`).',
  why: 'customer reference codes point at a real customer record',
  find: (t) =>
    scan(t, [
      { re: /(?<![A-Za-z0-9_-])(?:CUSTOMER|CUST|CUS|ACCT|CLIENT|MEMBER|MBR)[-_]?\d{3,12}(?![A-Za-z0-9_-])/g },
    ]),
  preview: (v) => {
    const prefix = /^[A-Z]+[-_]?/.exec(v)?.[0] ?? '';
    return `${prefix}${'*'.repeat(v.length - prefix.length)}`;
  },
};

const accountObjectId: Rule = {
  id: 'account-object-id',
  title: 'Account or customer object id',
  severity: 'personal',
  label: 'ACCOUNT_ID',
  specificity: 60,
  description:
    'A Stripe-style object id for an account or customer: `acct_`, `cus_` or `cust_` and 8-64 letters or digits containing a digit or an upper-case letter (`acct_1Nv0FGQ9RKHgCVdK`).',
  why: 'account and customer object ids point at a real customer in a payment or CRM system',
  find: (t) =>
    scan(t, [
      {
        re: /(?<![A-Za-z0-9_])(?:acct|cus|cust)_[A-Za-z0-9]{8,64}(?![A-Za-z0-9_])/g,
        accept: (m) => {
          const body = m[0].slice(m[0].indexOf('_') + 1);
          return hasDigit(body) || hasUpper(body);
        },
      },
    ]),
  preview: (v) => mask(v, v.indexOf('_') + 1),
};

// ---------------------------------------------------------------------------------------------
// Addresses and names

const IPV4_RE = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/g;

/** `private` for RFC 1918, CGNAT and link-local; `public` for other host addresses; null when not flagged. */
export function ipv4Kind(octets: readonly number[]): 'private' | 'public' | null {
  const [a, b] = octets as [number, number, number, number];
  // Same on every machine or not a host: this network, loopback, multicast, reserved, masks, broadcast.
  if (a === 0 || a === 127 || a >= 224) return null;
  if (a === 10) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private';
  if (a === 169 && b === 254) return 'private';
  return 'public';
}

function findIpv4(text: string, kind: 'private' | 'public'): Span[] {
  return scan(text, [
    {
      re: IPV4_RE,
      accept: (m, t) => {
        const parts = [m[1], m[2], m[3], m[4]] as string[];
        if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return false; // 01.02.03.04
        const octets = parts.map(Number);
        if (octets.some((o) => o > 255)) return false;
        // `version 1.2.3.4`, `v1.2.3.4` (the look-behind already rejects the `v` form).
        if (/(?:\bversion|\bver\.?|\bv)\s*$/i.test(lineBefore(t, m.index, 16))) return false;
        return ipv4Kind(octets) === kind;
      },
    },
  ]);
}

const ipv4Private: Rule = {
  id: 'ipv4-private',
  title: 'Private IPv4 address',
  severity: 'internal',
  label: 'PRIVATE_IP',
  specificity: 20,
  description:
    'An IPv4 address in a private range: 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), 169.254/16 (link-local). Four octets 0-255 without leading zeros, not part of a longer dotted number or a version (`v1.2.3.4`, `version 10.0.0.1`).',
  why: 'private addresses map the internal network',
  find: (t) => findIpv4(t, 'private'),
  preview: (v) => `${v.split('.')[0]}.*.*.*`,
};

const ipv4Public: Rule = {
  id: 'ipv4-public',
  title: 'Public IPv4 address',
  severity: 'personal',
  label: 'IP_ADDRESS',
  specificity: 20,
  description:
    'Any other IPv4 host address (documentation ranges included). Not flagged, because they are the same on every machine: 0.0.0.0/8, 127/8 (loopback), 224/4 and above (multicast, reserved, netmasks like 255.255.255.0, broadcast). Version look-alikes with three parts (1.2.3) never match.',
  why: 'a public address can identify a person, a customer or a server',
  find: (t) => findIpv4(t, 'public'),
  preview: () => '*.*.*.*',
};

const IPV6_CANDIDATE = /(?<![\w:.-])(?:[0-9A-Fa-f]{1,4})?:[0-9A-Fa-f:.]{1,44}/g;

/** `private` for ULA (fc00::/7) and link-local (fe80::/10) or an IPv4-mapped private address; null when not flagged. */
export function ipv6Kind(address: string): 'private' | 'public' | null {
  const lower = address.toLowerCase();
  if (lower === '::' || lower === '::1') return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) {
    const kind = ipv4Kind((mapped[1] as string).split('.').map(Number));
    return kind ?? null;
  }
  const first = lower.startsWith('::') ? 0 : parseInt(lower.split(':')[0] as string, 16);
  if (first >= 0xfc00 && first <= 0xfdff) return 'private';
  if (first >= 0xfe80 && first <= 0xfebf) return 'private';
  if (first >= 0xff00) return null; // multicast
  return 'public';
}

function findIpv6(text: string, kind: 'private' | 'public'): Span[] {
  return scan(text, [
    {
      re: IPV6_CANDIDATE,
      accept: (m, t) => {
        let candidate = m[0];
        // A sentence full stop or a trailing `:` (port separator, label) is not part of the address.
        while (candidate.endsWith('.')) candidate = candidate.slice(0, -1);
        if (candidate.endsWith(':') && !candidate.endsWith('::')) candidate = candidate.slice(0, -1);
        const after = charAt(t, m.index + candidate.length);
        if (/[\w]/.test(after)) return false;
        if (!hasDigit(candidate)) return false; // A::B in C++ or Rust
        if (!isIPv6(candidate)) return false;
        if (ipv6Kind(candidate) !== kind) return false;
        return { offset: m.index, length: candidate.length };
      },
    },
  ]);
}

const ipv6Private: Rule = {
  id: 'ipv6-private',
  title: 'Private IPv6 address',
  severity: 'internal',
  label: 'PRIVATE_IPV6',
  specificity: 25,
  description:
    'An IPv6 address (validated by node:net) that is unique-local (fc00::/7), link-local (fe80::/10) or an IPv4-mapped private address.',
  why: 'private addresses map the internal network',
  find: (t) => findIpv6(t, 'private'),
  preview: (v) => `${v.split(':')[0] || ''}:****`,
};

const ipv6Public: Rule = {
  id: 'ipv6-public',
  title: 'Public IPv6 address',
  severity: 'personal',
  label: 'IPV6_ADDRESS',
  specificity: 25,
  description:
    'Any other IPv6 address with at least one digit. Not flagged: `::`, `::1`, multicast (ff00::/8), MAC addresses, times (`10:30:00`), `A::B` scope operators.',
  why: 'a public address can identify a person, a customer or a server',
  find: (t) => findIpv6(t, 'public'),
  preview: () => '****:****',
};

const INTERNAL_SUFFIXES = ['home.arpa', 'internal', 'corp', 'local', 'lan', 'intranet', 'localdomain'];
const DOTTED_NAME = /(?<![\w.-])[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g;
/** First labels that make `x.local` a member access or a reversed-domain package name, not a host. */
const CODE_RECEIVERS = new Set([
  'this', 'self', 'super', 'cls', 'that', 'window', 'globalthis', 'global', 'document', 'process', 'module',
  'exports', 'props', 'state', 'ctx', 'context', 'options', 'opts', 'obj', 'event', 'req', 'res',
  'com', 'org', 'net', 'io', 'edu', 'gov', 'java', 'javax', 'android', 'androidx', 'kotlin', 'scala',
]);
const URL_HOST =
  /(?<![A-Za-z0-9+.-])(?:https?|wss?|ftps?|sftp|ssh|git|svn|smb|ldaps?|postgres(?:ql)?|mysql|mariadb|redis|rediss|mongodb(?:\+srv)?|amqps?|nats|kafka):\/\/(?:[^\s/?#@]{1,256}@)?([A-Za-z0-9][A-Za-z0-9-]{0,62})(?=\.?(?:[:/?#\s"'<>),;\]]|$))(?!:[^\s/?#@]{0,256}@)/gid;
const NOT_A_HOST = new Set(['localhost', 'host', 'hostname', 'example']);

export function internalSuffix(name: string): string | undefined {
  const lower = name.toLowerCase();
  return INTERNAL_SUFFIXES.find((s) => lower.endsWith('.' + s));
}

const internalHost: Rule = {
  id: 'internal-host',
  title: 'Internal host name',
  severity: 'internal',
  label: 'INTERNAL_HOST',
  specificity: 10,
  description:
    'A host name ending in `.internal`, `.corp`, `.local`, `.lan`, `.intranet`, `.localdomain` or `.home.arpa`, or a single-label host in a URL (`http://jenkins/`, `postgres://db:5432`). Not: `localhost`, public names (`db.internal.example.com`), member access in code (`this.local`, `x.local(`), `package com.acme.internal`, `.env.local`.',
  why: 'internal host names map the private network and the services on it',
  find: (t) => [
    ...scan(t, [
      {
        re: DOTTED_NAME,
        accept: (m, text) => {
          const name = m[0];
          if (!internalSuffix(name)) return false;
          const labels = name.split('.');
          if (labels.some((l) => l.startsWith('-') || l.endsWith('-'))) return false;
          if (CODE_RECEIVERS.has((labels[0] as string).toLowerCase())) return false;
          const rest = text.slice(m.index + name.length, m.index + name.length + 4);
          if (/^[\w(]/.test(rest) || /^\s*=(?!=)/.test(rest)) return false; // x.local(), x.local = 1
          if (/\b(?:package|import)\s+$/.test(lineBefore(text, m.index, 40))) return false;
          return true;
        },
      },
    ]),
    ...scan(t, [
      {
        re: URL_HOST,
        group: 1,
        accept: (m) => /[A-Za-z]/.test(m[1] ?? '') && !NOT_A_HOST.has((m[1] ?? '').toLowerCase()),
      },
    ]),
  ],
  preview: (v) => {
    const suffix = internalSuffix(v);
    return suffix ? `***.${suffix}` : `*** (${v.length} chars, single-label host)`;
  },
};

// ---------------------------------------------------------------------------------------------

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
