import { scan, isPlaceholder, mask, hasDigit, hasUpper, hasLower, type Span, type Rule } from './match.js';
import { isTrivialSecretValue } from './secrets.js';

/** More secret rules: vendor tokens and passwords a measured corpus missed (issue 17), passwords in prose and in URLs. */

// Issue 17: shapes a measured corpus missed (recall 24/30). Prefixes and lengths follow the
// vendors' documented formats, as gitleaks and secretlint's recommended preset match them.

export const azureStorageKey: Rule = {
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

export const huggingFaceToken: Rule = {
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

export const gitlabToken: Rule = {
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

export const sendgridKey: Rule = {
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

export const passwordInProse: Rule = {
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

export const urlPassword: Rule = {
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
