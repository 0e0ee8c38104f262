// Help that teaches: every command answers --help and -h with what it does, its flags and an example.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';

const cli = (...args: string[]) => spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: REPO_DIR });
const COMMANDS = ['run', 'validate', 'size', 'reconcile', 'sweep', 'merge', 'frontier', 'report'];

describe('help', () => {
  it('slicesim --help lists every command', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`slicesim ${c}\\b`));
  });

  it.each(COMMANDS)('slicesim %s --help and -h: description, flags and an example', (command) => {
    const long = cli(command, '--help');
    expect(long.status, long.stderr).toBe(0);
    expect(long.stdout).toContain(`slicesim ${command}`);
    expect(long.stdout).toContain('Examples:');
    expect(long.stdout).toMatch(/Options:\n[\s\S]*--help/);
    expect(cli(command, '-h').stdout).toBe(long.stdout);
  });
});
