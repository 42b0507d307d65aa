/**
 * Issue 17: a model answering "**OK**" to "Reply with exactly OK" followed the instruction with
 * trivial formatting: the real codex 0.169 against a fake Ollama, `test` passes with a note that
 * shows the answer (docs/checks.md, "The verdict").
 */
import { baseConfig, cli, fileProfile, makeHome, OLLAMA_MODEL, parseJson, responsesCalls, startFakes, type Fakes, type Home } from '../helpers/checks-home.js';

let f: Fakes;
let home: Home;

beforeAll(async () => {
  f = await startFakes();
  home = makeHome(f);
  home.write('config.toml', baseConfig(f.decoy));
  home.write('oll.config.toml', fileProfile('ollama', OLLAMA_MODEL));
});
afterAll(async () => {
  await f.close();
  home.sb.cleanup();
});

test('"**OK**" passes, and the note shows what the model answered', async () => {
  f.answer.ollama = { text: '**OK**' };
  const r = await cli('0.169', home, ['test', 'oll']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^oll\s+ollama\s+qwen3:8b\s+pass\s/m);
  expect(r.stdout).toContain('note: the model answered "**OK**": counted as "OK"');
  const j = await cli('0.169', home, ['test', 'oll', '--json']);
  expect(parseJson(j).results[0]).toMatchObject({ status: 'pass', answer: '**OK**', warnings: [expect.stringContaining('"**OK**"')] });
  expect(responsesCalls(f.ollama)).toHaveLength(2);
  expect(f.decoy.requests).toEqual([]);
});

test('"OK!" is more than formatting: wrong_answer, with the answer shown', async () => {
  f.answer.ollama = { text: 'OK!' };
  const r = await cli('0.169', home, ['test', 'oll']);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('oll: the model answered "OK!" instead of exactly "OK".');
});
