import fs from 'node:fs';
import path from 'node:path';
import { parseJson, runCli } from '../helpers/cli.js';
import { FAKE } from '../helpers/fake-secrets.js';
import { makeSandbox, sandboxEnv, type Sandbox } from '../helpers/tmp.js';

/** Runs the built CLI (dist/): build first with `node scripts/build.mjs` (npm test does). */

let sb: Sandbox;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  sb = makeSandbox();
  env = sandboxEnv(sb);
});

afterAll(() => sb.cleanup());

const classifyCli = (args: string[], input?: string) => runCli(['classify', ...args], { env, input, cwd: sb.root });

interface JsonReport {
  ok: boolean;
  source: string;
  verdict: 'local' | 'hosted';
  reasons: string[];
  findings: Array<{ rule: string; severity: string; line: number; column: number; offset: number; length: number; preview: string }>;
  redacted?: string;
  mapping?: Record<string, string>;
}

describe('classify (built CLI)', () => {
  test('hosted prompt: exit 0, the verdict first', async () => {
    const r = await classifyCli(['Explain', 'why this regex backtracks']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('hosted: no sensitive content found by the rule set');
    expect(r.stderr).toBe('');
  });

  test('local prompt: exit 0 (the verdict is information), findings as line:col rule preview, no raw values', async () => {
    const prompt = `mail jane@acme-fake.com\nthen use ${FAKE.github}`;
    const r = await classifyCli([prompt]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('local: 2 findings keep this prompt on the machine');
    expect(lines[1]).toMatch(/^ {2}1:6 {3}email {9}\*\*\*@\*\*\*\.com$/);
    expect(lines[2]).toMatch(/^ {2}2:10 {2}github-token {2}ghp_\*+ \(40 chars\)$/);
    expect(r.stdout).toContain('Why:');
    expect(r.stdout).toContain('--redact');
    expect(r.stdout).not.toContain('jane@');
    expect(r.stdout).not.toContain(FAKE.github);
  });

  test('--json: one document with verdict, reasons and findings; no redaction or mapping unless asked', async () => {
    const r = await classifyCli(['--json', `ssh admin@10.0.0.7 with password=${'Fake' + '0000pw'}`]);
    expect(r.code).toBe(0);
    const report = parseJson<JsonReport>(r);
    expect(report).toEqual({
      ok: true,
      source: 'argument',
      verdict: 'local',
      reasons: expect.any(Array),
      findings: [
        { rule: 'ipv4-private', severity: 'internal', line: 1, column: 11, offset: 10, length: 8, preview: '10.*.*.*' },
        { rule: 'secret-assignment', severity: 'secret', line: 1, column: 34, offset: 33, length: 10, preview: '******** (10 chars)' },
      ],
    });
    expect(report.reasons).toHaveLength(2);
    expect(r.stdout).not.toContain('Fake0000pw');
  });

  test('--json hosted', async () => {
    const report = parseJson<JsonReport>(await classifyCli(['--json', 'hello']));
    expect(report).toEqual({ ok: true, source: 'argument', verdict: 'hosted', reasons: ['no sensitive content found by the rule set'], findings: [] });
  });

  test('--file with CRLF line endings and a BOM: positions by line and column', async () => {
    const file = path.join(sb.root, 'prompt.txt');
    fs.writeFileSync(file, '\uFEFFline one\r\nline two CUST-00042\r\n');
    const report = parseJson<JsonReport>(await classifyCli(['--file', file, '--json']));
    expect(report.source).toBe(file);
    expect(report.findings).toEqual([
      { rule: 'customer-ref', severity: 'personal', line: 2, column: 10, offset: 19, length: 10, preview: 'CUST-*****' },
    ]);
  });

  test('--file - reads stdin', async () => {
    const r = await classifyCli(['--file', '-', '--json'], `export AWS_ACCESS_KEY_ID=${FAKE.awsAccessKeyId}\n`);
    expect(r.code).toBe(0);
    const report = parseJson<JsonReport>(r);
    expect(report.source).toBe('stdin');
    expect(report.verdict).toBe('local');
    expect(report.findings.map((f) => [f.rule, f.line, f.column])).toEqual([['aws-access-key-id', 1, 26]]);
  });

  test('--redact: stdout is the redacted prompt alone (pipeable), the report goes to stderr', async () => {
    const prompt = `Ask jane@acme-fake.com and jane@acme-fake.com about db01.corp\nkey: ${FAKE.openai}\n`;
    const r = await classifyCli(['--file', '-', '--redact'], prompt);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Ask [EMAIL_1] and [EMAIL_1] about [INTERNAL_HOST_1]\nkey: [OPENAI_KEY_1]\n');
    expect(r.stderr).toContain('local: 4 findings');
    expect(r.stderr).not.toContain('jane@');
    expect(r.stderr).not.toContain('Mapping');
    // The redacted text is hosted.
    const again = parseJson<JsonReport>(await classifyCli(['--file', '-', '--json'], r.stdout));
    expect(again.verdict).toBe('hosted');
  });

  test('--redact --json includes the redacted text but never the mapping', async () => {
    const r = await classifyCli(['--json', '--redact', `token: ${FAKE.github}`]);
    const report = parseJson<JsonReport>(r);
    expect(report.redacted).toBe('token: [GITHUB_TOKEN_1]');
    expect(report).not.toHaveProperty('mapping');
    expect(r.stdout).not.toContain(FAKE.github);
  });

  test('--show-mapping adds the mapping (JSON and human)', async () => {
    const json = parseJson<JsonReport>(await classifyCli(['--json', '--redact', '--show-mapping', `token: ${FAKE.github}`]));
    expect(json.mapping).toEqual({ '[GITHUB_TOKEN_1]': FAKE.github });
    const human = await classifyCli(['--redact', '--show-mapping', `token: ${FAKE.github}`]);
    expect(human.stdout).toBe('token: [GITHUB_TOKEN_1]\n');
    expect(human.stderr).toContain(`[GITHUB_TOKEN_1] = ${FAKE.github}`);
  });

  test('a prompt that starts with - goes after --', async () => {
    const r = await classifyCli(['--json', '--', FAKE.pem]);
    expect(r.code).toBe(0);
    expect(parseJson<JsonReport>(r).findings.map((f) => f.rule)).toEqual(['private-key']);
  });

  test('--help shows examples and the exit codes', async () => {
    const r = await classifyCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--redact');
    expect(r.stdout).toContain('exit 0 for local and hosted alike');
  });

  describe('usage errors exit 2', () => {
    test('no prompt and no file', async () => {
      const r = await classifyCli([]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Nothing to classify');
      expect(r.stdout).toBe('');
    });

    test('an unreadable file', async () => {
      const r = await classifyCli(['--file', path.join(sb.root, 'missing.txt')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('missing.txt: no such file');
    });

    test('a folder given as --file', async () => {
      const r = await classifyCli(['--file', sb.root]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('it is a folder');
    });

    test('both a prompt and --file', async () => {
      const r = await classifyCli(['hello', '--file', '-'], 'x');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('not both');
    });

    test('--file without a value', async () => {
      const r = await classifyCli(['--file']);
      expect(r.code).toBe(2);
    });

    test('--show-mapping without --redact', async () => {
      const r = await classifyCli(['--show-mapping', 'hello']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--show-mapping only makes sense with --redact');
    });

    test('with --json the error is a JSON document', async () => {
      const r = await classifyCli(['--json']);
      expect(r.code).toBe(2);
      expect(parseJson(r)).toEqual({ ok: false, error: expect.objectContaining({ exitCode: 2, message: expect.stringContaining('Nothing to classify') }) });
    });
  });
});
