// Reading the scenario schema itself (zod keeps each schema's definition in `_zod.def`): which keys a
// mapping allows at a path, and what kind of value a path holds. Used to report unknown keys with what
// is allowed, to check `--set` paths, and by the fuzz tests to generate scenarios from the schema, so
// keys added to schema.ts are covered without touching these.
type Def = Record<string, unknown>;

export const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

const WRAPPERS = ['default', 'optional', 'nullable', 'prefault', 'catch', 'readonly', 'nonoptional'];

/** Strips wrappers (default, optional, pipe) and picks the union member the data selects (by `action`, or by shape). */
export function unwrap(schema: unknown, data: unknown): unknown {
  for (;;) {
    const def = defOf(schema);
    if (WRAPPERS.includes(def.type as string)) schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'lazy') schema = (def.getter as () => unknown)();
    else if (def.type === 'union') {
      const options = def.options as unknown[];
      const d = data && typeof data === 'object' ? (data as Def) : undefined;
      const objects = options.filter((o) => defOf(unwrap(o, undefined) ?? o).type === 'object');
      // A discriminated union (workload steps): the member whose `action` (or `dist`) literal the data names.
      const chosen = objects.find((o) => {
        const shape = defOf(o).shape as Def;
        for (const tag of ['action', 'dist']) {
          if (!shape?.[tag]) continue;
          const values = defOf(shape[tag]).values as unknown[] | undefined;
          return !!values && !!d && values.includes(d[tag]);
        }
        return false;
      });
      schema = chosen ?? (d && objects.length === 1 ? objects[0] : undefined) ?? (d ? undefined : options.find((o) => defOf(o).type !== 'object'));
      if (!schema) return undefined;
    } else return schema;
  }
}

/** The unwrapped schema at `path` in the scenario (following the data to pick union members), or undefined. */
export function schemaAt(root: unknown, data: unknown, path: readonly PropertyKey[]): unknown {
  let s = unwrap(root, data);
  let d = data;
  for (const key of path) {
    if (!s) return undefined;
    const def = defOf(s);
    d = d && typeof d === 'object' ? (d as Record<PropertyKey, unknown>)[key] : undefined;
    if (def.type === 'object') s = Object.hasOwn(def.shape as Def, String(key)) ? (def.shape as Def)[String(key)] : undefined;
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'tuple') s = (def.items as unknown[])[Number(key)];
    else return undefined;
    if (s) s = unwrap(s, d);
  }
  return s;
}

/** The object keys the schema allows at `path`; [] where the schema is not a mapping with fixed keys. */
export function allowedKeysAt(root: unknown, data: unknown, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, data, path);
  return s && defOf(s).type === 'object' ? Object.keys(defOf(s).shape as Def) : [];
}

/** The kind of value at `path`: 'object', 'array', 'record', 'string', … (zod's def type), or undefined. */
export function kindAt(root: unknown, data: unknown, path: readonly PropertyKey[]): string | undefined {
  const s = schemaAt(root, data, path);
  return s ? (defOf(s).type as string) : undefined;
}
