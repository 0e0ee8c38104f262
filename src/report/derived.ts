// The files of a run folder derived from its others: report.html and perfdata.json, built from the
// folder's CSV and JSON files only. `slicesim run` adds them to what it writes and `slicesim report`
// rebuilds them from a folder; on their own here, so `report` loads no simulation code.
import { runReportHtml, type RunFiles } from './html/run-report.js';
import { perfdataJson } from './perfdata.js';

/** report.html and perfdata.json from a run folder's CSV and JSON files. */
export function derivedFiles(files: RunFiles): Record<string, string> {
  return { 'report.html': runReportHtml(files), 'perfdata.json': perfdataJson(files['summary.csv'], files['latency.csv']) };
}
