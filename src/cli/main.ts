#!/usr/bin/env node
// The slicesim command line: thin yargs wiring over the library. Exit codes: 0 success, 1 the
// simulation failed, 2 bad input (invalid scenario, unreadable file, unknown or repeated flag).
// Every error is one line on stderr; `--debug` adds the stack of an unexpected one.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ScenarioError } from '../scenario/load.js';
import { runCommand, VERSION } from './run.js';
import { validateCommand } from './validate.js';
import { sizeCommand } from './size.js';
import { reconcileCommand } from './reconcile.js';
import { UsageError } from './errors.js';
import { once, parseCount } from './flags.js';
import { InputError } from './input.js';

// yargs drops or blanks a lone `-`; it stands for standard input, so it goes through as this token.
const STDIN_TOKEN = '\u0000stdin';
const argv = hideBin(process.argv);
const debug = argv.includes('--debug');

/** Exit with a one-line message: 2 for bad input, 1 when the simulation itself failed. */
function fail(e: unknown): never {
  if (e instanceof ScenarioError || e instanceof UsageError || e instanceof InputError) {
    process.stderr.write(`slicesim: ${e.message}\n`);
    process.exit(2);
  }
  const err = e as Error;
  const message = err?.message?.split('\n')[0] ?? String(e);
  const hint = err instanceof RangeError && /call stack|Invalid array length|allocation/i.test(message) ? ' (the scenario is too large for this machine)' : '';
  process.stderr.write(`slicesim: simulation failed: ${err?.name ?? 'Error'}: ${message}${hint}\n`);
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('run with --debug for the stack trace\n');
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

function guard(action: () => void): void {
  try {
    action();
  } catch (e) {
    fail(e);
  }
}

const fromToken = (v: unknown): string => (v === STDIN_TOKEN || v === '' ? '-' : String(v));

/** The positional files; at least one, `-` (standard input) at most once. */
function files(v: unknown, command: string): string[] {
  const list = (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(fromToken);
  if (list.length === 0) throw new UsageError(`${command}: name at least one scenario file (or - for standard input)`);
  if (list.filter((f) => f === '-').length > 1) throw new UsageError(`${command}: - (standard input) may be given once`);
  return list;
}

function oneFile(v: unknown, command: string): string {
  const list = files(v, command);
  if (list.length > 1) throw new UsageError(`${command}: takes one file, got ${list.length}: ${list.join(' ')}`);
  return list[0];
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(fromToken) : [fromToken(v)]);
const str = (flag: string, v: unknown): string | undefined => {
  const x = once(flag, v as string | undefined);
  return x === undefined ? undefined : fromToken(x);
};

try {
  await yargs(argv.map((a) => (a === '-' ? STDIN_TOKEN : a)))
    .scriptName('slicesim')
    .version(VERSION)
    .strict()
    .parserConfiguration({ 'duplicate-arguments-array': true })
    .option('debug', { type: 'boolean', default: false, describe: 'show the stack trace when the simulation fails' })
    .demandCommand(1, 'name a command: run, validate, size or reconcile')
    .fail((msg, err) => {
      if (err) throw err;
      // yargs words an unknown flag as an argument; "Unknown arguments: a, b" names the flags.
      const text = msg.replace(/^Unknown arguments?: (.*)$/, (_, names: string) => `unknown flag${names.includes(',') ? 's' : ''}: ${names.split(', ').map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(', ')}`);
      process.stderr.write(`slicesim: ${text}\nrun slicesim --help for the commands and flags\n`);
      process.exit(2);
    })
    .command(
      'run [files..]',
      'simulate scenario files, print a summary and write results/<name>/',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'scenario files, or - for standard input' })
          .option('out', { type: 'string', describe: 'output folder (default results/<scenario name>/)' })
          .option('seed', { type: 'string', describe: 'override the scenario seed (an integer)' })
          .option('set', { type: 'string', array: true, describe: 'override a scenario key: key.path=value (list items by index or name)' })
          .option('models', { type: 'string', describe: 'comma-separated: endpoints,endpointslices' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' }),
      (a) =>
        guard(() =>
          runCommand({ files: files(a.files, 'run'), out: str('out', a.out), seed: a.seed, set: asList(a.set), models: a.models, quiet: !!once('quiet', a.quiet) }),
        ),
    )
    .command(
      'validate [files..]',
      'check scenario files and print them with defaults filled in',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'scenario files, or - for standard input' })
          .option('set', { type: 'string', array: true, describe: 'override a scenario key: key.path=value' }),
      (a) => guard(() => validateCommand(files(a.files, 'validate'), asList(a.set))),
    )
    .command(
      'size [file]',
      'exact JSON and protobuf sizes of real objects (kubectl get -o json), and their watch fan-out cost',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'a file, or - for standard input' })
          .option('nodes', { type: 'string', describe: 'watchers each change is sent to (default 1)' })
          .option('json', { type: 'boolean', default: false }),
      (a) => guard(() => sizeCommand(oneFile(a.file, 'size'), parseCount('nodes', a.nodes, 0) ?? 1, !!once('json', a.json))),
    )
    .command(
      'reconcile [file]',
      'the writes one controller sync would make for a List of a Service, its Pods, Nodes and existing slices or Endpoints',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'a file, or - for standard input' })
          .option('controller', { type: 'string', describe: 'endpointslice (default) or endpoints' })
          .option('max-endpoints-per-slice', { type: 'string', describe: '--max-endpoints-per-slice, 1..1000 (default 100)' })
          .option('max-endpoints', { type: 'string', describe: "Endpoints cap; 0 = none (default: the release's, 1000 from 1.21)" })
          .option('kubernetes', { type: 'string', describe: 'the release whose controllers run, 1.16..1.35 (default: the newest)' }),
      (a) =>
        guard(() =>
          reconcileCommand(oneFile(a.file, 'reconcile'), {
            controller: str('controller', a.controller) ?? 'endpointslice',
            maxEndpointsPerSlice: parseCount('max-endpoints-per-slice', a['max-endpoints-per-slice'], 1, 1000),
            maxEndpoints: parseCount('max-endpoints', a['max-endpoints'], 0),
            kubernetes: str('kubernetes', a.kubernetes),
          }),
        ),
    )
    .help()
    .parseAsync();
} catch (e) {
  fail(e);
}
