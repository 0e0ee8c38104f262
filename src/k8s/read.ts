// Reading Kubernetes objects as `kubectl get … -o json` (or -o yaml) prints them: one object or a
// List. Anything else is bad input, reported with the file and, for a List, the item.
import { UsageError } from '../cli/errors.js';
import { InputError, readDocument } from '../cli/input.js';

export type Obj = Record<string, unknown>;

export const isObj = (x: unknown): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x);

export function readObjects(file: string): Obj[] {
  let doc: unknown;
  try {
    doc = readDocument(file); // JSON.parse for JSON (kubectl -o json); YAML only when it is not JSON
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  if (!isObj(doc) || typeof doc.kind !== 'string' || typeof doc.apiVersion !== 'string') {
    throw new UsageError(`${file}: not a Kubernetes object: expected a JSON object with apiVersion and kind (as kubectl get -o json prints it)`);
  }
  if (doc.kind === 'List' || doc.kind.endsWith('List')) {
    if (!Array.isArray(doc.items)) throw new UsageError(`${file}: ${doc.kind} without an items list`);
    return doc.items.map((item, i) => {
      if (!isObj(item) || typeof item.kind !== 'string' || typeof item.apiVersion !== 'string') throw new UsageError(`${file}: items[${i}]: not a Kubernetes object (needs apiVersion and kind)`);
      return item;
    });
  }
  return [doc];
}
