// Every model of a scenario, one after the other or, with `--jobs`, side by side: the models share
// nothing (each builds its own cluster, API server and random streams from the seed), so a model can
// run on a worker thread while this thread simulates another, and the results are the same bytes.
// One at a time is the default: side by side holds every model's heap at once (the 100,000-endpoint
// rollout: 9.2 s instead of 14.6 s wall, 1.19 GB instead of 0.66 GB peak), and on a short run it
// gains nothing on two cores (V8's own background threads already use the second one, and a worker
// starts cold: the blog scenario takes 1.30 s side by side against 1.25 s).
import { Worker } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { simulateModel, type ModelRun, type SimulateOptions } from '../simulation.js';
import type { ResolvedScenario } from '../scenario/resolve.js';
import type { Model } from '../scenario/schema.js';
import type { Micros } from '../engine/time.js';
import { Metrics } from '../report/metrics.js';
import { LatencyRecorder } from '../report/latency.js';
import { LimitError } from '../scenario/limits.js';
import { collectGarbage } from '../cli/gc.js';
import type { ModelJob } from './model-worker.js';

/** How many models to simulate at once: `jobs` (--jobs) up to the number of models; one by default. */
export function modelThreads(models: number, jobs = 1): number {
  return Math.max(1, Math.min(jobs, models));
}

type Reply = { ok: true; run: ModelRun } | { ok: false; name: string; message: string; stack?: string };

/**
 * The scenario's models, in its model order. `threads` > 1: the first threads - 1 models run on worker
 * threads while this thread runs the rest (the last model, the slice model in the default order,
 * usually takes longest: the workers' start-up overlaps it). `progress` is asked only for the models
 * this thread runs.
 */
export async function simulateModels(
  scenario: ResolvedScenario,
  threads: number,
  options: SimulateOptions,
  progress?: (i: number, model: Model) => ((now: Micros, phase: string) => void) | undefined,
): Promise<ModelRun[]> {
  const models = scenario.models;
  const inWorkers = threads > 1 ? models.slice(0, Math.min(threads, models.length) - 1) : [];
  const replies = inWorkers.map((model) => onWorker({ source: scenario.source, model, trace: !!options.trace }));
  // One after the other on this thread: the previous model's simulation is garbage, collected before the next starts (gc.ts).
  const runs: ModelRun[] = [];
  let failure: unknown;
  try {
    for (let i = inWorkers.length; i < models.length; i++) {
      if (i > inWorkers.length) collectGarbage();
      runs[i] = simulateModel(scenario, models[i], scenario.seed, progress?.(i, models[i]), options);
    }
  } catch (e) {
    failure = e; // the workers are still awaited: their exits keep the process alive
  }
  const theirs = await Promise.allSettled(replies);
  if (failure !== undefined) throw failure;
  theirs.forEach((r, i) => {
    if (r.status === 'rejected') throw r.reason;
    runs[i] = r.value;
  });
  return runs;
}

function onWorker(job: ModelJob): Promise<ModelRun> {
  // A worker's heap may grow as far as this thread's (raised for big runs by heap.ts), not V8's default.
  const worker = new Worker(new URL('./model-worker.js', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20) },
  });
  return new Promise<ModelRun>((resolve, reject) => {
    worker.once('message', (reply: Reply) => {
      if (reply.ok) resolve(revive(reply.run));
      else reject(rebuildError(reply));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the ${job.model} model's worker thread exited (${code}) without a result`)));
    worker.postMessage(job);
  });
}

/** A run that came through structured cloning has plain objects where classes were: their prototypes back. */
function revive(run: ModelRun): ModelRun {
  Object.setPrototypeOf(run.metrics, Metrics.prototype);
  Object.setPrototypeOf(run.latency, LatencyRecorder.prototype);
  run.latency.revived();
  return run;
}

/** The worker's error as the class the command line maps to an exit code and message. */
export function rebuildError(reply: Extract<Reply, { ok: false }>): Error {
  const Class = reply.name === 'LimitError' ? LimitError : (BUILTIN_ERRORS[reply.name] ?? Error);
  const e = new Class(reply.message);
  if (Class === Error && reply.name !== 'Error') e.name = reply.name;
  if (reply.stack) e.stack = reply.stack;
  return e;
}

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = { RangeError, TypeError, ReferenceError, SyntaxError };
