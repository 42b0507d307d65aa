// node:net itself loads only for an IPv6 check (~1 ms, issue 16): `test` checks where each
// profile's server is before its first read, and `list` after it, neither with a socket yet.
const net = (): typeof import('node:net') => process.getBuiltinModule('node:net');

/** node:net's isIPv4, the same expression (Node's lib/internal/net.js), without loading node:net. */
const V4_SEG = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = new RegExp(`^(?:${V4_SEG}\\.){3}${V4_SEG}$`);
export function isIPv4(h: string): boolean {
  return IPV4.test(h);
}

/** `[::1]` -> `::1`; other hosts unchanged, lower-cased. */
export function bareHost(host: string): string {
  const h = host.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * net.isIPv6 for text that can be an IPv6 address: one with a colon. net.isIPv6 compiles a large
 * regular expression on its first call (~4 ms, on the way to every smoke test's first run), which
 * host names and IPv4 addresses never need.
 */
export function isIPv6Text(h: string): boolean {
  return h.includes(':') && net().isIPv6(h);
}

/** 0.0.0.0, :: and the empty host: a server bound there listens on every interface. */
export function isUnspecifiedHost(host: string): boolean {
  const h = bareHost(host);
  if (h === '' || h === '0.0.0.0') return true;
  return isIPv6Text(h) && normalizeIPv6(h) === '::';
}

/** Loopback: `localhost` (and `*.localhost`), 127.0.0.0/8, ::1, ::ffff:127.x.x.x. */
export function isLoopbackHost(host: string): boolean {
  const h = bareHost(host).replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6Text(h)) {
    const n = normalizeIPv6(h);
    if (n === '::1') return true;
    // IPv4-mapped loopback, written either way.
    const mapped = /^::ffff:(.+)$/.exec(n);
    if (mapped) {
      const v4 = mapped[1]!;
      if (isIPv4(v4)) return v4.startsWith('127.');
      const hex = /^([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(v4);
      if (hex) return parseInt(hex[1]!, 16) >> 8 === 127;
    }
  }
  return false;
}

/** Canonical text of an IPv6 address (WHATWG URL serialisation: compressed, lower case). */
export function normalizeIPv6(ip: string): string {
  try {
    return bareHost(new URL(`http://[${ip}]/`).hostname);
  } catch {
    return ip.toLowerCase();
  }
}

/** Parsed pieces of a base URL, with the port made explicit. */
export interface Endpoint {
  protocol: string;
  host: string;
  port: number;
  path: string;
}

export function endpointOf(url: string): Endpoint | undefined {
  try {
    const u = new URL(url);
    const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { protocol: u.protocol, host: bareHost(u.hostname), port, path: u.pathname.replace(/\/+$/, '') };
  } catch {
    return undefined;
  }
}

/**
 * Whether two base URLs reach the same server from this machine: loopback names are treated as
 * one (`localhost`, 127.0.0.1, ::1), a trailing `/v1` and slashes are ignored.
 */
export function sameEndpoint(a: string, b: string): boolean {
  const x = endpointOf(stripV1(a));
  const y = endpointOf(stripV1(b));
  if (!x || !y) return false;
  const hostsMatch = x.host === y.host || (isLoopbackHost(x.host) && isLoopbackHost(y.host));
  return x.protocol === y.protocol && hostsMatch && x.port === y.port && x.path === y.path;
}

/**
 * A `base_url` as we show and probe it: the scheme in lower case (`HTTP://` is valid, WHATWG URL
 * lower-cases it, Ollama's host parser does not), and any `user:password@` dropped, so a password
 * is never printed; the host it names is what counts. The rest stays as written.
 */
export function cleanBaseUrl(url: string): string {
  return url.replace(/^(\s*)([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^/?#@\s]*@)?/, (_, space: string, scheme: string) => `${space}${scheme.toLowerCase()}://`);
}

/** `http://h:1/v1/` -> `http://h:1`. */
export function stripV1(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1$/, '').replace(/\/+$/, '');
}

/** Host part of a URL for display and exposure checks; undefined if the URL does not parse. */
export function hostOf(url: string): string | undefined {
  return endpointOf(url)?.host;
}
