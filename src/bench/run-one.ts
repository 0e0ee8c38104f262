// One benchmark measurement, run in its own process so that every run starts cold (as a user's
// `slicesim run` does) and its peak memory is its own: load the scenario, simulate every model, build
// the result files in memory, and print {wallMs, maxRssBytes, events} as JSON on stdout.
import { performance } from 'node:perf_hooks';
import { loadScenario } from '../scenario/load.js';
import { simulateModel } from '../simulation.js';
import { resultFiles } from '../cli/run.js';

const [file, ...sets] = process.argv.slice(2);
const start = performance.now();
const scenario = loadScenario(file, sets);
const runs = scenario.models.map((m) => simulateModel(scenario, m, scenario.seed));
resultFiles(scenario, scenario.seed, runs);
const wallMs = performance.now() - start;
const events = runs.reduce((n, r) => n + r.eventsRun, 0);
process.stdout.write(`${JSON.stringify({ wallMs, maxRssBytes: process.resourceUsage().maxRSS * 1024, events })}\n`);
