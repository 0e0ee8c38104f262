// The floor `npm run bench` measures slicesim against: the smallest honest program that computes the
// blog scenario's published figures (scenarios/blog-5000x3000.yaml: 5000 pods on 3000 nodes, 300 B
// per endpoint, slices of 100, every pod replaced once, one write per replacement). It keeps a real
// pod store (objects with names and IPs, oldest replaced first), real slice occupancy (each pod in a
// slice, a new pod goes to a slice with room), and real fan-out accounting (every write's bytes added
// to every node's received total). It has no event queue, no encodings, no lifecycle: what is left
// is the work any simulator of this scenario must do. Plain JavaScript, no dependencies, no build.
//
// Prints {endpoints: {initial, replace}, endpointslices: {initial, replace}} with writes, watch events
// and watch bytes per phase; the bench checks them against slicesim's summary.csv of the same scenario.
const PODS = 5000;
const NODES = 3000;
const BYTES_PER_ENDPOINT = 300;
const PER_SLICE = 100;

/** Bytes each node has received (fan-out accounting, one add per node per write). */
const received = new Float64Array(NODES);
function fanOut(phase, bytes) {
  for (let n = 0; n < NODES; n++) received[n] += bytes;
  phase.writes++;
  phase.watch_events += NODES;
  phase.watch_bytes += bytes * NODES;
}

const phase = () => ({ writes: 0, watch_events: 0, watch_bytes: 0 });
let seq = 0;
function newPod() {
  const i = seq++;
  const node = i % NODES;
  return { name: `example-5d8c7f9b6c-${i.toString(36).padStart(5, '0')}`, ip: `10.${64 + (node >> 8)}.${node & 255}.${2 + ((i / NODES) | 0)}`, node, slice: -1 };
}

/** Endpoints: one object holding every pod; each replacement rewrites all of it. */
function endpoints() {
  const pods = new Map();
  for (let i = 0; i < PODS; i++) {
    const p = newPod();
    pods.set(p.name, p);
  }
  const initial = phase();
  fanOut(initial, pods.size * BYTES_PER_ENDPOINT);
  const replace = phase();
  for (let r = 0; r < PODS; r++) {
    const oldest = pods.keys().next().value;
    pods.delete(oldest);
    const p = newPod();
    pods.set(p.name, p);
    fanOut(replace, pods.size * BYTES_PER_ENDPOINT);
  }
  return { initial, replace };
}

/** EndpointSlices: pods packed into slices of PER_SLICE; a replacement rewrites the one slice touched. */
function endpointSlices() {
  const pods = new Map();
  const occupancy = [];
  const withRoom = [];
  const place = (p) => {
    let s = withRoom.length ? withRoom[withRoom.length - 1] : -1;
    if (s < 0) {
      s = occupancy.length;
      occupancy.push(0);
      withRoom.push(s);
    }
    p.slice = s;
    if (++occupancy[s] === PER_SLICE) withRoom.pop();
    return s;
  };
  for (let i = 0; i < PODS; i++) {
    const p = newPod();
    pods.set(p.name, p);
    place(p);
  }
  const initial = phase();
  for (const n of occupancy) fanOut(initial, n * BYTES_PER_ENDPOINT);
  const replace = phase();
  for (let r = 0; r < PODS; r++) {
    const oldest = pods.get(pods.keys().next().value);
    pods.delete(oldest.name);
    if (occupancy[oldest.slice]-- === PER_SLICE) withRoom.push(oldest.slice);
    const p = newPod();
    pods.set(p.name, p);
    // the freed slot is filled at once: one write of the slice, as the controller's single sync does
    fanOut(replace, occupancy[place(p)] * BYTES_PER_ENDPOINT);
  }
  return { initial, replace };
}

process.stdout.write(`${JSON.stringify({ endpoints: endpoints(), endpointslices: endpointSlices() })}\n`);
