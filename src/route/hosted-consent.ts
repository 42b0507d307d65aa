/**
 * One rule for every command that sends a prompt (`test`, `compare`; issue 11): a prompt goes to
 * a hosted profile only with `--include-hosted`, or after a person said yes on a terminal to a
 * question that names the destination. Without either the target is not run, with the flag to
 * pass; a command left with nothing to run exits 2 (the caller decides).
 */
import { hostedBuiltInPlace } from '../codex/builtins.js';
import { endpointOf } from '../discover/address.js';
import { joinHostPort } from '../discover/ollama-host.js';

/** The one spelling, for `test` and `compare` (compare keeps `--allow-hosted` as an alias). */
export const HOSTED_FLAG = '--include-hosted';

export interface Destination {
  provider: string;
  model?: string;
  baseUrl?: string;
  hosted: boolean;
}

/** Where the prompt goes, in words: `this machine (URL)`, `another host (HOST)`, `hosted (HOST)`. */
export function whereTo(d: Destination): { kind: 'this machine' | 'another host' | 'hosted'; place: string } {
  if (!d.hosted) return { kind: 'this machine', place: d.baseUrl ?? d.provider };
  const ep = d.baseUrl ? endpointOf(d.baseUrl) : undefined;
  // A built-in hosted provider goes to its service, or where `openai_base_url` sends it (the
  // destination's baseUrl, src/codex/destination.ts).
  const service = hostedBuiltInPlace(d.provider);
  if (service !== undefined) return { kind: 'hosted', place: ep ? joinHostPort(ep.host, String(ep.port)) : service };
  const host = ep?.host;
  // An address, a single-label name or a private suffix is a machine on the network (a GPU box);
  // a public DNS name is a service.
  if (host && (/^[\d.]+$|:/.test(host) || !host.includes('.') || /\.(local|lan|internal|home\.arpa|corp)$/i.test(host))) {
    return { kind: 'another host', place: host };
  }
  return { kind: 'hosted', place: host ?? `provider ${d.provider}` };
}

/** `gpt-5 via openai (hosted: api.openai.com)`: what a person consents to. */
export function destinationLabel(d: Destination): string {
  const w = whereTo(d);
  return `${d.model ?? '(codex default model)'} via ${d.provider} (${w.kind}: ${w.place})`;
}

/**
 * Which of `targets` (all hosted) may be sent a prompt: all with the flag; on a terminal those a
 * person says yes to; otherwise none. `ask` is undefined when nobody can answer (no TTY, --json).
 */
export async function hostedConsent(
  targets: ReadonlyArray<{ name: string; label: string }>,
  flag: boolean,
  ask: ((message: string) => Promise<boolean>) | undefined,
): Promise<Set<string>> {
  if (flag) return new Set(targets.map((t) => t.name));
  const yes = new Set<string>();
  if (!ask) return yes;
  for (const t of targets) {
    if (await ask(`Send the prompt for ${t.name} to ${t.label}? It leaves this machine`)) yes.add(t.name);
  }
  return yes;
}

/** The note for a target that was not run for want of consent. */
export function notAllowedMessage(name: string, label: string): { message: string; fix: string } {
  return {
    message: `${name} sends its prompt to ${label}; not run without consent (cost and privacy).`,
    fix: `Pass ${HOSTED_FLAG} to send it (or answer yes on a terminal).`,
  };
}
