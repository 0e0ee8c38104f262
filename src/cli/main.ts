#!/usr/bin/env node
// The slicesim command line: thin yargs wiring over the library. Exit codes: 0 success, 1 the
// simulation failed, 2 bad input (invalid scenario, unreadable file, unknown or repeated flag).
// Every error is one line on stderr; `--debug` adds the stack of an unexpected one.
// Each command's module is loaded by its handler (and yargs after the --version check), so a command
// loads only what it runs and `slicesim --version` costs about as much as starting node.
import { ScenarioError } from '../scenario/errors.js';
import { InputError, UsageError, WriteError } from './errors.js';
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const { default: yargs } = await import('yargs');
const { once, parseCount, parseSeed } = await import('./flags.js');

// yargs drops or blanks a lone `-`; it stands for standard input, so it goes through as this token.
const STDIN_TOKEN = '\u0000stdin';
const debug = argv.includes('--debug');

/** Exit with a one-line message: 2 for bad input, 1 when the simulation itself failed. */
function fail(e: unknown): never {
  if (e instanceof ScenarioError || e instanceof UsageError || e instanceof InputError) {
    process.stderr.write(`slicesim: ${e.message}\n`);
    process.exit(2);
  }
  // Results that could not be written after simulating (disk full...): one line, exit 1 (errors.ts).
  if (e instanceof WriteError) {
    process.stderr.write(`slicesim: ${e.message}\n`);
    process.exit(1);
  }
  const err = e as Error;
  const message = err?.message?.split('\n')[0] ?? String(e);
  // A file or folder that cannot be read or written (permissions, a file where a folder is wanted): bad input.
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST', 'ELOOP', 'ENAMETOOLONG'].includes(code)) {
    process.stderr.write(`slicesim: ${message}\n`);
    process.exit(2);
  }
  const hint = err instanceof RangeError && /call stack|Invalid array length|allocation/i.test(message) ? ' (the scenario is too large for this machine)' : '';
  process.stderr.write(`slicesim: simulation failed: ${err?.name ?? 'Error'}: ${message}${hint}\n`);
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('run with --debug for the stack trace\n');
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

async function guardAsync(action: () => Promise<void>): Promise<void> {
  try {
    await action();
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

/**
 * yargs renders the chosen command's whole help text before it runs the command's handler (usage.js
 * cacheHelpMessage, kept for a handler that calls showHelp(); none of ours does, and failures go
 * through .fail below): about 25 ms of CPU in every run (README "Speed"). Skipped; if a
 * later yargs moves its internals, this does nothing and the text is rendered as before.
 */
function withoutHelpCache<T>(parser: T): T {
  const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  return parser;
}

try {
  await withoutHelpCache(yargs(argv.map((a) => (a === '-' ? STDIN_TOKEN : a))))
    .scriptName('slicesim')
    .version(VERSION)
    .strict()
    .parserConfiguration({ 'duplicate-arguments-array': true })
    .option('debug', { type: 'boolean', default: false, describe: 'show the stack trace when the simulation fails' })
    .demandCommand(1, 'name a command: run, validate, size, reconcile, sweep, merge, frontier or report')
    .alias('h', 'help')
    .epilog('Each command has its own --help with an example. Results land in results/<scenario>/ unless --out names a folder; npm run reproduce regenerates the committed ones.')
    .fail((msg, err) => {
      if (err) throw err;
      // yargs words an unknown flag as an argument; "Unknown arguments: a, b" names the flags.
      // yargs words unknown flags and extra file arguments alike ("Unknown arguments: a, b"): tell them apart.
      const isFlag = (n: string) => argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`) || (n.length === 1 && /^-[^-]/.test(a) && a.includes(n)));
      const text = msg.replace(/^Unknown arguments?: (.*)$/, (_, names: string) => {
        const list = names.split(', ');
        if (list[0] === argv[0] && !isFlag(list[0])) return `unknown command: ${list[0]}; commands: run, validate, size, reconcile, sweep, merge, frontier, report`;
        const flags = list.filter(isFlag).map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
        const extra = list.filter((n) => !isFlag(n));
        return [flags.length ? `unknown flag${flags.length > 1 ? 's' : ''}: ${flags.join(', ')}` : '', extra.length ? `unexpected argument${extra.length > 1 ? 's' : ''}: ${extra.join(' ')}` : ''].filter(Boolean).join('; ');
      });
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
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
          .option('trace', { type: 'boolean', default: false, describe: 'also write trace.csv: every pod transition and endpoint-object write' })
          .option('jobs', { type: 'string', describe: 'models simulated at once on worker threads (default 1; 2: faster on long runs, with both models in memory)' })
          .example('$0 run scenarios/blog-5000x3000.yaml --out out/blog', "the blog's 5000 pods on 3000 nodes: summary printed, report.html and CSVs in out/blog")
          .example('$0 run scenarios/rolling-update-5000x3000.yaml --set cluster.nodes=500 --out out/500-nodes', 'the same rollout on a smaller cluster'),
      (a) =>
        guardAsync(async () =>
          (await import('./run.js')).runCommand({ files: files(a.files, 'run'), out: str('out', a.out), seed: a.seed, set: asList(a.set), models: a.models, quiet: !!once('quiet', a.quiet), trace: !!once('trace', a.trace), jobs: parseCount('jobs', a.jobs, 1) }),
        ),
    )
    .command(
      'validate [files..]',
      'check scenario files and print them with defaults filled in',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'scenario files, or - for standard input' })
          .option('set', { type: 'string', array: true, describe: 'override a scenario key: key.path=value' })
          .example('$0 validate scenarios/etcd-limit.yaml', 'every key of the scenario, defaults filled in'),
      (a) => guardAsync(async () => (await import('./validate.js')).validateCommand(files(a.files, 'validate'), asList(a.set))),
    )
    .command(
      'size [file]',
      'exact JSON and protobuf sizes of real objects (kubectl get -o json), and their watch fan-out cost',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'a file, or - for standard input' })
          .option('nodes', { type: 'string', describe: 'watchers each change is sent to (default 1)' })
          .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of a table' })
          .example('kubectl get endpointslices -n default -o json | $0 size - --nodes 3000', 'what each slice costs, and one change sent to 3000 nodes'),
      (a) => guardAsync(async () => (await import('./size.js')).sizeCommand(oneFile(a.file, 'size'), parseCount('nodes', a.nodes, 0) ?? 1, !!once('json', a.json))),
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
          .option('kubernetes', { type: 'string', describe: 'the release whose controllers run, 1.16..1.35 (default: the newest)' })
          .example('kubectl get svc/web,pods,nodes,endpointslices -o json | $0 reconcile - --max-endpoints-per-slice 80', 'the slice writes one sync of web would make'),
      (a) =>
        guardAsync(async () =>
          (await import('./reconcile.js')).reconcileCommand(oneFile(a.file, 'reconcile'), {
            controller: str('controller', a.controller) ?? 'endpointslice',
            maxEndpointsPerSlice: parseCount('max-endpoints-per-slice', a['max-endpoints-per-slice'], 1, 1000),
            maxEndpoints: parseCount('max-endpoints', a['max-endpoints'], 0),
            kubernetes: str('kubernetes', a.kubernetes),
          }),
        ),
    )
    .command(
      'sweep [file]',
      'run every combination of grid values for a scenario (on worker threads): one sweep.csv row per point and model, and report.html with the curves',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'the scenario file' })
          .option('grid', { type: 'string', array: true, describe: 'a scenario key and its values: key.path=v1,v2,… (repeat for more keys)' })
          .option('shard', { type: 'string', describe: 'run only points p with p mod N = I: I/N (one copy of a Kubernetes Indexed Job each)' })
          .option('jobs', { type: 'string', describe: 'worker threads (default: the number of CPUs)' })
          .option('out', { type: 'string', describe: 'output folder (default results/sweeps/<scenario name>-<hash of the grid and overrides>/)' })
          .option('seed', { type: 'string', describe: 'override the scenario seed (the same for every point)' })
          .option('set', { type: 'string', array: true, describe: 'override a scenario key for every point: key.path=value' })
          .option('models', { type: 'string', describe: 'comma-separated: endpoints,endpointslices' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'check every point and list them (number and values); simulate and write nothing' })
          .example('$0 sweep scenarios/rolling-update-5000x3000-10gbps.yaml --grid cluster.nodes=500,1000,3000 --grid services.0.replicas=1000,5000 --out out/sweep', 'bytes, writes and latency of a rollout by cluster and service size')
          .example('$0 sweep FILE --grid … --shard 2/8 --out out/shard-2', 'the third of eight shards (join them with slicesim merge)'),
      (a) =>
        guardAsync(async () =>
          (await import('./sweep.js')).sweepCommand({
            file: oneFile(a.file, 'sweep'),
            grid: asList(a.grid),
            shard: str('shard', a.shard),
            jobs: parseCount('jobs', a.jobs, 1),
            out: str('out', a.out),
            seed: parseSeed(a.seed),
            set: asList(a.set),
            models: str('models', a.models),
            quiet: !!once('quiet', a.quiet),
            dryRun: !!once('dry-run', a['dry-run']),
          }),
        ),
    )
    .command(
      'merge [dirs..]',
      'join the folders of a sharded sweep into one sweep.csv and report.html (identical to the unsharded sweep); a missing point is an error',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'the shard folders' })
          .option('out', { type: 'string', describe: 'output folder (default: the sweep\'s default folder)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
          .example('$0 merge out/shard-0 out/shard-1 --out out/sweep', 'one sweep from all its shards'),
      (a) => guardAsync(async () => (await import('./merge.js')).mergeCommand(asList(a.dirs), str('out', a.out), !!once('quiet', a.quiet))),
    )
    .command(
      'frontier [dirs..]',
      'for sweeps over (cluster size, service size): the largest service each model serves within limits, per cluster size, and the ratio; writes frontier.csv and frontier.svg',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'sweep folders (one per model or version)' })
          .option('out', { type: 'string', describe: 'output folder (default results/sweeps/frontier/)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
          .example('$0 frontier results/sweeps/frontier-endpoints-1-18 results/sweeps/frontier-endpointslices --out out/frontier', 'how far EndpointSlices move the limit'),
      (a) => guardAsync(async () => (await import('./frontier.js')).frontierCommand(asList(a.dirs), str('out', a.out), !!once('quiet', a.quiet))),
    )
    .command(
      'report [dirs..]',
      'rebuild report.html (and perfdata.json) of result folders from the files in them',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'folders written by slicesim run, sweep or merge' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
          .example('$0 report results/etcd-limit', 'redraw the charts of a run'),
      (a) => guardAsync(async () => (await import('./report.js')).reportCommand(asList(a.dirs), !!once('quiet', a.quiet))),
    )
    .help()
    .parseAsync();
} catch (e) {
  fail(e);
}
