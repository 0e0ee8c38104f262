// A binary min-heap over any items with a strict "comes first" predicate. The predicate must be a
// function of the items alone (never of state that changes while they are in the heap): the caller
// snapshots what it orders by, and drops superseded items lazily when they come out.

export class BinaryHeap<T> {
  private readonly items: T[];

  /** Heapifies `items` in place (O(n)); the array is owned by the heap afterwards. */
  constructor(
    private readonly before: (a: T, b: T) => boolean,
    items: T[] = [],
  ) {
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(item, items[p])) break;
      items[i] = items[p];
      i = p;
    }
    items[i] = item;
  }

  /** Removes and returns the first item, or undefined when empty. */
  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Keeps only the items `keep` accepts (O(n)). */
  filter(keep: (item: T) => boolean): void {
    const items = this.items;
    let n = 0;
    for (const item of items) if (keep(item)) items[n++] = item;
    items.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(items[c + 1], items[c])) c++;
      if (!this.before(items[c], item)) break;
      items[i] = items[c];
      i = c;
    }
    items[i] = item;
  }
}
