// Between the models of one run. Once a model's results are taken, everything it simulated is
// garbage, but V8 collects its old generation only when that has grown to a multiple (up to 4x) of
// what its last full collection left: the second model of the 100,000-endpoint rollout started on
// top of the first one's 600 MB of garbage, and the run peaked at 1 GB where each model alone needs
// about 620 MB. One full collection between the two (80 ms there, with only the results live)
// puts the second model on an empty heap.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this much used heap a collection would save little, and small runs skip its cost. */
const WORTH_COLLECTING = 64 * 2 ** 20;

let collect: (() => void) | undefined;

/** A full garbage collection when the heap holds enough to matter. */
export function collectGarbage(): void {
  if (getHeapStatistics().used_heap_size < WORTH_COLLECTING) return;
  if (!collect) {
    // gc() is exposed to contexts made after the flag is set (Node's own tests get it this way);
    // this process's context keeps no global gc.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
