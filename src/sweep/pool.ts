// Running a sweep's points on K worker threads (the simulation is single-threaded and CPU-bound, so
// K threads use K cores). Results are collected by point number, so the output does not depend on K
// or on which thread finished first. With K = 1 the points run in this thread.
import { Worker } from 'node:worker_threads';
import { ScenarioError } from '../scenario/load.js';
import { runPoint, type PointJob, type PointResult } from './point.js';

export class PointError extends Error {
  constructor(readonly point: number, message: string, readonly badInput: boolean) {
    super(message);
  }
}

type Reply = { ok: true; result: PointResult } | { ok: false; point: number; message: string; stack?: string; badInput?: boolean };

export async function runPoints(jobs: readonly PointJob[], threads: number, done: (finished: number) => void = () => {}): Promise<PointResult[]> {
  const results = new Map<number, PointResult>();
  if (threads <= 1 || jobs.length <= 1) {
    for (const job of jobs) {
      try {
        results.set(job.point, runPoint(job));
      } catch (e) {
        throw new PointError(job.point, (e as Error).message, e instanceof ScenarioError);
      }
      done(results.size);
    }
  } else {
    const queue = [...jobs];
    const workers = Array.from({ length: Math.min(threads, jobs.length) }, () => new Worker(new URL('./worker.js', import.meta.url)));
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const next = () => {
                const job = queue.shift();
                if (job) w.postMessage(job);
                else resolve();
              };
              w.on('message', (reply: Reply) => {
                if (!reply.ok) {
                  queue.length = 0;
                  reject(new PointError(reply.point, reply.message, false));
                  return;
                }
                results.set(reply.result.point, reply.result);
                done(results.size);
                next();
              });
              w.on('error', (e) => reject(e));
              next();
            }),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  return jobs.map((j) => results.get(j.point)!);
}
