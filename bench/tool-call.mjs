#!/usr/bin/env node
/**
 * The tool-call check's wall time (issue 12): `codex-profiles test bench --tools` (pre-checks, the
 * OK check, then the tool-call check) against the same `codex exec` runs by hand: the tool-call
 * run alone (`--json -s read-only`, a folder holding the nonce file), and the OK run followed by it.
 *
 *   node bench/tool-call.mjs [--runs N] [--quick] [--codex 0.169] [--json] [--markdown]
 *
 * The REAL codex binary (test-codex/), a fake Ollama on 127.0.0.1 (listing endpoints, and POST
 * /v1/responses playing a tool-capable model: a function_call to exec_command, then the output as
 * the answer) and a decoy base provider. Temporary HOME and CODEX_HOME; nothing else is touched.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { codexBinPath, emit, interleave, listen, machine, makeSandbox, parseArgs, requireBuilt, row, stats } from './lib.mjs';

const args = parseArgs(process.argv.slice(2), { runs: 5 });
const { bin: CLI } = requireBuilt(args.root);
const CODEX = codexBinPath(args.get('--codex') ?? '0.169');
if (!fs.existsSync(CODEX)) {
  process.stderr.write(`bench/tool-call.mjs: ${CODEX} is missing (node scripts/test-codex.mjs)\n`);
  process.exit(2);
}
const MODEL = 'bench-coder:8b';

/** Ollama listing routes plus a tool-capable model on /v1/responses. */
function fakeToolOllama() {
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const turn = (item) =>
    ev('response.created', { response: { id: 'r', status: 'in_progress', output: [] } }) +
    ev('response.output_item.done', { output_index: 0, item }) +
    ev('response.completed', { response: { id: 'r', status: 'completed', output: [item], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } } });
  const message = (text) => ({ id: 'm', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const p = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && p === '/v1/responses') {
        const body = JSON.parse(raw);
        const users = body.input.filter((i) => i.role === 'user');
        const prompt = (users[users.length - 1]?.content ?? []).map((c) => c.text ?? '').join('');
        const command = /`([^`]+)`/.exec(prompt)?.[1];
        const output = body.input.find((i) => i.type === 'function_call_output');
        let item;
        if (!command) item = message('OK');
        else if (output) item = message(String(output.output).split('Output:\n').pop().trim());
        else item = { id: 'fc', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'exec_command', arguments: JSON.stringify({ cmd: command }) };
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(turn(item));
        return;
      }
      let body;
      if (p === '/api/version') body = { version: '0.13.5' };
      else if (p === '/api/tags') body = { models: [{ name: MODEL, model: MODEL, size: 1, digest: 'a'.repeat(64), details: { family: 'llama', context_length: 131072 }, capabilities: ['completion', 'tools'] }] };
      else if (p === '/api/ps') body = { models: [{ name: MODEL, model: MODEL, context_length: 65536 }] };
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
  });
  return listen(server);
}

function run(file, argv, env, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [file, ...argv], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, out }) : reject(new Error(`exit ${code}: ${err.slice(-1500)}`))));
  });
}

const sb = makeSandbox('cp-bench-tools-');
const ollama = await fakeToolOllama();
const decoy = await listen(http.createServer((_q, r) => r.writeHead(500).end()));
try {
  const env = { ...sb.env, PATH: process.env.PATH, CODEX_OSS_BASE_URL: `${ollama.url}/v1` };
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), `model = "decoy"\nmodel_provider = "decoy"\n[model_providers.decoy]\nname = "decoy"\nbase_url = "${decoy.url}/v1"\nwire_api = "responses"\n`);
  fs.writeFileSync(path.join(sb.codexHome, 'bench.config.toml'), `model = "${MODEL}"\nmodel_provider = "ollama"\n`);

  // By hand: what a person would type, in a scratch folder holding the nonce file.
  const byHand = async (withOk) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-tools-work-'));
    try {
      fs.writeFileSync(path.join(dir, 'nonce-beef.txt'), 'codex-profiles-0123456789abcdef\n');
      const common = ['exec', '--skip-git-repo-check', '--ephemeral', '-p', 'bench', '-o', path.join(dir, 'last.txt')];
      const t0 = performance.now();
      if (withOk) await run(CODEX, [...common, '--', 'Reply with exactly OK'], env, dir);
      await run(CODEX, [...common, '--json', '-s', 'read-only', '--', 'Run the shell command `cat nonce-beef.txt` in the current directory, then reply with exactly what it printed and nothing else.'], env, dir);
      if (!fs.readFileSync(path.join(dir, 'last.txt'), 'utf8').includes('codex-profiles-0123456789abcdef')) throw new Error('by hand: the nonce did not come back');
      return performance.now() - t0;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const cli = async () => {
    const r = await run(CLI, ['test', 'bench', '--tools', '--json', '--codex-bin', CODEX], env, sb.root);
    if (JSON.parse(r.out).results[0].toolCall?.status !== 'pass') throw new Error('the CLI check did not pass');
    return r.ms;
  };
  const scenarios = [
    { name: 'by hand: the tool-call `codex exec` alone', run: () => byHand(false) },
    { name: 'by hand: the OK run, then the tool-call run', run: () => byHand(true) },
    { name: '`codex-profiles test bench --tools`', run: cli },
  ];
  const samples = await interleave(scenarios, args.runs);
  const base = stats(samples[scenarios[1].name]);
  emit(args, {
    script: 'tool-call',
    machine: machine(),
    sections: [
      {
        id: 'tool-call',
        caption: `tool-call check, one profile on a fake Ollama (instant model), real codex ${path.basename(path.dirname(path.dirname(CODEX))).replace('codex-', '')}; ${args.runs} interleaved runs after one warm-up round; median (min-max) ms`,
        rows: scenarios.map((s) => {
          const v = stats(samples[s.name]);
          return row(s.name, v, 'ms', v.median / base.median, 'the OK run then the tool-call run, by hand');
        }),
        notes: ['The CLI adds its pre-checks (codex detection from the disk cache, one listing of the server) to the same two codex runs.'],
      },
    ],
  });
} finally {
  await ollama.close();
  await decoy.close();
  sb.cleanup();
}
