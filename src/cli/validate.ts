// `slicesim validate`: check scenario files and print each resolved scenario (defaults filled in).
import { stringify } from 'yaml';
import { loadScenario } from '../scenario/load.js';

export function validateCommand(files: string[], sets: string[]): void {
  const resolved = files.map((f) => ({ file: f, scenario: loadScenario(f, sets) }));
  for (const { file, scenario } of resolved) process.stdout.write(`# ${file === '-' ? '(standard input)' : file}: valid
${stringify(scenario.source)}---
`);
}
