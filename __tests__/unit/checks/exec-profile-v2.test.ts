/** The `profileV2` option added to runCodexExec for the smoke test (file profiles on 0.131-0.133). */
import { buildExecArgs, runCodexExec } from '../../../src/codex/exec.js';
import { FILE_CODEX, homeWith, V2_CODEX } from './fixtures.js';

test('buildExecArgs: --profile-v2 NAME in place of -p NAME', () => {
  expect(buildExecArgs(V2_CODEX, { profile: 'p', outputFile: '/o', prompt: 'hi', profileV2: true })).toEqual([
    'exec',
    '--skip-git-repo-check',
    '--ephemeral',
    '--profile-v2',
    'p',
    '-o',
    '/o',
    '--',
    'hi',
  ]);
  expect(buildExecArgs(V2_CODEX, { profile: 'p', outputFile: '/o', prompt: 'hi' })).toContain('-p');
});

test('refused on a codex without --profile-v2; the missing-file guard applies (nothing is started)', async () => {
  const state = await homeWith({ 'there.config.toml': 'model = "m"\n' });
  const base = { codexHome: state.home, prompt: 'hi', timeoutMs: 1000, env: {}, profileV2: true };
  expect(await runCodexExec({ ...base, codex: FILE_CODEX, profile: 'there' })).toMatchObject({ skipped: true, failure: { code: 'unsupported_flag' } });
  const missing = await runCodexExec({ ...base, codex: V2_CODEX, profile: 'ghost' });
  expect(missing).toMatchObject({ skipped: true, failure: { code: 'profile_not_found' } });
  expect(missing.failure?.message).toContain('ghost.config.toml does not exist');
});
