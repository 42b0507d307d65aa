import { isIPv6 } from 'node:net';
import { scan, lineBefore, charAt, hasDigit, type Span, type Rule } from './match.js';

/** Rules for addresses and names of the local network: private and public IPv4/IPv6 addresses, internal host names. */

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

export const ipv4Private: Rule = {
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

export const ipv4Public: Rule = {
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

export const ipv6Private: Rule = {
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

export const ipv6Public: Rule = {
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

export const internalHost: Rule = {
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
