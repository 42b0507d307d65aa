/**
 * runCompare with ad-hoc targets, codex stood in for: a profile and a `--hosted MODEL` side by
 * side (what codex is asked to run, the report's targets, previews and summary), the target
 * count, and the answer folder kept out of the Codex home. The real binaries: e2e/compare-adhoc.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CodexInfo } from '../../../src/codex/detect.js';
import type { ExecOptions, ExecResult } from '../../../src/codex/exec.js';
import type { CommandContext } from '../../../src/context.js';
import { CliError } from '../../../src/errors.js';
import type { CompareOptions, CompareReport } from '../../../src/route/compare.js';
import { runCompare } from '../../../src/run/compare.js';
import type { Output } from '../../../src/ui/output.js';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';

const CODEX: CodexInfo = { found: true, bin: '/x/codex', version: '0.169.0', layout: 'file', profileFlag: '-p', profileV2: false, ephemeral: true, warnings: [] };

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(sb.codexHome);
  fs.writeFileSync(path.join(sb.codexHome, 'mine.config.toml'), 'model_provider = "srv"\nmodel = "m-local"\n[model_providers.srv]\nname = "srv"\nbase_url = "http://127.0.0.1:1111/v1"\n');
});
afterEach(() => sb.cleanup());

function run(over: Partial<CompareOptions>, exec: (o: ExecOptions) => Promise<ExecResult>): { done: Promise<number>; stdout: string[] } {
  const stdout: string[] = [];
  const out = { jsonMode: true, line: () => undefined, note: () => undefined, warn: () => undefined, json: (v: unknown) => stdout.push(JSON.stringify(v)) } as unknown as Output;
  const ctx = { opts: { codexHome: sb.codexHome, json: true, dryRun: false, yes: false, color: false }, out, env: {} } as CommandContext;
  const opts: CompareOptions = { prompt: 'Say hi', profiles: [], out: path.join(sb.root, 'out'), timeoutSeconds: 5, allowHosted: true, redact: false, ...over };
  return { done: runCompare(ctx, opts, { exec, detect: async () => CODEX, progress: () => undefined }), stdout };
}

const answer = (o: ExecOptions): ExecResult => {
  const hosted = o.profile === undefined;
  const text = hosted ? 'Run the tests.\n- Back up config.toml first\nRisk: 2 files change.' : 'Run the tests.';
  return { ok: true, exitCode: 0, timedOut: false, finalMessage: text, reportedProvider: hosted ? 'openai' : 'srv', reportedModel: hosted ? 'gpt-5' : 'm-local', stderr: '', stdout: '', durationMs: 5, args: [] };
};

test('a profile and --hosted MODEL: -p for the profile, `-m MODEL` without a profile for the target; targets, previews and summary in --json', async () => {
  const calls: ExecOptions[] = [];
  const { done, stdout } = run({ profiles: ['mine'], hosted: ['gpt-5'] }, async (o) => (calls.push(o), answer(o)));
  expect(await done).toBe(0);
  expect(calls.map((c) => [c.profile, c.extraArgs, c.pin, c.hosted])).toEqual([
    ['mine', undefined, { provider: 'srv', model: 'm-local' }, false],
    [undefined, ['-m', 'gpt-5'], undefined, true],
  ]);
  const doc = JSON.parse(stdout.join('')) as CompareReport;
  expect(doc.runs.map((r) => [r.profile, r.target, r.preview, r.file && path.basename(r.file)])).toEqual([
    ['mine', { type: 'profile', spec: '--profiles mine' }, ['Run the tests.'], 'mine.md'],
    ['hosted-gpt-5', { type: 'hosted', spec: '--hosted gpt-5' }, ['Run the tests.', '- Back up config.toml first'], 'hosted-gpt-5.md'],
  ]);
  expect(doc.summaries).toEqual([
    {
      from: 'mine',
      to: 'hosted-gpt-5',
      onlyInFrom: [],
      onlyInTo: [
        { text: 'Back up config.toml first', tags: ['action'] },
        { text: 'Risk: 2 files change.', tags: ['risk', 'number'] },
      ],
      counts: { from: { risk: 0, number: 0, action: 0 }, to: { risk: 1, number: 1, action: 1 } },
    },
  ]);
  expect(doc.localChecks).toEqual([]);
});

test('fewer than two targets in all, or a folder inside the Codex home: usage errors, codex never started', async () => {
  const calls: ExecOptions[] = [];
  const exec = async (o: ExecOptions) => (calls.push(o), answer(o));
  for (const [over, text] of [
    [{ hosted: ['gpt-5'] }, 'compare needs at least two targets (it has 1)'],
    [{ profiles: ['mine'] }, 'compare needs at least two targets: --profiles'],
    [{ profiles: ['mine'], hosted: ['gpt-5'], out: path.join(sb.codexHome, 'answers') }, `is inside ${sb.codexHome}, Codex's own folder`],
  ] as Array<[Partial<CompareOptions>, string]>) {
    const err = await run(over, exec).done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toContain(text);
  }
  expect(calls).toEqual([]);
  expect(fs.existsSync(path.join(sb.codexHome, 'answers'))).toBe(false);
});
