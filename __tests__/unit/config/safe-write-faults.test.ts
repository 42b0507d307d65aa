/**
 * applyChanges under faults (issue 17): a full disk, a short write, a FIFO, a dangling symlink,
 * a lock left by a killed run, leftovers of killed runs. Disk faults are injected through
 * atomic-write's `diskIo` seam; everything else is real files in a temporary folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diskIo } from '../../../src/write/atomic-write.js';
import { stateDir } from '../../../src/write/state-dir.js';
import { acquireLock } from '../../../src/write/lock.js';
import { loadHome } from '../../../src/config/profiles.js';
import { applyChanges } from '../../../src/write/safe-write.js';
import { ConfigError } from '../../../src/errors.js';
import { makeTempDir, removeDir } from '../../helpers/tmp.js';

let dir: string;
let home: string;
let cfg: string;
const realWrite = diskIo.write;
const OLD = '# mine\n' + Array.from({ length: 300 }, (_, i) => `[projects."/work/repo-${i}"]\ntrust_level = "trusted"\n`).join('\n');
const NEW = OLD + '\n[profiles.p]\nmodel = "m"\n';

beforeEach(() => {
  dir = makeTempDir();
  home = path.join(dir, 'codex');
  fs.mkdirSync(home);
  cfg = path.join(home, 'config.toml');
  fs.writeFileSync(cfg, OLD);
});
afterEach(() => {
  diskIo.write = realWrite;
  removeDir(dir);
});

const leftovers = () => fs.readdirSync(home).filter((f) => f.includes('.codex-profiles-'));
/** A pid that surely belongs to no running process: a child that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('a full disk never reports success over a cut-off file', () => {
  test('a short write followed by ENOSPC fails clearly; the file is untouched and the temp file gone', async () => {
    let calls = 0;
    diskIo.write = async (h, bytes, offset, length, position) => {
      calls++;
      if (calls === 1) return realWrite(h, bytes, offset, Math.min(length, 4096), position);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    const err = await applyChanges(home, [{ path: cfg, before: OLD, after: NEW }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/writing config\.toml failed \(the disk is full \(ENOSPC\)\); every file was put back/);
    expect((err as ConfigError).hint).toMatch(/Free some disk space/);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(OLD);
    expect(leftovers()).toEqual([]);
  });

  test('a write that claims every byte but stores fewer is caught by the read-back', async () => {
    diskIo.write = async (h, bytes, offset, length, position) => {
      await realWrite(h, bytes, offset, Math.min(length, 4096), position);
      return length;
    };
    await expect(applyChanges(home, [{ path: cfg, before: OLD, after: NEW }])).rejects.toThrow(/only 4096 of \d+ bytes reached the disk/);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(OLD);
    expect(leftovers()).toEqual([]);
  });

  test('short writes that do complete are continued: the file is whole', async () => {
    diskIo.write = (h, bytes, offset, length, position) => realWrite(h, bytes, offset, Math.min(length, 1000), position);
    await applyChanges(home, [{ path: cfg, before: OLD, after: NEW }]);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(NEW);
  });

  test('EIO on the second of two files: the first is put back', async () => {
    const prof = path.join(home, 'p.config.toml');
    diskIo.write = async (h, bytes, offset, length, position) => {
      if (bytes.length === Buffer.byteLength(NEW)) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      return realWrite(h, bytes, offset, length, position);
    };
    await expect(applyChanges(home, [{ path: cfg, before: OLD, after: NEW }, { path: prof, before: null, after: 'model = "m"\n' }])).rejects.toThrow(
      /I\/O error \(EIO\).*every file was put back/,
    );
    expect(fs.readFileSync(cfg, 'utf8')).toBe(OLD);
    expect(fs.existsSync(prof)).toBe(false);
  });
});

const posix = process.platform === 'win32' ? test.skip : test;

describe('files that are not regular files', () => {
  posix('a FIFO as config.toml is refused at once, for reading and writing (it used to hang)', async () => {
    fs.rmSync(cfg);
    execFileSync('mkfifo', [cfg]);
    await expect(loadHome(home)).rejects.toThrow(/config\.toml is a named pipe \(FIFO\), not a regular file/);
    await expect(applyChanges(home, [{ path: cfg, before: null, after: 'a = 1\n' }])).rejects.toThrow(/named pipe/);
    expect(fs.statSync(cfg).isFIFO()).toBe(true);
  });

  test('a folder named config.toml is refused with the same clear error', async () => {
    fs.rmSync(cfg);
    fs.mkdirSync(cfg);
    await expect(loadHome(home)).rejects.toThrow(/config\.toml is a folder, not a regular file/);
  });
});

describe('a dangling config.toml symlink (dotfiles target not created yet)', () => {
  test('the target is created; the link stays a link', async () => {
    fs.rmSync(cfg);
    const target = path.join(dir, 'dotfiles', 'codex.toml');
    fs.mkdirSync(path.dirname(target));
    fs.symlinkSync(target, cfg);
    await applyChanges(home, [{ path: cfg, before: null, after: 'a = 1\n' }]);
    expect(fs.lstatSync(cfg).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('a = 1\n');
  });

  test("a target whose folder does not exist is refused clearly; nothing changes", async () => {
    fs.rmSync(cfg);
    const target = path.join(dir, 'no-such-dir', 'codex.toml');
    fs.symlinkSync(target, cfg);
    await expect(applyChanges(home, [{ path: cfg, before: null, after: 'a = 1\n' }])).rejects.toThrow(/is a symlink to .*whose folder does not exist/);
    expect(fs.lstatSync(cfg).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.dirname(target))).toBe(false);
  });
});

describe('locks and leftovers of killed runs', () => {
  test('a lock whose owner (this host) is gone is taken over at once', async () => {
    const lock = path.join(stateDir(home), 'write.lock');
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify({ pid: deadPid(), host: os.hostname() }));
    // Fresh mtime: by age alone it would hold for 10 s, far beyond this wait.
    await applyChanges(home, [{ path: cfg, before: OLD, after: NEW }], { lockWaitMs: 200 });
    expect(fs.readFileSync(cfg, 'utf8')).toBe(NEW);
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('a live lock is waited for, saying whose (pid), then the write goes through', async () => {
    fs.mkdirSync(stateDir(home), { recursive: true });
    const release = await acquireLock(stateDir(home));
    const said: string[] = [];
    await applyChanges(home, [{ path: cfg, before: OLD, after: NEW }], {
      onWait: (m) => {
        said.push(m);
        void release();
      },
    });
    expect(said).toEqual([`waiting for another codex-profiles run (pid ${process.pid}) to finish...`]);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(NEW);
  });

  test('temp files and half-made backups of dead runs are removed; a live run\'s temp file is kept', async () => {
    const dead = path.join(home, `config.toml.codex-profiles-${deadPid()}-0123abcd.tmp`);
    const live = path.join(home, `config.toml.codex-profiles-${process.ppid}-0123abcd.tmp`);
    const half = path.join(stateDir(home), 'backups', '2020-01-01T00-00-00-000Z-1-1');
    for (const f of [dead, live]) fs.writeFileSync(f, 'partial');
    fs.mkdirSync(half, { recursive: true });
    await applyChanges(home, [{ path: cfg, before: OLD, after: NEW }]);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(half)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  posix('the backup folders are private (0700, copies 0600) even if they existed with looser modes', async () => {
    fs.mkdirSync(path.join(stateDir(home), 'backups'), { recursive: true, mode: 0o755 });
    fs.chmodSync(stateDir(home), 0o755);
    fs.chmodSync(path.join(stateDir(home), 'backups'), 0o755);
    const { backupId } = await applyChanges(home, [{ path: cfg, before: OLD, after: NEW }]);
    const b = path.join(stateDir(home), 'backups', backupId!);
    for (const d of [stateDir(home), path.dirname(b), b]) expect(fs.statSync(d).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(b)) expect(fs.statSync(path.join(b, f)).mode & 0o777).toBe(0o600);
  });
});
