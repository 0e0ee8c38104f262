// A sweep worker thread: runs the points it is sent, one at a time, and posts each result back.
import { parentPort } from 'node:worker_threads';
import { runPoint, type PointJob } from './point.js';

parentPort!.on('message', (job: PointJob) => {
  try {
    parentPort!.postMessage({ ok: true, result: runPoint(job) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, point: job.point, message: (e as Error).message, stack: (e as Error).stack });
  }
});
