// Growable storage for the hot paths: typed arrays that double when full, so a push allocates nothing
// most of the time.

/** A copy of `a` with twice the room. */
export function doubled(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
