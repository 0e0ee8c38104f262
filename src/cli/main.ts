#!/usr/bin/env node
// The slicesim command line: thin yargs wiring over the library. Exit codes: 0 success, 1 the
// simulation failed, 2 bad input (invalid scenario, unreadable file, unknown flag).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ScenarioError } from '../scenario/load.js';
import { runCommand, VERSION } from './run.js';
import { validateCommand } from './validate.js';
import { sizeCommand } from './size.js';
import { reconcileCommand } from './reconcile.js';
import { UsageError } from './errors.js';

function guard(action: () => void): void {
  try {
    action();
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof UsageError) {
      process.stderr.write(`slicesim: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`slicesim: simulation failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  }
}

// yargs hands a lone `-` positional over as an empty string.
const fileArg = (v: unknown): string => (v === '' || v === undefined ? '-' : String(v));

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

await yargs(hideBin(process.argv))
  .scriptName('slicesim')
  .version(VERSION)
  .strict()
  .demandCommand(1, 'name a command: run, validate, size or reconcile')
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`slicesim: ${msg}\nrun slicesim --help for the commands and flags\n`);
    process.exit(2);
  })
  .command(
    'run <files..>',
    'simulate scenario files, print a summary and write results/<name>/',
    (y) =>
      y
        .positional('files', { type: 'string', array: true, demandOption: true })
        .option('out', { type: 'string', describe: 'output folder (default results/<scenario name>/)' })
        .option('seed', { type: 'number', describe: 'override the scenario seed' })
        .option('set', { type: 'string', array: true, describe: 'override a scenario key: key.path=value' })
        .option('models', { type: 'string', describe: 'comma-separated: endpoints,endpointslices' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
        .option('trace', { type: 'boolean', default: false, describe: 'also write trace.csv: every pod transition and endpoint-object write' }),
    (a) => guard(() => runCommand({ files: a.files as string[], out: a.out, seed: a.seed, set: asList(a.set), models: a.models, quiet: a.quiet, trace: a.trace })),
  )
  .command(
    'validate <files..>',
    'check scenario files and print them with defaults filled in',
    (y) => y.positional('files', { type: 'string', array: true, demandOption: true }).option('set', { type: 'string', array: true }),
    (a) => guard(() => validateCommand(a.files as string[], asList(a.set))),
  )
  .command(
    'size <file>',
    'exact JSON and protobuf sizes of real objects (kubectl get -o json), and their watch fan-out cost',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'a file, or - for standard input' })
        .option('nodes', { type: 'number', default: 1, describe: 'watchers each change is sent to' })
        .option('json', { type: 'boolean', default: false }),
    (a) => guard(() => sizeCommand(fileArg(a.file), a.nodes, a.json)),
  )
  .command(
    'reconcile <file>',
    'the writes one controller sync would make for a List of a Service, its Pods, Nodes and existing slices or Endpoints',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'a file, or - for standard input' })
        .option('controller', { type: 'string', default: 'endpointslice', describe: 'endpointslice or endpoints' })
        .option('max-endpoints-per-slice', { type: 'number', describe: '--max-endpoints-per-slice, 1..1000 (default 100)' })
        .option('max-endpoints', { type: 'number', describe: "Endpoints cap; 0 = none (default: the release's, 1000 from 1.21)" })
        .option('kubernetes', { type: 'string', describe: 'the release whose controllers run, 1.16..1.35 (default: the newest)' }),
    (a) =>
      guard(() =>
        reconcileCommand(fileArg(a.file), { controller: a.controller, maxEndpointsPerSlice: a['max-endpoints-per-slice'], maxEndpoints: a['max-endpoints'], kubernetes: a.kubernetes }),
      ),
  )
  .help()
  .parseAsync();
