/**
 * Discovery as the commands show it: the servers' reports (src/discover/, which knows nothing of
 * Codex) plus where Codex's built-in ids point in this environment and whether that matches what
 * answered (`codexOss`, src/codex/builtins.ts).
 */
import { discoverProviders, type DiscoverOptions } from '../discover/discover.js';
import { displayNameOf, isServerKindId } from '../discover/registry.js';
import type { DiscoveryResult } from '../discover/types.js';
import { codexOssReport } from './builtins.js';

export async function discover(opts: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const providers = await discoverProviders(opts);
  const name = (k: string) => (isServerKindId(k) ? displayNameOf(k) : k);
  return { providers, codexOss: codexOssReport(opts.env ?? process.env, providers, name) };
}
