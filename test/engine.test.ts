// The engine: events run in (time, scheduling order), cancellation is lazy and exact, runs are
// reproducible. Each test records a log of what ran when and asserts the whole log.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulator } from '../src/engine/simulator.js';
import { micros } from '../src/engine/time.js';
import { Timer } from '../src/engine/timer.js';
import { Rng } from '../src/engine/rng.js';

describe('Simulator', () => {
  it('runs events in time order, ties in scheduling order, and handlers may schedule more', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const record = (arg: number) => {
      log.push(`${sim.now}:${arg}`);
      if (arg === 2) sim.schedule(micros(0), record, 20); // same instant, after everything already due
      if (arg === 3) sim.schedule(micros(5), record, 30);
    };
    sim.schedule(micros(10), record, 1);
    sim.schedule(micros(5), record, 2);
    sim.schedule(micros(5), record, 3);
    sim.schedule(micros(0), record, 4);
    sim.run();
    expect(log).toEqual(['0:4', '5:2', '5:3', '5:20', '10:1', '10:30']);
    expect(sim.eventsRun).toBe(6);
  });

  it('timers fire once, re-arming replaces the due time, cancelled timers stay silent', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const a = new Timer(sim, () => log.push(`${sim.now}:a`));
    const b = new Timer(sim, () => log.push(`${sim.now}:b`));
    const c = new Timer(sim, () => log.push(`${sim.now}:c`));
    a.arm(micros(10));
    a.arm(micros(3)); // the earlier arming at 10 is now stale
    b.arm(micros(5));
    c.arm(micros(7));
    sim.schedule(micros(6), () => {
      c.cancel();
      log.push(`${sim.now}:cancel c, b pending=${b.pending}`);
    });
    sim.run();
    expect(log).toEqual(['3:a', '5:b', '6:cancel c, b pending=false']);
    expect(a.pending || b.pending || c.pending).toBe(false);
  });

  it('stops at `until` with the clock there, and resumes', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const record = (arg: number) => log.push(`${sim.now}:${arg}`);
    sim.schedule(micros(100), record, 1);
    sim.schedule(micros(300), record, 2);
    sim.run(200);
    expect(log).toEqual(['100:1']);
    expect(sim.now).toBe(200);
    sim.run();
    expect(log).toEqual(['100:1', '300:2']);
  });

  it('refuses negative delays', () => {
    expect(() => new Simulator().schedule(micros(-1), () => {}, 0)).toThrow(RangeError);
  });

  it('pops any set of events in (time, seq) order, with random cancellations (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 300 }), (evs) => {
        const sim = new Simulator();
        const log: number[] = [];
        const timers = evs.map(([t], i) => {
          const timer = new Timer(sim, () => log.push(i));
          timer.arm(micros(t));
          return timer;
        });
        evs.forEach(([, cancel], i) => cancel && timers[i].cancel());
        sim.run();
        const want = evs
          .map(([t, cancel], i) => ({ t, cancel, i }))
          .filter((e) => !e.cancel)
          .sort((x, y) => x.t - y.t || x.i - y.i)
          .map((e) => e.i);
        expect(log).toEqual(want);
      }),
    );
  });
});

describe('Rng', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    const c = new Rng(2);
    const xs = Array.from({ length: 5 }, () => a.float());
    expect(Array.from({ length: 5 }, () => b.float())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.float())).not.toEqual(xs);
  });

  it('samples k distinct indices', () => {
    const s = new Rng(7).sample(100, 30);
    expect(new Set(s).size).toBe(30);
    expect(s.every((i) => i >= 0 && i < 100)).toBe(true);
  });
});
