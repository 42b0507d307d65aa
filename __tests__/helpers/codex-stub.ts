/**
 * A stand-in for the codex binary, for fast unit tests of detection and of runCodexExec's process
 * handling (stdin, cwd, CODEX_HOME, -o, process-tree kill). It is a small CommonJS Node script;
 * the real binaries are exercised in __tests__/e2e/codex-exec.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CodexStubConfig {
  /** Printed by `--version`, e.g. "codex-cli 0.169.0". */
  versionText: string;
  /** Printed by `exec --help`. */
  help: string;
  helpExitCode?: number;
  /**
   * `codex exec`:
   * - 'answer': header on stderr, `answer` to -o and stdout, exit 0;
   * - 'report': writes JSON {args, cwd, cwdEntries, codexHome, stdinBytes} to -o, exit 0;
   * - 'stderr': prints `stderr` and exits with `exitCode`;
   * - 'hang': starts a grandchild (pid written to `childPidFile`) and never exits;
   * - 'hang-stubborn': like 'hang', but both ignore SIGTERM.
   */
  mode?: 'answer' | 'report' | 'stderr' | 'hang' | 'hang-stubborn';
  answer?: string;
  stderr?: string;
  exitCode?: number;
  model?: string;
  provider?: string;
  /** Each invocation's arguments are appended here as a JSON line. */
  logFile?: string;
  childPidFile?: string;
}

const SCRIPT = `#!__NODE__
'use strict';
const fs = require('fs');
const cp = require('child_process');
const cfg = JSON.parse(__CFG__);
const args = process.argv.slice(2);
if (cfg.logFile) fs.appendFileSync(cfg.logFile, JSON.stringify(args) + '\\n');
if (args[0] === '--version') { process.stdout.write(cfg.versionText + '\\n'); process.exit(0); }
if (args[0] === 'exec' && args[1] === '--help') { process.stdout.write(cfg.help); process.exit(cfg.helpExitCode || 0); }
if (args[0] !== 'exec') { process.stderr.write('stub: unknown command\\n'); process.exit(2); }
const o = args.indexOf('-o') >= 0 ? args[args.indexOf('-o') + 1] : undefined;
const prompt = args[args.length - 1];
const stdinBytes = fs.readFileSync(0).length;
const version = (cfg.versionText.match(/\\d+\\.\\d+\\.\\d+/) || ['0.0.0'])[0];
process.stderr.write('Reading additional input from stdin...\\nOpenAI Codex v' + version + '\\n--------\\nworkdir: ' + process.cwd() +
  '\\nmodel: ' + (cfg.model || 'stub-model') + '\\nprovider: ' + (cfg.provider || 'stub') + '\\napproval: never\\n--------\\nuser\\n' + prompt + '\\n');
const mode = cfg.mode || 'answer';
if (mode === 'hang' || mode === 'hang-stubborn') {
  const stubborn = mode === 'hang-stubborn';
  if (stubborn) process.on('SIGTERM', () => {});
  const code = (stubborn ? "process.on('SIGTERM', () => {});" : '') + 'setInterval(() => {}, 1000);';
  const child = cp.spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  fs.writeFileSync(cfg.childPidFile, String(child.pid));
  setInterval(() => {}, 1000);
} else if (mode === 'report') {
  fs.writeFileSync(o, JSON.stringify({ args, cwd: process.cwd(), cwdEntries: fs.readdirSync(process.cwd()), codexHome: process.env.CODEX_HOME, stdinBytes }));
  process.exit(0);
} else if (mode === 'stderr') {
  process.stderr.write(cfg.stderr || '');
  process.exit(cfg.exitCode === undefined ? 1 : cfg.exitCode);
} else {
  const answer = cfg.answer === undefined ? 'OK' : cfg.answer;
  if (o) fs.writeFileSync(o, answer);
  process.stdout.write(answer + '\\n');
  process.stderr.write('codex\\n' + answer + '\\ntokens used\\n11\\n');
  process.exit(0);
}
`;

/**
 * Writes the stub into `dir` as `fileName` (default `codex`, executable, found on PATH; use
 * `codex.js` to exercise the "run .js with Node" path). Returns its path.
 */
export function writeCodexStub(dir: string, config: CodexStubConfig, fileName = 'codex'): string {
  const file = path.join(dir, fileName);
  // An absolute shebang: tests run with a PATH that may not contain node.
  const text = SCRIPT.replace('__NODE__', process.execPath).replace('__CFG__', JSON.stringify(JSON.stringify(config)));
  fs.writeFileSync(file, text, { mode: 0o755 });
  return file;
}
