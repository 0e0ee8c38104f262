// Node's default heap limit (about 4 GB) is far below what large valid scenarios need (a
// 1,000,000-endpoint rollout), and running out of heap aborts V8 with its own crash report. When the
// memory estimate of the scenarios (limits.ts) comes near the heap limit, `run` starts itself again
// with a heap sized to the machine (80% of its memory, what validation allowed) and passes its exit on.
import { constants } from 'node:os';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

const RESTARTED = 'SLICESIM_HEAP_RAISED';

/**
 * Returns only when this process's heap will do; otherwise runs the command in a child with a larger
 * heap and exits with its status. Ctrl-C or kill sent to this process alone is passed on to the
 * child (which holds it back while writing results, signals.ts), so no orphan goes on writing.
 */
export async function ensureHeap(estimateBytes: number, readsStdin: boolean): Promise<void> {
  const limit = getHeapStatistics().heap_size_limit;
  // Twice the estimate: the estimate is rough, and garbage needs room too.
  // Not under `npm run bench` (it measures this very process, heap limit included), nor for stdin (read already).
  if (2 * estimateBytes < limit || process.env[RESTARTED] || process.env.SLICESIM_BENCH_USAGE || readsStdin) return;
  const heapMb = Math.floor((totalmem() * 0.8) / 2 ** 20);
  if (heapMb * 2 ** 20 <= limit) return;
  // Loaded here, as only a restart needs it (node:child_process costs every run about 2 ms to load).
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${heapMb}`, process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [RESTARTED]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (c, s) => done([c, s]));
  });
  process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1));
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
