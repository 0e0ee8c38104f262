// A worker thread that simulates one model of a scenario (run-models.ts sends it the job). The
// scenario travels as its validated source and is resolved here again: resolving is pure, so this
// thread simulates exactly what the main thread would.
import { parentPort } from 'node:worker_threads';
import { resolveUnits } from '../scenario/resolve.js';
import type { Scenario, Model } from '../scenario/schema.js';
import { simulateModel } from '../simulation.js';
import { LimitError } from '../scenario/limits.js';

export interface ModelJob {
  source: Scenario;
  model: Model;
  trace: boolean;
}

parentPort!.once('message', (job: ModelJob) => {
  try {
    const scenario = resolveUnits(job.source);
    parentPort!.postMessage({ ok: true, run: simulateModel(scenario, job.model, scenario.seed, undefined, { trace: job.trace }) });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ ok: false, name: e instanceof LimitError ? 'LimitError' : (err?.name ?? 'Error'), message: err?.message ?? String(e), stack: err?.stack });
  }
});
