import { scan, mask, lineBefore, charAt, hasDigit, hasUpper, type Rule } from './match.js';

/** Rules for personal data: e-mail addresses, card numbers (Luhn), IBANs (mod 97), US SSNs, customer and account ids. */

const EMAIL_RE =
  /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)/g;

export const email: Rule = {
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

export const creditCard: Rule = {
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
        // `SSN: 001-01-2456 4265 0784 5693 0005`: `2456 4265 0784 5693` may pass Luhn by chance,
        // and the card after it must still be found (fast-check found this).
        overlapping: true,
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

export const iban: Rule = {
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

export const usSsn: Rule = {
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

export const customerIdField: Rule = {
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

export const customerRef: Rule = {
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

export const accountObjectId: Rule = {
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
