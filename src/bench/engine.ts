// The event engine against a naive heap of event objects, in the same run: schedule and run the same
// events (random times, each event scheduling one more until the budget is spent) through both, and
// print events per second of each as JSON.
import { performance } from 'node:perf_hooks';
import { Simulator } from '../engine/simulator.js';
import { micros } from '../engine/time.js';

interface NaiveEvent {
  time: number;
  seq: number;
  run: () => void;
}

/** A textbook binary heap of event objects (what the typed-array heap replaces). */
class NaiveHeap {
  private readonly items: NaiveEvent[] = [];
  private seq = 0;
  now = 0;

  schedule(delay: number, run: () => void): void {
    const e = { time: this.now + delay, seq: this.seq++, run };
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].time < e.time || (a[p].time === e.time && a[p].seq < e.seq)) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = e;
  }

  run(): number {
    let n = 0;
    const a = this.items;
    while (a.length > 0) {
      const top = a[0];
      const last = a.pop()!;
      if (a.length > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= a.length) break;
          const r = l + 1;
          const c = r < a.length && (a[r].time < a[l].time || (a[r].time === a[l].time && a[r].seq < a[l].seq)) ? r : l;
          if (last.time < a[c].time || (last.time === a[c].time && last.seq < a[c].seq)) break;
          a[i] = a[c];
          i = c;
        }
        a[i] = last;
      }
      this.now = top.time;
      top.run();
      n++;
    }
    return n;
  }
}

const EVENTS = 2_000_000;
const LIVE = 10_000; // events pending at any time, as in a large run

function delays(): Float64Array {
  let s = 12345;
  const d = new Float64Array(EVENTS);
  for (let i = 0; i < EVENTS; i++) d[i] = ((s = (s * 1103515245 + 12345) % 2 ** 31) % 1_000_000) + 1;
  return d;
}

function engine(d: Float64Array): number {
  const sim = new Simulator();
  let next = 0;
  const handler = () => {
    if (next < EVENTS) sim.schedule(micros(d[next++]), handler);
  };
  for (let i = 0; i < LIVE; i++) sim.schedule(micros(d[next++]), handler);
  const t = performance.now();
  sim.run();
  return sim.eventsRun / ((performance.now() - t) / 1000);
}

function naive(d: Float64Array): number {
  const heap = new NaiveHeap();
  let next = 0;
  const handler = () => {
    if (next < EVENTS) heap.schedule(d[next++], handler);
  };
  for (let i = 0; i < LIVE; i++) heap.schedule(d[next++], handler);
  const t = performance.now();
  const n = heap.run();
  return n / ((performance.now() - t) / 1000);
}

const d = delays();
// Warm both up once, then measure.
engine(d);
naive(d);
process.stdout.write(`${JSON.stringify({ engineEventsPerSecond: engine(d), naiveEventsPerSecond: naive(d) })}\n`);
