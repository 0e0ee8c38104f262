// client-go's work queue as the controllers use it: de-duplicated keys, one sync per key at a time
// with one more if the key was added meanwhile, AddAfter keeping the earliest due time, and the
// client's token bucket spacing requests at QPS after the burst.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../src/engine/simulator.js';
import { micros } from '../src/engine/time.js';
import { WorkQueue } from '../src/client/work-queue.js';
import { TokenBucket } from '../src/client/rate-limiter.js';

const s = (x: number) => micros(x * 1e6);

function queue(syncSeconds: number) {
  const sim = new Simulator();
  const log: string[] = [];
  const q = new WorkQueue(sim, 2, (key, done) => {
    log.push(`${sim.now / 1e6}s start ${key}`);
    sim.schedule(s(syncSeconds), () => {
      log.push(`${sim.now / 1e6}s end ${key}`);
      done();
    });
  });
  return { sim, log, q };
}

describe('WorkQueue', () => {
  it('de-duplicates, runs a key once at a time, and once more if it was added during its sync', () => {
    const { sim, log, q } = queue(1);
    q.add('a');
    q.add('a');
    q.add('b');
    sim.schedule(s(0.5), () => {
      q.add('a');
      q.add('a');
    });
    sim.run();
    // Workers pick keys up after the current event, so b's end (same instant) comes first.
    expect(log).toEqual(['0s start a', '0s start b', '1s end a', '1s end b', '1s start a', '2s end a']);
  });

  it('AddAfter keeps the earliest due time: the batch window starts at the first change', () => {
    const { sim, log, q } = queue(0);
    q.addAfter('svc', s(1));
    sim.schedule(s(0.4), () => q.addAfter('svc', s(1))); // due 1.4 s: later, ignored
    sim.schedule(s(0.9), () => q.addAfter('svc', s(1))); // inside the window: joins the sync at 1 s
    sim.schedule(s(1.5), () => q.addAfter('svc', s(1))); // after it: a new window
    sim.run();
    expect(log.filter((l) => l.includes('start'))).toEqual(['1s start svc', '2.5s start svc']);
  });

  it('a shorter AddAfter moves the due time earlier', () => {
    const { sim, log, q } = queue(0);
    q.addAfter('svc', s(5));
    sim.schedule(s(1), () => q.addAfter('svc', s(1)));
    sim.run();
    expect(log.filter((l) => l.includes('start'))).toEqual(['2s start svc']);
  });
});

describe('TokenBucket', () => {
  it('lets the burst through at once, then one request per 1/QPS', () => {
    const sim = new Simulator();
    const bucket = new TokenBucket(sim, 20, 30);
    const waits = Array.from({ length: 33 }, () => bucket.reserve() / 1e6);
    expect(waits.slice(0, 30)).toEqual(Array(30).fill(0));
    expect(waits.slice(30)).toEqual([0.05, 0.1, 0.15]);
  });
});
