// Ctrl-C and kill while result files are written. The simulation runs synchronously, so a signal
// handler could never run during it: there slicesim keeps the default action (the process ends at
// once) and has nothing on disk yet (out-dir.ts writes only after simulating). Only the short write
// and swap of a result folder hold SIGINT, SIGTERM and SIGHUP back, so a folder is never left half
// written; a signal that came meanwhile ends the process right after, with the shell's code 128 + N.
import { constants } from 'node:os';

const DEFERRED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Deferred = (typeof DEFERRED)[number];

/** The exit code a shell reports for a process ended by `signal` (SIGINT 130, SIGTERM 143). */
export const signalExitCode = (signal: Deferred): number => 128 + constants.signals[signal];

/**
 * Runs `work` (synchronous) with the signals above held back, then lets a held-back signal end the
 * process with its exit code. `work`'s error, if any, is rethrown after a signal had its say.
 */
export async function withSignalsDeferred<T>(work: () => T, exit: (code: number, signal: Deferred) => void = exitOn): Promise<T> {
  let received: Deferred | undefined;
  const handlers = DEFERRED.map((signal) => {
    const handler = () => {
      received ??= signal;
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  let result: { value: T } | { error: unknown };
  try {
    result = { value: work() };
  } catch (error) {
    result = { error };
  }
  // A signal that arrived during `work` was caught by libuv; its JavaScript handler runs only once
  // the event loop polls (before the check phase that runs setImmediate callbacks).
  await new Promise<void>((r) => setImmediate(r));
  await new Promise<void>((r) => setImmediate(r));
  for (const [signal, handler] of handlers) process.off(signal, handler);
  if (received) {
    if ('error' in result) process.stderr.write(`slicesim: ${String((result.error as Error)?.message ?? result.error).split('\n')[0]}\n`);
    exit(signalExitCode(received), received);
  }
  if ('error' in result) throw result.error;
  return result.value;
}

function exitOn(code: number, signal: Deferred): void {
  process.stderr.write(`slicesim: stopped by ${signal}; the result folder was left whole (written completely or not at all)\n`);
  process.exit(code);
}
