/**
 * `export` and `apply` end to end: the built CLI, the REAL codex of each era (it decides the
 * layout), fake Ollama / LM Studio on 127.0.0.1, temporary HOME and CODEX_HOME. Every config.toml
 * has the local decoy as its base provider.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { baseConfig, cli, makeHome, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';
import { parseJson, type CliResult } from '../helpers/cli.js';
import { LAYOUT_OF } from '../helpers/codex-bins.js';

let f: Fakes;
beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
});

/** The fleet file the tests start from: the default Ollama, an LM Studio named through ${LMS_URL}, a hosted one. */
function fleetText(): string {
  return [
    'version = 1',
    'oss_provider = "ollama"',
    '[profiles.oll]',
    'server = "ollama"',
    'model = "qwen3:8b"',
    'model_context_window = 65536',
    '[profiles.coder]',
    'server = "lmstudio"',
    'model = "qwen/qwen3-coder-30b"',
    'url = "${LMS_URL}"',
    '[profiles.cloud]',
    'server = "hosted"',
    'model = "gpt-5"',
    '',
  ].join('\n');
}

function newHome(): Home {
  // OLLAMA_HOST: where this machine's Ollama is (the default server); CODEX_OSS_BASE_URL: the same for codex.
  const home = makeHome(f, { OLLAMA_HOST: f.ollama.url, LMS_URL: f.lms.url });
  home.write('config.toml', baseConfig(f.decoy));
  return home;
}

/** Every file under CODEX_HOME with its bytes (backups and state included): "writes nothing" means this stays equal. */
function snapshot(home: Home): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.lock')) out[path.relative(home.sb.codexHome, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(home.sb.codexHome);
  return out;
}

function json(r: CliResult): any {
  return parseJson(r);
}

describe.each(['0.131', '0.169'] as const)('codex %s', (v) => {
  const layout = LAYOUT_OF[v];
  let home: Home;
  let fleetFile: string;
  beforeEach(() => {
    home = newHome();
    fleetFile = path.join(home.sb.root, 'fleet.toml');
    fs.writeFileSync(fleetFile, fleetText());
  });
  afterEach(() => home.sb.cleanup());

  test('apply writes the layout this codex reads; a second apply writes nothing and says so', async () => {
    const first = await cli(v, home, ['apply', fleetFile, '--yes', '--json']);
    expect(first.code).toBe(0);
    const doc = json(first);
    expect(doc.changed).toBe(true);
    expect(doc.missingModels).toEqual([]);
    const config = parse(fs.readFileSync(home.path('config.toml'), 'utf8')) as any;
    expect(config.oss_provider).toBe('ollama');
    expect(config.model_providers[`lmstudio-port-${new URL(f.lms.url).port}`].base_url).toBe(`${f.lms.url}/v1`);
    const oll = layout === 'file' ? (parse(fs.readFileSync(home.path('oll.config.toml'), 'utf8')) as any) : config.profiles.oll;
    expect(oll).toMatchObject({ model_provider: 'ollama', model: 'qwen3:8b', model_context_window: 65536 });
    if (layout === 'table') expect(fs.existsSync(home.path('oll.config.toml'))).toBe(false);

    const before = snapshot(home);
    const second = await cli(v, home, ['apply', fleetFile, '--yes', '--json']);
    expect(second.code).toBe(0);
    expect(json(second)).toMatchObject({ changed: false, files: [], differences: [] });
    expect(snapshot(home)).toEqual(before);
    const text = await cli(v, home, ['apply', fleetFile, '--yes']);
    expect(text.stdout).toMatch(/already matches fleet\.toml; nothing was written/);
  });

  test('export -> apply on a fresh home recreates the same profiles', async () => {
    expect((await cli(v, home, ['apply', fleetFile, '--yes'])).code).toBe(0);
    const exported = path.join(home.sb.root, 'exported.toml');
    const ex = await cli(v, home, ['export', exported]);
    expect(ex.code).toBe(0);
    const text = fs.readFileSync(exported, 'utf8');
    expect(text).not.toContain(home.sb.root); // no path of this machine
    expect(text).toMatch(/^# codex-profiles fleet file/);
    expect(parse(text)).toEqual({
      version: 1,
      oss_provider: 'ollama',
      profiles: {
        cloud: { server: 'hosted', model: 'gpt-5' },
        coder: { server: 'lmstudio', model: 'qwen/qwen3-coder-30b', url: f.lms.url },
        oll: { server: 'ollama', model: 'qwen3:8b', model_context_window: 65536 },
      },
    });
    // stdout when no FILE, same text (stable order)
    expect((await cli(v, home, ['export'])).stdout).toBe(text);

    const fresh = newHome();
    try {
      const r = await cli(v, fresh, ['apply', exported, '--yes', '--json']);
      expect(json(r).changed).toBe(true);
      const again = await cli(v, fresh, ['export']);
      expect(again.stdout).toBe(text);
      expect(json(await cli(v, fresh, ['apply', exported, '--yes', '--json'])).changed).toBe(false);
    } finally {
      fresh.sb.cleanup();
    }
  });

  test('--check: exit 0 in sync, 1 after a hand edit or a deletion, listing each; it writes nothing', async () => {
    const fresh = await cli(v, home, ['apply', fleetFile, '--check', '--json']);
    expect(fresh.code).toBe(1);
    expect(json(fresh).differences.map((d: any) => `${d.kind} ${d.profile ?? ''}`)).toEqual(expect.arrayContaining(['missing oll', 'missing coder', 'missing cloud']));
    expect(fs.existsSync(home.path('oll.config.toml'))).toBe(false);

    await cli(v, home, ['apply', fleetFile, '--yes']);
    const ok = await cli(v, home, ['apply', fleetFile, '--check', '--json']);
    expect(ok.code).toBe(0);
    expect(json(ok)).toMatchObject({ inSync: true, changed: false, differences: [] });

    // Another tool rewrites one profile and deletes another.
    if (layout === 'file') {
      home.write('oll.config.toml', fs.readFileSync(home.path('oll.config.toml'), 'utf8').replace('model = "qwen3:8b"', 'model = "gpt-oss:20b"'));
      fs.rmSync(home.path('cloud.config.toml'));
    } else {
      const cfg = fs.readFileSync(home.path('config.toml'), 'utf8');
      home.write('config.toml', cfg.replace('model = "qwen3:8b"', 'model = "gpt-oss:20b"').replace(/\n# Codex profile "cloud"[^\n]*\n[^\n]*\n\[profiles\.cloud\]\n[^[]*/, '\n'));
      expect(fs.readFileSync(home.path('config.toml'), 'utf8')).not.toContain('[profiles.cloud]');
    }
    const before = snapshot(home);
    const drift = await cli(v, home, ['apply', fleetFile, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/oll differs from the file/);
    expect(drift.stdout).toMatch(/cloud is missing/);
    expect(snapshot(home)).toEqual(before);
    const asJson = json(await cli(v, home, ['apply', fleetFile, '--check', '--json']));
    expect(asJson.differences).toEqual(
      expect.arrayContaining([expect.objectContaining({ profile: 'oll', kind: 'differs' }), expect.objectContaining({ profile: 'cloud', kind: 'missing' })]),
    );
    // apply repairs it; then in sync again
    expect(json(await cli(v, home, ['apply', fleetFile, '--yes', '--json'])).changed).toBe(true);
    expect((await cli(v, home, ['apply', fleetFile, '--check'])).code).toBe(0);
  });

  test('--prune removes only profiles apply wrote that the file dropped; a hand-made one stays', async () => {
    // A profile made by `add` (not by apply) that the fleet file never lists.
    const added = await cli(v, home, ['add', 'gpt-oss:20b', '--provider', 'ollama', '--name', 'mine', '--yes', '--ollama-url', f.ollama.url]);
    expect(added.code).toBe(0);
    await cli(v, home, ['apply', fleetFile, '--yes']);
    fs.writeFileSync(fleetFile, fleetText().replace(/\[profiles\.cloud\][^[]*/, ''));
    const check = json(await cli(v, home, ['apply', fleetFile, '--check', '--json']));
    expect(check.differences).toEqual([expect.objectContaining({ profile: 'cloud', kind: 'unlisted' })]);
    expect(check.inSync).toBe(true); // without --prune, an unlisted profile is reported, not drift
    expect(json(await cli(v, home, ['apply', fleetFile, '--check', '--prune', '--json'])).inSync).toBe(false);

    const pruned = await cli(v, home, ['apply', fleetFile, '--prune', '--yes', '--json']);
    expect(json(pruned).changed).toBe(true);
    const list = json(await cli(v, home, ['list', '--json']));
    const names = (list.profiles as Array<{ name: string }>).map((p) => p.name).sort();
    expect(names).toEqual(['coder', 'mine', 'oll']);
    expect(json(await cli(v, home, ['apply', fleetFile, '--prune', '--yes', '--json'])).changed).toBe(false);
  });
});

describe('bad input: a clear error, exit 2, nothing written', () => {
  let home: Home;
  beforeEach(() => {
    home = newHome();
  });
  afterEach(() => home.sb.cleanup());

  test.each([
    ['unknown key', '[profiles.a]\nserver = "ollama"\nmodle = "x"\n', /unknown key `modle`/],
    ['bad server', '[profiles.a]\nserver = "vllm"\nmodel = "x"\n', /server must be one of/],
    ['bad name', '[profiles."a:b"]\nserver = "ollama"\nmodel = "x"\n', /not a profile name/],
    ['unset variable', '[profiles.a]\nserver = "ollama"\nmodel = "x"\nurl = "${NOT_SET_ANYWHERE}"\n', /NOT_SET_ANYWHERE.*not set/],
    ['invalid TOML', '[profiles.a\n', /fleet\.toml:1/],
  ])('%s', async (_, text, message) => {
    const file = path.join(home.sb.root, 'fleet.toml');
    fs.writeFileSync(file, text);
    const before = snapshot(home);
    const r = await cli('0.169', home, ['apply', file, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(snapshot(home)).toEqual(before);
    const j = await cli('0.169', home, ['apply', file, '--yes', '--json']);
    expect(json(j)).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });

  test('a missing model is reported and never downloaded; the profile is still written', async () => {
    const file = path.join(home.sb.root, 'fleet.toml');
    fs.writeFileSync(file, '[profiles.big]\nserver = "ollama"\nmodel = "llama3.3:70b"\n');
    const r = await cli('0.169', home, ['apply', file, '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(json(r).missingModels).toEqual([expect.objectContaining({ profile: 'big', model: 'llama3.3:70b', reason: 'not installed' })]);
    expect(r.stderr).toMatch(/never downloads it \(ollama pull llama3\.3:70b\)/);
    expect(f.ollama.calls().filter((c) => /pull|create|generate|chat/.test(c))).toEqual([]);
  });

  test('export refuses to replace a file without --force', async () => {
    const file = path.join(home.sb.root, 'keep.toml');
    fs.writeFileSync(file, 'precious');
    const r = await cli('0.169', home, ['export', file]);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(file, 'utf8')).toBe('precious');
  });
});
