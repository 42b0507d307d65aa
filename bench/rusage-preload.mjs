/**
 * Loaded with `node --import` by bench/lib.mjs (runNode with rusage: true): on exit, writes this
 * process's resource usage (peak RSS in KiB, CPU time in µs) to $CP_BENCH_RUSAGE_FILE. Portable
 * where /usr/bin/time -v is not.
 */
import fs from 'node:fs';

const file = process.env.CP_BENCH_RUSAGE_FILE;
if (file) {
  delete process.env.CP_BENCH_RUSAGE_FILE;
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, userCPUTime: u.userCPUTime, systemCPUTime: u.systemCPUTime }));
  });
}
