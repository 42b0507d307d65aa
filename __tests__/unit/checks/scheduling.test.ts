/**
 * Scheduling of the smoke test: one queue per server (same URL = one GPU: one run at a time),
 * queues in parallel. Asserted with a fake runner whose runs the test finishes by hand, so
 * overlap is observed directly, never inferred from timing.
 */
import { createProbes, earlyProbeTargets, runQueues, runSmoke, startEarlyProbes } from '../../../src/verify/smoke.js';
import type { ExecOptions, ExecResult } from '../../../src/codex/exec.js';
import { answered, FILE_CODEX, homeWith, model, probeOf } from './fixtures.js';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('runQueues', () => {
  test('same key: one at a time, in input order; different keys: at the same time; results in input order', async () => {
    const items = [
      { id: 'a1', key: 'A' },
      { id: 'b1', key: 'B' },
      { id: 'a2', key: 'A' },
      { id: 'c1', key: 'C' },
      { id: 'b2', key: 'B' },
      { id: 'a3', key: 'A' },
    ];
    const gates = new Map(items.map((i) => [i.id, deferred()]));
    const running = new Set<string>();
    const started: string[] = [];
    let maxTotal = 0;
    const done = runQueues(
      items,
      (i) => i.key,
      async (i) => {
        for (const other of running) expect(items.find((x) => x.id === other)!.key).not.toBe(i.key);
        running.add(i.id);
        started.push(i.id);
        maxTotal = Math.max(maxTotal, running.size);
        await gates.get(i.id)!.promise;
        running.delete(i.id);
        return i.id.toUpperCase();
      },
    );
    await tick();
    // The head of every queue started at once; nothing else.
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gates.get('b1')!.resolve();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1', 'b2']);
    gates.get('a1')!.resolve();
    await tick();
    expect(started.slice(-1)).toEqual(['a2']);
    for (const g of gates.values()) g.resolve();
    expect(await done).toEqual(['A1', 'B1', 'A2', 'C1', 'B2', 'A3']);
    expect(started).toEqual(['a1', 'b1', 'c1', 'b2', 'a2', 'a3']);
    expect(maxTotal).toBe(3);
  });

  test('no items: nothing runs', async () => {
    expect(await runQueues([], () => 'k', async () => 1)).toEqual([]);
  });
});

describe('runSmoke scheduling', () => {
  test('queues are per server URL: two ids on one server share a queue; another server runs alongside', async () => {
    const state = await homeWith({
      'config.toml': [
        'model_provider = "decoy"',
        '[model_providers.decoy]\nname = "d"\nbase_url = "http://127.0.0.1:9/v1"\nwire_api = "responses"',
        '[model_providers.oll-a]\nname = "a"\nbase_url = "http://127.0.0.1:11434/v1"\nwire_api = "responses"',
        '[model_providers.lms]\nname = "LM Studio"\nbase_url = "http://127.0.0.1:1234/v1"\nwire_api = "responses"',
      ].join('\n'),
      // The built-in ollama id and oll-a reach the same server (localhost vs 127.0.0.1): one queue.
      'one.config.toml': 'model = "m1"\nmodel_provider = "ollama"\n',
      'two.config.toml': 'model = "m2"\nmodel_provider = "oll-a"\n',
      'three.config.toml': 'model = "l1"\nmodel_provider = "lms"\n',
    });
    const gates = new Map<string, Deferred>();
    const running = new Map<string, string>();
    const log: string[] = [];
    const exec = async (opts: ExecOptions): Promise<ExecResult> => {
      const name = opts.profile!;
      const queue = name === 'three' ? 'lms' : 'ollama';
      expect([...running.values()]).not.toContain(queue);
      running.set(name, queue);
      log.push(`start ${name}`);
      const g = deferred();
      gates.set(name, g);
      await g.promise;
      running.delete(name);
      log.push(`end ${name}`);
      const r = { one: ['ollama', 'm1'], two: ['oll-a', 'm2'], three: ['lms', 'l1'] }[name]!;
      return answered(opts, 'OK', r[0]!, r[1]!);
    };
    const probe = async (url: string) =>
      url.endsWith(':1234') ? probeOf('lmstudio', url, [model('lmstudio', 'l1')]) : probeOf('ollama', url, [model('ollama', 'm1'), model('ollama', 'm2')]);
    const started: string[] = [];
    const pending = runSmoke(
      { state, codex: FILE_CODEX, env: {}, all: true, timeoutMs: 1000, progress: { start: (r) => started.push(r.name), end: () => undefined } },
      { exec, probe },
    );
    while (gates.size < 2) await tick();
    expect([...gates.keys()].sort()).toEqual(['one', 'three']);
    expect(running.size).toBe(2);
    gates.get('one')!.resolve();
    while (!gates.has('two')) await tick();
    gates.get('two')!.resolve();
    gates.get('three')!.resolve();
    const report = await pending;
    expect(report.results.map((r) => [r.name, r.status, r.queue])).toEqual([
      ['one', 'pass', 'http://loopback:11434'],
      ['three', 'pass', 'http://loopback:1234'],
      ['two', 'pass', 'http://loopback:11434'],
    ]);
    expect(log.indexOf('end one')).toBeLessThan(log.indexOf('start two'));
    expect(started.sort()).toEqual(['one', 'three', 'two']);
    expect(report.ok).toBe(true);
  });

  test('a slow pre-check on one server does not hold back the other server\'s runs', async () => {
    const state = await homeWith({
      'config.toml': 'model_provider = "lms"\n[model_providers.lms]\nname = "LM Studio"\nbase_url = "http://127.0.0.1:1234/v1"\nwire_api = "responses"\n',
      'a.config.toml': 'model = "m1"\nmodel_provider = "ollama"\n',
      'b.config.toml': 'model = "l1"\nmodel_provider = "lms"\n',
    });
    const slowProbe = deferred();
    const ran: string[] = [];
    const pending = runSmoke(
      { state, codex: FILE_CODEX, env: {}, all: true, timeoutMs: 1000 },
      {
        exec: async (opts) => {
          ran.push(opts.profile!);
          return answered(opts, 'OK', opts.profile === 'a' ? 'ollama' : 'lms', opts.profile === 'a' ? 'm1' : 'l1');
        },
        probe: async (url) => {
          if (url.endsWith(':11434')) {
            await slowProbe.promise;
            return probeOf('ollama', url, [model('ollama', 'm1')]);
          }
          return probeOf('lmstudio', url, [model('lmstudio', 'l1')]);
        },
      },
    );
    while (ran.length === 0) await tick();
    expect(ran).toEqual(['b']);
    slowProbe.resolve();
    const report = await pending;
    expect(ran).toEqual(['b', 'a']);
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'pass']);
  });
});

describe('probes started while codex is still being detected', () => {
  const providers = [
    'model_provider = "decoy"',
    '[model_providers.decoy]\nname = "d"\nbase_url = "http://127.0.0.1:9/v1"\nwire_api = "responses"',
    '[model_providers.oll-a]\nname = "a"\nbase_url = "http://127.0.0.1:11434/v1"\nwire_api = "responses"',
    '[model_providers.lms]\nname = "LM Studio"\nbase_url = "http://127.0.0.1:1234/v1"\nwire_api = "responses"',
    '[model_providers.gpu]\nname = "gpu"\nbase_url = "http://127.0.0.1:5555/v1"\nwire_api = "responses"',
    '[model_providers.cloud]\nname = "c"\nbase_url = "https://api.example.com/v1"\nwire_api = "responses"',
  ].join('\n');

  test('earlyProbeTargets: one per server, for profile files every codex from 0.131 reads alike that pass the codex-independent checks', async () => {
    const state = await homeWith({
      'config.toml': `${providers}\n\n[profiles.both]\nmodel = "m1"\nmodel_provider = "oll-a"\n\n[profiles.table]\nmodel = "l1"\nmodel_provider = "lms"\n`,
      'one.config.toml': 'model = "m1"\nmodel_provider = "oll-a"\n',
      'two.config.toml': 'model = "l1"\nmodel_provider = "lms"\n',
      // The same server as `one`: probed once.
      'again.config.toml': 'model = "m2"\nmodel_provider = "oll-a"\n',
      // Which of a file and a table codex reads depends on codex: not early.
      'both.config.toml': 'model = "m1"\nmodel_provider = "gpu"\n',
      // Not probed: hosted, no model, an unknown id, a config codex refuses.
      'far.config.toml': 'model = "g"\nmodel_provider = "cloud"\n',
      'nomodel.config.toml': 'model_provider = "gpu"\n',
      'unknown.config.toml': 'model = "m"\nmodel_provider = "nope"\n',
      'chat.config.toml': 'model = "m"\nmodel_provider = "gpu2"\n\n[model_providers.gpu2]\nname = "g"\nbase_url = "http://127.0.0.1:6666/v1"\nwire_api = "chat"\n',
    });
    const names = ['one', 'two', 'again', 'both', 'table', 'far', 'nomodel', 'unknown', 'chat', 'missing'];
    expect(earlyProbeTargets(state, names, {})).toEqual([
      { url: 'http://127.0.0.1:11434', kind: 'ollama' },
      { url: 'http://127.0.0.1:1234', kind: 'lmstudio' },
    ]);
    expect(earlyProbeTargets(state, ['two'], {})).toEqual([{ url: 'http://127.0.0.1:1234', kind: 'lmstudio' }]);
    expect(earlyProbeTargets(state, ['both', 'table', 'far', 'missing'], {})).toEqual([]);
    // A legacy `profile =` selector: from 0.134 codex refuses every run, so nothing is probed early.
    const selector = await homeWith({ 'config.toml': `profile = "one"\n${providers}`, 'one.config.toml': 'model = "m1"\nmodel_provider = "oll-a"\n' });
    expect(earlyProbeTargets(selector, ['one'], {})).toEqual([]);
  });

  test('runSmoke uses a probe started early instead of probing again', async () => {
    const state = await homeWith({
      'config.toml': providers,
      'one.config.toml': 'model = "m1"\nmodel_provider = "oll-a"\n',
    });
    const probed: string[] = [];
    const gate = deferred();
    const probes = createProbes(
      { env: {} },
      {
        probe: async (url) => {
          probed.push(url);
          await gate.promise;
          return probeOf('ollama', url, [model('ollama', 'm1')]);
        },
      },
    );
    expect(startEarlyProbes(probes, state, ['one'], {})).toBe(1);
    expect(probed).toEqual(['http://127.0.0.1:11434']);
    const ran: string[] = [];
    const pending = runSmoke(
      { state, codex: FILE_CODEX, env: {}, names: ['one'], timeoutMs: 1000, probes },
      {
        exec: async (opts) => {
          ran.push(opts.profile!);
          return answered(opts, 'OK', 'oll-a', 'm1');
        },
      },
    );
    await tick();
    expect(ran).toEqual([]); // its pre-check is still running
    gate.resolve();
    const report = await pending;
    expect(ran).toEqual(['one']);
    expect(probed).toEqual(['http://127.0.0.1:11434']);
    expect(report.results[0]).toMatchObject({ name: 'one', status: 'pass' });
  });
});
