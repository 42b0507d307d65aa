import { parseOllamaHost, splitHostPort, cleanEnvValue } from '../../../src/discover/ollama-host.js';
import { resolveOllamaTarget, resolveOllamaUrl } from '../../../src/discover/ollama.js';
import { UsageError } from '../../../src/errors.js';

describe('parseOllamaHost: every form Ollama accepts (envconfig.Host and its test table)', () => {
  // Expected values are Ollama's own (ollama/ollama envconfig/config_test.go TestHost).
  const cases: Array<[string, string, string | undefined]> = [
    // name, value, expected url
    ['empty', '', 'http://127.0.0.1:11434'],
    ['only address', '1.2.3.4', 'http://1.2.3.4:11434'],
    ['only port', ':1234', 'http://:1234'],
    ['address and port', '1.2.3.4:1234', 'http://1.2.3.4:1234'],
    ['hostname', 'example.com', 'http://example.com:11434'],
    ['hostname and port', 'example.com:1234', 'http://example.com:1234'],
    ['zero port', ':0', 'http://:0'],
    ['too large port', ':66000', 'http://:11434'],
    ['too small port', ':-1', 'http://:11434'],
    ['ipv6 localhost', '[::1]', 'http://[::1]:11434'],
    ['ipv6 world open', '[::]', 'http://[::]:11434'],
    ['ipv6 no brackets', '::1', 'http://[::1]:11434'],
    ['ipv6 + port', '[::1]:1337', 'http://[::1]:1337'],
    ['extra space', ' 1.2.3.4 ', 'http://1.2.3.4:11434'],
    ['extra quotes', '"1.2.3.4"', 'http://1.2.3.4:11434'],
    ['extra space+quotes', ' " 1.2.3.4 " ', 'http://1.2.3.4:11434'],
    ['extra single quotes', "'1.2.3.4'", 'http://1.2.3.4:11434'],
    ['http', 'http://1.2.3.4', 'http://1.2.3.4:80'],
    ['http port', 'http://1.2.3.4:4321', 'http://1.2.3.4:4321'],
    ['https', 'https://1.2.3.4', 'https://1.2.3.4:443'],
    ['https port', 'https://1.2.3.4:4321', 'https://1.2.3.4:4321'],
    ['proxy path', 'https://example.com/ollama', 'https://example.com:443/ollama'],
  ];
  it.each(cases)('%s: %j -> %s', (_name, value, expected) => {
    expect(parseOllamaHost(value).url).toBe(expected);
  });

  it('unset behaves like empty', () => {
    const h = parseOllamaHost(undefined);
    expect(h.url).toBe('http://127.0.0.1:11434');
    expect(h.connectUrl).toBe('http://127.0.0.1:11434');
    expect(h.bindsAllInterfaces).toBe(false);
    expect(h.raw).toBeUndefined();
  });

  it('0.0.0.0:11434 binds every interface; we connect through loopback', () => {
    const h = parseOllamaHost('0.0.0.0:11434');
    expect(h.bindsAllInterfaces).toBe(true);
    expect(h.url).toBe('http://0.0.0.0:11434');
    expect(h.connectUrl).toBe('http://127.0.0.1:11434');
  });

  it('bare 0.0.0.0 gets the default port and binds every interface', () => {
    const h = parseOllamaHost('0.0.0.0');
    expect(h.port).toBe('11434');
    expect(h.bindsAllInterfaces).toBe(true);
  });

  it('an empty host (":1234") binds every interface too, and connects to 127.0.0.1', () => {
    const h = parseOllamaHost(':1234');
    expect(h.bindsAllInterfaces).toBe(true);
    expect(h.connectUrl).toBe('http://127.0.0.1:1234');
  });

  it('[::] binds every interface and connects to [::1]', () => {
    const h = parseOllamaHost('[::]:11434');
    expect(h.bindsAllInterfaces).toBe(true);
    expect(h.connectUrl).toBe('http://[::1]:11434');
  });

  it('http://0.0.0.0 (a scheme and the bind-all address) is port 80 and exposed', () => {
    const h = parseOllamaHost('http://0.0.0.0');
    expect(h.url).toBe('http://0.0.0.0:80');
    expect(h.bindsAllInterfaces).toBe(true);
  });

  it('keeps the path (a reverse proxy prefix) and drops nothing else', () => {
    const h = parseOllamaHost('https://gw.example.com:8443/ollama/v2');
    expect(h.path).toBe('ollama/v2');
    expect(h.connectUrl).toBe('https://gw.example.com:8443/ollama/v2');
  });

  it('a trailing slash is not a path', () => {
    expect(parseOllamaHost('http://127.0.0.1:11434/').url).toBe('http://127.0.0.1:11434');
  });

  it('flags an unusable port and an unsupported scheme', () => {
    expect(parseOllamaHost('127.0.0.1:abc').portInvalid).toBe(true);
    expect(parseOllamaHost('127.0.0.1:abc').port).toBe('11434');
    expect(parseOllamaHost('tcp://127.0.0.1:11434').schemeUnsupported).toBe(true);
    expect(parseOllamaHost('127.0.0.1:11434').portInvalid).toBe(false);
  });

  it('normalises IPv6 spellings like net.ParseIP', () => {
    expect(parseOllamaHost('0:0:0:0:0:0:0:1').url).toBe('http://[::1]:11434');
  });

  it('cleanEnvValue strips spaces and quotes in Ollama order', () => {
    expect(cleanEnvValue(` "' 0.0.0.0:1 '" `)).toBe('0.0.0.0:1');
    expect(cleanEnvValue('\t1.2.3.4\n')).toBe('1.2.3.4');
  });

  it('splitHostPort follows net.SplitHostPort', () => {
    expect(splitHostPort('a:1')).toEqual({ host: 'a', port: '1' });
    expect(splitHostPort('[::1]:2')).toEqual({ host: '::1', port: '2' });
    expect(splitHostPort('a')).toBeUndefined();
    expect(splitHostPort('::1')).toBeUndefined();
    expect(splitHostPort('[::1]')).toBeUndefined();
    expect(splitHostPort('a]:1')).toBeUndefined();
  });
});

describe('resolveOllamaTarget: flag, then OLLAMA_HOST, then the default', () => {
  it('defaults to 127.0.0.1:11434', () => {
    expect(resolveOllamaTarget(undefined, {})).toEqual({ url: 'http://127.0.0.1:11434', source: 'default' });
    expect(resolveOllamaUrl(undefined, {})).toBe('http://127.0.0.1:11434');
  });

  it('uses OLLAMA_HOST in any form, blank or quoted-blank meaning unset', () => {
    expect(resolveOllamaUrl(undefined, { OLLAMA_HOST: '10.0.0.5' })).toBe('http://10.0.0.5:11434');
    expect(resolveOllamaUrl(undefined, { OLLAMA_HOST: '  ' })).toBe('http://127.0.0.1:11434');
    expect(resolveOllamaUrl(undefined, { OLLAMA_HOST: '""' })).toBe('http://127.0.0.1:11434');
    expect(resolveOllamaUrl(undefined, { OLLAMA_HOST: '0.0.0.0:11500' })).toBe('http://127.0.0.1:11500');
    expect(resolveOllamaTarget(undefined, { OLLAMA_HOST: 'https://box/ollama' }).url).toBe('https://box/ollama');
  });

  it('the flag wins, reads the same forms, and a pasted /v1 is dropped', () => {
    const env = { OLLAMA_HOST: '10.0.0.5' };
    expect(resolveOllamaUrl('127.0.0.1:11500', env)).toBe('http://127.0.0.1:11500');
    expect(resolveOllamaUrl('http://localhost:11434/v1', env)).toBe('http://localhost:11434');
    expect(resolveOllamaTarget('127.0.0.1', env).source).toBe('--ollama-url');
  });

  it('a bad flag is a usage error; a bad OLLAMA_HOST is reported, not thrown', () => {
    expect(() => resolveOllamaTarget('ftp://x', {})).toThrow(UsageError);
    expect(() => resolveOllamaTarget('  ', {})).toThrow(UsageError);
    expect(resolveOllamaTarget(undefined, { OLLAMA_HOST: 'ftp://x' }).invalid).toMatch(/scheme "ftp"/);
    expect(resolveOllamaTarget(undefined, { OLLAMA_HOST: 'bad host name' }).invalid).toMatch(/not a usable URL/);
  });
});

describe('cleanBaseUrl (issue 17)', () => {
  test('lower-cases the scheme, drops user:password@, keeps the rest as written', async () => {
    const { cleanBaseUrl } = await import('../../../src/discover/address.js');
    expect(cleanBaseUrl('HTTP://127.0.0.1:1234/v1')).toBe('http://127.0.0.1:1234/v1');
    expect(cleanBaseUrl('http://me:pw@127.0.0.1:1234/v1')).toBe('http://127.0.0.1:1234/v1');
    expect(cleanBaseUrl('HTTPS://me@Example.com')).toBe('https://Example.com');
    expect(cleanBaseUrl('http://h:1/a@b')).toBe('http://h:1/a@b');
    expect(cleanBaseUrl('http://h:1/')).toBe('http://h:1/');
    expect(cleanBaseUrl('not a url')).toBe('not a url');
  });
});
