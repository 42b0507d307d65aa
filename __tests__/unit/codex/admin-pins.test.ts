/** Admin pins (src/codex/admin-pins.ts), read from a temporary folder: never the real /etc. */
import fs from 'node:fs';
import path from 'node:path';
import { pinWarnings, readAdminPins, SYSTEM_CONFIG_DIR_ENV, systemConfigDir } from '../../../src/codex/admin-pins.js';
import { makeSandbox, type Sandbox } from '../../helpers/tmp.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

test('the system folder per platform; the test variable replaces it', () => {
  expect(systemConfigDir({}, 'linux')).toBe('/etc/codex');
  expect(systemConfigDir({}, 'darwin')).toBe('/etc/codex');
  expect(systemConfigDir({ ProgramData: 'C:\\ProgramData' }, 'win32')).toBe('C:\\ProgramData\\OpenAI\\Codex');
  expect(systemConfigDir({ [SYSTEM_CONFIG_DIR_ENV]: sb.root }, 'linux')).toBe(sb.root);
});

test('a managed model_provider overrides profiles; requirements are reported but do not', () => {
  fs.writeFileSync(path.join(sb.root, 'managed_config.toml'), 'model_provider = "openai"\nmodel = "gpt-5"\n');
  fs.writeFileSync(path.join(sb.root, 'requirements.toml'), 'web_search = "disabled"\n');
  const p = readAdminPins({ [SYSTEM_CONFIG_DIR_ENV]: sb.root }, 'linux');
  expect(p.files).toHaveLength(2);
  expect(p.pins).toEqual([
    { file: path.join(sb.root, 'managed_config.toml'), key: 'model_provider', value: 'openai', overridesProfiles: true },
    { file: path.join(sb.root, 'managed_config.toml'), key: 'model', value: 'gpt-5', overridesProfiles: true },
    { file: path.join(sb.root, 'requirements.toml'), key: 'web_search', value: 'disabled', overridesProfiles: false },
  ]);
  expect(pinWarnings(p)[0]).toContain('pins model_provider = "openai"');
});

test('no folder, no files: nothing pinned; a broken file is an error, not a throw', () => {
  expect(readAdminPins({ [SYSTEM_CONFIG_DIR_ENV]: path.join(sb.root, 'none') }, 'linux')).toMatchObject({ files: [], pins: [], errors: [] });
  fs.writeFileSync(path.join(sb.root, 'managed_config.toml'), 'model_provider = \n');
  expect(readAdminPins({ [SYSTEM_CONFIG_DIR_ENV]: sb.root }, 'linux').errors).toHaveLength(1);
});
