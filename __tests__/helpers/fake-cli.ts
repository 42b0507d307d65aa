import fs from 'node:fs';
import path from 'node:path';
import type { FakeServer } from './fake-http.js';
import { makeSandbox, makeTempDir, removeDir, type Sandbox } from './tmp.js';

/**
 * Fake `ollama` / `lms` executables: small Node scripts (`#!/usr/bin/env node`, mode 755) in a
 * temporary folder that becomes the whole PATH. A `node` link sits next to them so the shebang
 * resolves without the real PATH (where a real ollama or lms might live). Every run is logged.
 */

export interface FakeCommandBehaviour {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Wait this long before answering (ms). */
  delayMs?: number;
  /** Never exit (until killed). */
  hang?: boolean;
}

export interface FakeCliSpec {
  /** Keyed by the arguments joined with spaces: `list`, `ls --json`, `server status --json`. */
  commands: Record<string, FakeCommandBehaviour>;
  /** Anything else (default: exit 1, `unknown command`). */
  otherwise?: FakeCommandBehaviour;
}

export interface FakeCliCall {
  name: string;
  args: string[];
  /** The variables the fake saw that matter to providers. */
  env: { OLLAMA_HOST?: string; HOME?: string };
}

export interface FakeCliDir {
  /** The folder to use as PATH. */
  dir: string;
  PATH: string;
  /** Write `name` into `dir` (or into `where`, e.g. ~/.lmstudio/bin); returns its path. */
  add(name: string, spec: FakeCliSpec, where?: string): string;
  calls(): FakeCliCall[];
  cleanup(): void;
}

const SCRIPT = (name: string, specFile: string, logFile: string) => `#!/usr/bin/env node
// Fake ${name} for codex-profiles tests.
const fs = require('fs');
const args = process.argv.slice(2);
// Records the environment it was started with, so tests can assert the sandbox home reached it.
const env = process.env;
fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify({
  name: ${JSON.stringify(name)}, args, env: { OLLAMA_HOST: env.OLLAMA_HOST, HOME: env.HOME },
}) + '\\n');
const spec = JSON.parse(fs.readFileSync(${JSON.stringify(specFile)}, 'utf8'));
const b = spec.commands[args.join(' ')] || spec.otherwise || { stderr: 'unknown command: ' + args.join(' ') + '\\n', exitCode: 1 };
const finish = () => {
  if (b.stdout) process.stdout.write(b.stdout);
  if (b.stderr) process.stderr.write(b.stderr);
  process.exitCode = b.exitCode || 0;
};
if (b.hang) setInterval(() => {}, 1000);
else if (b.delayMs) setTimeout(finish, b.delayMs);
else finish();
`;

export function makeFakeCliDir(): FakeCliDir {
  const root = makeTempDir('cp-fakecli-');
  const dir = path.join(root, 'bin');
  fs.mkdirSync(dir);
  const logFile = path.join(root, 'calls.jsonl');
  fs.writeFileSync(logFile, '');
  const nodeName = process.platform === 'win32' ? 'node.exe' : 'node';
  try {
    fs.symlinkSync(process.execPath, path.join(dir, nodeName));
  } catch {
    fs.copyFileSync(process.execPath, path.join(dir, nodeName));
  }
  return {
    dir,
    PATH: dir,
    add(name, spec, where = dir) {
      fs.mkdirSync(where, { recursive: true });
      const specFile = path.join(root, `${name}-${fs.readdirSync(root).length}.spec.json`);
      fs.writeFileSync(specFile, JSON.stringify(spec));
      const script = SCRIPT(name, specFile, logFile);
      if (process.platform === 'win32') {
        const js = path.join(where, `${name}.js`);
        fs.writeFileSync(js, script);
        const cmd = path.join(where, `${name}.cmd`);
        fs.writeFileSync(cmd, `@"${process.execPath}" "${js}" %*\r\n`);
        return cmd;
      }
      const file = path.join(where, name);
      fs.writeFileSync(file, script, { mode: 0o755 });
      fs.chmodSync(file, 0o755);
      return file;
    },
    calls() {
      return fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as FakeCliCall);
    },
    cleanup: () => removeDir(root),
  };
}

/** `ollama list` text as the real CLI prints it (columns padded, two or more spaces apart). */
export function ollamaListText(rows: Array<{ name: string; id?: string; size: string; modified?: string }>): string {
  const all = [{ name: 'NAME', id: 'ID', size: 'SIZE', modified: 'MODIFIED' }, ...rows.map((r) => ({ id: 'aa4295ac10c3', modified: '2 weeks ago', ...r }))];
  const w = (k: 'name' | 'id' | 'size') => Math.max(...all.map((r) => r[k].length)) + 4;
  return all.map((r) => r.name.padEnd(w('name')) + r.id.padEnd(w('id')) + r.size.padEnd(w('size')) + r.modified).join('\n') + '\n';
}

/**
 * Per test: a sandbox home, a folder of fake CLIs to use as PATH, and a list of fake servers
 * that are closed afterwards. Registers its own beforeEach/afterEach.
 */
export interface DiscoveryBox {
  readonly sb: Sandbox;
  readonly cli: FakeCliDir;
  readonly servers: FakeServer[];
}

export function useDiscoveryBox(): DiscoveryBox {
  let sb: Sandbox | undefined;
  let cli: FakeCliDir | undefined;
  const servers: FakeServer[] = [];
  beforeEach(() => {
    sb = makeSandbox();
    cli = makeFakeCliDir();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    cli?.cleanup();
    sb?.cleanup();
  });
  return {
    get sb() {
      return sb!;
    },
    get cli() {
      return cli!;
    },
    servers,
  };
}
