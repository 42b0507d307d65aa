/**
 * Issue 17: `base_url = "HTTP://..."` or `"http://user:pw@..."` crashed `test` with a stack trace
 * (the probe parsed it as OLLAMA_HOST). The scheme is case-insensitive and `user:pw@` names the
 * same host; the password is never printed. The real codex 0.169 runs the profile.
 */
import { baseConfig, cli, fileProfile, LMS_MODEL, makeHome, parseJson, providerToml, responsesCalls, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';

let f: Fakes;
let home: Home;

beforeAll(async () => {
  f = await startFakes();
  home = makeHome(f);
});
afterAll(async () => {
  await f.close();
  home.sb.cleanup();
});

const PASSWORD = 'hunter2-Blue';

test.each([
  ['an upper-case scheme', (url: string) => url.replace('http://', 'HTTP://')],
  ['user:password@', (url: string) => url.replace('http://', `http://me:${PASSWORD}@`)],
])('base_url with %s: the profile is tested like any other, no stack trace, no password', async (_, shape) => {
  f.reset();
  home.write('config.toml', baseConfig(f.decoy));
  home.write('odd.config.toml', fileProfile('odd', LMS_MODEL, providerToml('odd', shape(`${f.lms.url}/v1`))));
  for (const json of [true, false]) {
    const r = await cli('0.169', home, ['test', 'odd', '--timeout', '60', ...(json ? ['--json'] : [])]);
    expect(r.stderr).not.toMatch(/\n\s+at |UsageError|Node\.js v/);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.code).toBe(0);
    if (json) expect(parseJson(r).results[0]).toMatchObject({ status: 'pass', reportedProvider: 'odd' });
  }
  expect(responsesCalls(f.lms)).toHaveLength(2);
  expect(f.decoy.requests).toEqual([]);
});
