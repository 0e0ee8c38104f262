// A run's report.html, opened in a real browser: every chart drawn (lines or bars with a visible
// size, a legend entry per model), no console error, no request beyond the file itself; a
// screenshot is saved in test-output/ for a person to look at.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_DIR } from './paths.js';
import { chartStats, chromiumRequired, haveChromium, openInChromium, screenshot } from './browser.js';

const run = haveChromium || chromiumRequired ? describe : describe.skip;

run('report.html in headless Chromium', () => {
  it.each(['rolling-update-5000x3000-10gbps', 'etcd-limit'])('results/%s/report.html draws its charts offline without errors', async (name) => {
    const opened = await openInChromium(join(REPO_DIR, 'results', name, 'report.html'));
    try {
      const charts = await chartStats(opened.page);
      const ids = charts.map((c) => c.id);
      // bytes per phase, the time series, the latency distribution
      expect(ids).toEqual(expect.arrayContaining(['phase-watch_bytes', 'phase-writes', 'ts-egress_in_flight_bytes', 'ts-nodes_up_to_date', 'ts-etcd_db_bytes', 'latency-cdf']));
      for (const c of charts) {
        expect(c.width, c.id).toBeGreaterThan(300);
        expect(c.height, c.id).toBeGreaterThan(200);
        expect(c.legend, `${c.id}: one legend entry per model`).toBe(2);
        if (c.kind === 'line') expect(c.lines, `${c.id}: a line per model`).toBe(2);
        else expect(c.bars, `${c.id}: bars drawn`).toBeGreaterThan(0);
      }
      // the comparison table: one column per model and the ratio
      const head = await opened.page.$$eval('table:first-of-type thead th', (ths) => ths.map((t) => t.textContent));
      expect(head).toEqual(['measure', 'endpoints', 'endpointslices', 'endpoints ÷ endpointslices']);
      await screenshot(opened.page, `report-${name}.png`);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.otherRequests).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
