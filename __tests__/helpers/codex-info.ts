/**
 * Fixtures for unit tests that need a Codex without running one: a `CodexInfo` as detection
 * would give it for a version, and a config.toml whose own provider is a decoy.
 */
import { parseExecHelp, type CodexInfo } from '../../src/codex/detect.js';

/**
 * What detection says of `version` (layout, --profile-v2, --ephemeral from the version rules
 * of src/codex/detect.ts), found at /x/codex, with no warnings; `over` for the odd case.
 */
export function codexInfo(version: string, over: Partial<CodexInfo> = {}): CodexInfo {
  const facts = parseExecHelp(undefined, version);
  return { found: true, bin: '/x/codex', version, layout: facts.layout, profileFlag: '-p', profileV2: facts.profileV2, ephemeral: facts.ephemeral, warnings: [], ...over };
}

/**
 * config.toml's own model and provider: a decoy on 127.0.0.1 (port 9, where nothing listens by
 * default), so a profile Codex ignored would never reach a hosted model. Six lines, no blank
 * line: tests count lines after it.
 */
export function decoyConfig(baseUrl = 'http://127.0.0.1:9/v1'): string {
  return `model = "decoy-model"\nmodel_provider = "decoy"\n[model_providers.decoy]\nname = "decoy"\nbase_url = "${baseUrl}"\nwire_api = "responses"\n`;
}
