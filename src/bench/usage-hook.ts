// Loaded with `node --import` into every process the bench measures: at exit it writes the process's
// own peak RSS and CPU time to the file named by SLICESIM_BENCH_USAGE, so the bench reads the figures
// of the measured program itself (not of a wrapper) without changing that program.
import { writeFileSync } from 'node:fs';

const file = process.env.SLICESIM_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssBytes: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
