// Bad scenario input: every problem found, each naming the file and key path (callers exit 2).
export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** `workload[2].maxSurge` from ['workload', 2, 'maxSurge']. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(top level)';
}
