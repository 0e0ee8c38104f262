// The program's version (package.json), on its own so that `slicesim --version` loads nothing else.
import { readFileSync } from 'node:fs';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
