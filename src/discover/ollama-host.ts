import { isIPv4, isIPv6Text, isUnspecifiedHost, normalizeIPv6 } from './address.js';

export const OLLAMA_DEFAULT_PORT = '11434';

/**
 * OLLAMA_HOST read the way Ollama reads it (envconfig.Host() in ollama/ollama):
 * - quotes and spaces around the value are stripped;
 * - no scheme: `http`, port 11434; `http://` defaults to port 80, `https://` to 443;
 * - a path after the host is kept (a reverse proxy prefix);
 * - a bare IP (`1.2.3.4`, `::1`, `[::1]`) gets the default port; `:1234` keeps an empty host;
 * - a port that is not a number in 0-65535 falls back to the default.
 */
export interface OllamaHost {
  /** The variable as given (undefined when unset). */
  raw: string | undefined;
  scheme: string;
  /** Host as Ollama resolved it; '' (from `:PORT`) means every interface when serving. */
  host: string;
  port: string;
  /** Path after the host, without the leading slash ('' when none). */
  path: string;
  /** The URL Ollama's own client would use: `scheme://host:port[/path]`. */
  url: string;
  /**
   * Where to connect from this machine: like `url`, with a bind-all host (0.0.0.0, ::, '')
   * replaced by loopback, which is where such a server answers locally.
   */
  connectUrl: string;
  /** The server binds every interface: other hosts can send it prompts. */
  bindsAllInterfaces: boolean;
  /** The port part was given but not usable; the default port was used (Ollama logs a warning). */
  portInvalid: boolean;
  /** The scheme is neither http nor https: Ollama's client cannot use it either. */
  schemeUnsupported: boolean;
}

/** Go's strings.Trim(strings.TrimSpace(s), "\"'") followed by another TrimSpace. */
export function cleanEnvValue(raw: string): string {
  return raw.trim().replace(/^["']+|["']+$/g, '').trim();
}

/** Go's net.SplitHostPort; undefined where Go returns an error. */
export function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return undefined;
    if (end + 1 !== i) return undefined; // missing port, or too many colons
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(j).includes('[')) return undefined;
  if (hostport.slice(k).includes(']')) return undefined;
  return { host, port: hostport.slice(i + 1) };
}

/** Go's net.JoinHostPort. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's strconv.ParseInt(port, 10, 32) plus Ollama's 0..65535 range check. */
function validPort(port: string): boolean {
  if (!/^[+-]?\d+$/.test(port)) return false;
  const n = Number(port);
  return Number.isSafeInteger(n) && n >= 0 && n <= 65535;
}

/** net.ParseIP(s).String(): canonical text for an IP, undefined when `s` is not one. */
function parseIP(s: string): string | undefined {
  if (isIPv4(s)) return s;
  if (isIPv6Text(s)) {
    const n = normalizeIPv6(s);
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(n);
    return mapped ? mapped[1] : n;
  }
  return undefined;
}

export function parseOllamaHost(raw: string | undefined): OllamaHost {
  let defaultPort = OLLAMA_DEFAULT_PORT;
  const s = cleanEnvValue(raw ?? '');
  let scheme = 'http';
  let hostport = s;
  const cut = s.indexOf('://');
  if (cut >= 0) {
    scheme = s.slice(0, cut);
    hostport = s.slice(cut + 3);
    if (scheme === 'http') defaultPort = '80';
    else if (scheme === 'https') defaultPort = '443';
  }
  const slash = hostport.indexOf('/');
  const path = slash >= 0 ? hostport.slice(slash + 1) : '';
  if (slash >= 0) hostport = hostport.slice(0, slash);

  let host: string;
  let port: string;
  const split = splitHostPort(hostport);
  if (split) {
    ({ host, port } = split);
  } else {
    host = '127.0.0.1';
    port = defaultPort;
    const ip = parseIP(hostport.replace(/^\[+|\]+$/g, ''));
    if (ip !== undefined) host = ip;
    else if (hostport !== '') host = hostport;
  }

  let portInvalid = false;
  if (!validPort(port)) {
    portInvalid = true;
    port = defaultPort;
  }

  const suffix = path !== '' ? `/${path}` : '';
  const url = `${scheme}://${joinHostPort(host, port)}${suffix}`;
  const bindsAllInterfaces = isUnspecifiedHost(host);
  const connectHost = !bindsAllInterfaces ? host : host.includes(':') ? '::1' : '127.0.0.1';
  const connectUrl = `${scheme}://${joinHostPort(connectHost, String(Number(port)))}${suffix}`;
  return {
    raw,
    scheme,
    host,
    port,
    path,
    url,
    connectUrl,
    bindsAllInterfaces,
    portInvalid,
    schemeUnsupported: scheme !== 'http' && scheme !== 'https',
  };
}
