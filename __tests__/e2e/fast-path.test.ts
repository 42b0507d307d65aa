/**
 * The start-up fast paths of bin/codex-profiles.js (issue 8): help and the version from
 * dist/help.json, and `list` without yargs. Each must print byte for byte what the yargs path
 * prints (CODEX_PROFILES_NO_FAST_PATH=1 forces that path), and everything else must still reach
 * yargs. No timing here: docs/performance.md has the figures (bench/startup.mjs).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { makeSandbox, makeTempDir, removeDir, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

interface HelpCache {
  version: string;
  help: Record<string, { top: string; commands: Record<string, string> }>;
}
const cache = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'help.json'), 'utf8')) as HelpCache;
const NAMES = Object.keys(cache.help['100']!.commands);

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome, { recursive: true });
});
afterEach(() => sb.cleanup());

const fast = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: sandboxEnv(sb, extra) });
const viaYargs = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: sandboxEnv(sb, { ...extra, CODEX_PROFILES_NO_FAST_PATH: '1' }) });

/** Both paths: the same stdout, stderr and exit code. Returns the fast one. */
async function same(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const [a, b] = await Promise.all([fast(args, extra), viaYargs(args, extra)]);
  expect({ args, ...a }).toEqual({ args, ...b });
  return a;
}

describe('help and version from dist/help.json', () => {
  test('help.json has every command and alias at every width', () => {
    expect(NAMES).toEqual(expect.arrayContaining(['setup', 'add', 'remove', 'rm', 'list', 'restore', 'migrate']));
    expect(Object.keys(cache.help).sort()).toEqual(['100', '110', '80']);
    for (const width of Object.values(cache.help)) expect(Object.keys(width.commands)).toEqual(NAMES);
  });

  test('--help, -h and --version: what yargs prints, and what the cache holds', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await same([flag]);
      expect(r.stdout).toBe(cache.help['100']!.top);
      expect(r.code).toBe(0);
    }
    const v = await same(['--version']);
    expect(v.stdout).toBe(cache.version);
    expect(v.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version}\n`);
  });

  test.each(NAMES)('%s --help and -h: what yargs prints, and what the cache holds', async (name) => {
    for (const flag of ['--help', '-h']) {
      const r = await same([name, flag]);
      expect(r.stdout).toBe(cache.help['100']!.commands[name]);
      expect(r.code).toBe(0);
    }
  });

  test('in a terminal, at the widths rendered (80, 110 for anything wider) and at another (yargs)', async () => {
    for (const cols of [80, 110, 140, 93]) {
      for (const args of [['--help'], ['add', '--help'], ['rm', '-h']]) {
        const [a, b] = await Promise.all([inTerminal(args, cols, {}), inTerminal(args, cols, { CODEX_PROFILES_NO_FAST_PATH: '1' })]);
        expect({ cols, args, out: a }).toEqual({ cols, args, out: b });
        expect(a).toContain('codex-profiles');
      }
    }
  });

  test('another language: yargs translates the help, so it answers', async () => {
    const r = await same(['--help'], { LANG: 'de_DE.UTF-8' });
    expect(r.stdout).not.toBe(cache.help['100']!.top);
    expect(r.stdout).toContain('Optionen');
    expect((await same(['--help'], { LC_ALL: 'C.UTF-8', LANG: 'fr_FR.UTF-8' })).stdout).toBe(cache.help['100']!.top);
    expect((await same(['list', '-h'], { LANG: 'en_GB.UTF-8' })).stdout).toBe(cache.help['100']!.commands.list);
  });
});

describe('list without yargs', () => {
  const write = (name: string, text: string) => fs.writeFileSync(path.join(sb.codexHome, name), text);

  function fullHome(): void {
    write('config.toml', 'profile = "old"\noss_provider = "ollama"\n\n# mine\n[profiles.old]\nmodel = "qwen3"\nmodel_provider = "ollama"\n\n[profiles.other]\nmodel = "m"\n');
    write('fast.config.toml', 'model = "gpt-oss:20b"\nmodel_provider = "ollama"\n');
    write('broken.config.toml', 'model = \n');
    write('bad-day.config.toml', 'model = "m"\nsince = 1988-02-30\n');
    for (let i = 0; i < 5; i++) write(`p${i}.config.toml`, `model_provider = "lmstudio"\nmodel = "m${i}"\n`);
  }

  test('list, list --json, --no-color: byte for byte the yargs path, lines and errors included', async () => {
    fullHome();
    for (const args of [['list'], ['list', '--json'], ['list', '--no-color'], ['list', '--json', '--no-color']]) await same(args);
    const r = await same(['list', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.profiles.find((p: { name: string }) => p.name === 'old').line).toBe(5);
    expect(out.profiles.find((p: { name: string }) => p.name === 'other').line).toBe(9);
    expect(out.errors.map((e: { file: string }) => path.basename(e.file))).toEqual(['bad-day.config.toml', 'broken.config.toml']);
  });

  test('--codex-home DIR and --codex-home=DIR, in any order; colour as yargs sets it', async () => {
    fullHome();
    const other = path.join(sb.root, 'elsewhere');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'x.config.toml'), 'model = "x"\n');
    const r = await same(['list', '--codex-home', other, '--json']);
    expect(JSON.parse(r.stdout).profiles.map((p: { name: string }) => p.name)).toEqual(['x']);
    await same(['list', '--json', `--codex-home=${other}`]);
    await same(['list', '--codex-home', path.relative(REPO_ROOT, other)]);
    // Colour on (FORCE_COLOR, NO_COLOR unset) and turned off by --no-color.
    for (const args of [['list'], ['list', '--no-color']]) await same(args, { NO_COLOR: undefined, FORCE_COLOR: '1' });
  });

  test('an empty or missing home, and an error while reading (exit 2, the same report)', async () => {
    await same(['list']);
    await same(['list', '--json', '--codex-home', path.join(sb.root, 'none')]);
    const file = path.join(sb.root, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    for (const args of [['list', '--codex-home', file], ['list', '--codex-home', file, '--json']]) {
      const r = await same(args);
      expect(r.code).toBe(2);
    }
  });

  test('a flag outside the fast path gets yargs: list --bogus, exit 2', async () => {
    const r = await same(['list', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown argument: bogus/);
    for (const args of [['list', '--codex-home'], ['list', '--json', '--dry-run'], ['list', 'extra']]) await same(args);
  });
});

describe('which invocations take a fast path (a copy of the build whose yargs path is a stub)', () => {
  let copy: string;
  beforeAll(() => {
    copy = makeTempDir('cp-fast-');
    fs.cpSync(path.join(REPO_ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(copy, 'package.json'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(copy, 'dist', 'cli.js'), "export async function main(args) { process.stdout.write(`yargs ${JSON.stringify(args)}\\n`); return 7; }\n");
  });
  afterAll(() => removeDir(copy));

  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runNode(path.join(copy, 'bin', 'codex-profiles.js'), args, sandboxEnv(sb, extra));

  test('served without yargs: exactly the help and version forms, and list with its few flags', async () => {
    for (const args of [['--help'], ['-h'], ['--version'], ['add', '--help'], ['rm', '-h'], ['list', '--help']]) {
      const r = await run(args);
      expect({ args, code: r.code, yargs: r.stdout.startsWith('yargs ') }).toEqual({ args, code: 0, yargs: false });
    }
    for (const args of [['list'], ['list', '--json'], ['list', '--no-color', '--codex-home', sb.codexHome, '--json'], ['list', `--codex-home=${sb.codexHome}`]]) {
      const r = await run(args);
      expect({ args, code: r.code, yargs: r.stdout.startsWith('yargs ') }).toEqual({ args, code: 0, yargs: false });
    }
  });

  test('everything else goes to yargs', async () => {
    const others = [
      [],
      ['--help', 'add'],
      ['--help', '--json'],
      ['-h', '-h'],
      ['--version', '--json'],
      ['list', '--version'],
      ['list', '--help', '--json'],
      ['completion', '--help'],
      ['nonexistent', '--help'],
      ['__proto__', '--help'],
      ['constructor', '-h'],
      ['', '--help'],
      ['list', '--bogus'],
      ['list', '--json', '--json'],
      ['list', '--codex-home'],
      ['list', '--codex-home='],
      ['list', '--codex-home', '--json'],
      ['list', '--codex-home', 'a', '--codex-home', 'b'],
      ['list', '--color'],
      ['list', '--yes'],
      ['list', '-y'],
      ['list', '--'],
      ['list', 'x'],
      ['LIST', '--json'],
      ['ls'],
    ];
    for (const args of others) {
      const r = await run(args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 7, stdout: `yargs ${JSON.stringify(args)}\n` });
    }
    // The fast path is off: everything goes to yargs.
    for (const args of [['--help'], ['--version'], ['list', '--json']]) {
      expect((await run(args, { CODEX_PROFILES_NO_FAST_PATH: '1' })).stdout).toBe(`yargs ${JSON.stringify(args)}\n`);
    }
  });

  test('help in another language or at a width not rendered goes to yargs; the version does not', async () => {
    expect((await run(['--help'], { LANG: 'de_DE.UTF-8' })).code).toBe(7);
    expect((await run(['add', '-h'], { LC_MESSAGES: 'ja_JP.UTF-8' })).code).toBe(7);
    expect((await run(['--version'], { LANG: 'de_DE.UTF-8' })).stdout).toBe(cache.version);
    expect(await inTerminal([path.join(copy, 'bin', 'codex-profiles.js'), '--help'], 93, {}, true)).toContain('yargs ["--help"]');
    expect(await inTerminal([path.join(copy, 'bin', 'codex-profiles.js'), '--help'], 80, {}, true)).toBe(cache.help['80']!.top.replace(/\n/g, '\r\n'));
  });

  test('a missing or unreadable dist/help.json: yargs, silently', async () => {
    const helpJson = path.join(copy, 'dist', 'help.json');
    const saved = fs.readFileSync(helpJson);
    try {
      for (const broken of [null, '{"version": 1', '{"help": {}}', '[]', 'null']) {
        if (broken === null) fs.rmSync(helpJson);
        else fs.writeFileSync(helpJson, broken);
        for (const args of [['--help'], ['add', '--help'], ['--version']]) {
          const r = await run(args);
          expect({ broken, args, ...r }).toEqual({ broken, args, code: 7, stdout: `yargs ${JSON.stringify(args)}\n`, stderr: '' });
        }
      }
    } finally {
      fs.writeFileSync(helpJson, saved);
    }
  });
});

test('a missing dist/help.json falls back to the real yargs help', async () => {
  const copy = makeTempDir('cp-nohelp-');
  try {
    fs.cpSync(path.join(REPO_ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(copy, 'package.json'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    fs.rmSync(path.join(copy, 'dist', 'help.json'));
    for (const args of [['--help'], ['add', '--help'], ['--version']]) {
      const r = await runNode(path.join(copy, 'bin', 'codex-profiles.js'), args, sandboxEnv(sb));
      expect({ args, ...r }).toEqual({ args, ...(await viaYargs(args)) });
    }
  } finally {
    removeDir(copy);
  }
});

function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * stdout of `node CLI ...args` (or `node ...argv` with `raw`) in a pseudo-terminal of `cols`
 * columns (util-linux `script`), where yargs wraps the help at the terminal's width.
 */
function inTerminal(args: string[], cols: number, extra: NodeJS.ProcessEnv, raw = false): Promise<string> {
  const argv = raw ? [process.execPath, ...args] : [process.execPath, CLI, ...args];
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', `stty cols ${cols} rows 40; ${quoted}`, '/dev/null'], {
      env: { ...sandboxEnv(sb, extra), TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end();
  });
}
