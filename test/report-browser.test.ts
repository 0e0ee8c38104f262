// A run's report.html, opened in a real browser: every chart drawn (lines or bars with a visible
// size, a legend entry per model), no console error, no request beyond the file itself; a
// screenshot is saved in test-output/ for a person to look at.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
      const head = await opened.page.$$eval('table.comparison thead th', (ths) => ths.map((t) => t.textContent));
      expect(head).toEqual(['measure', 'endpoints', 'endpointslices', 'endpoints ÷ endpointslices']);
      await screenshot(opened.page, `report-${name}.png`);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.otherRequests).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

run('the browser checks themselves', () => {
  it('catch a request to elsewhere and a console error (so an empty list means something)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slicesim-page-'));
    const file = join(dir, 'bad.html');
    writeFileSync(file, '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body></html>');
    const opened = await openInChromium(file);
    try {
      expect(opened.otherRequests).toEqual(['http://127.0.0.1:9/x.png']);
      expect(opened.consoleErrors.some((e) => e.includes('boom'))).toBe(true);
    } finally {
      await opened.close();
    }
  });
});

run('a sweep report.html in headless Chromium', () => {
  it('shows the frontier and one curve per model, and the menus switch to any column against any grid key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slicesim-sweep-page-'));
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, 'name: tiny\ncluster: {nodes: 30}\nservices: [{name: web, replicas: 20}]\nworkload: [{name: rollout, at: 10s, action: rollingUpdate, service: web}]\n');
    const r = spawnSync('node', [join(REPO_DIR, 'dist/cli/main.js'), 'sweep', file, '--grid', 'cluster.nodes=10,30', '--grid', 'services.0.replicas=10,20,40', '--out', join(dir, 'out'), '--quiet', '--jobs', '1'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const opened = await openInChromium(join(dir, 'out', 'report.html'));
    try {
      const shown = await chartStats(opened.page);
      expect(shown.map((c) => c.id)).toEqual(['frontier', 'curve-1-watch_bytes']);
      // two cluster sizes x two models
      expect(shown[1].lines).toBe(4);
      expect(shown[0].lines).toBe(2);
      await opened.page.selectOption('#x-key', 'cluster.nodes');
      await opened.page.selectOption('#column', 'writes');
      const after = await chartStats(opened.page);
      expect(after.map((c) => c.id)).toEqual(['frontier', 'curve-0-writes']);
      expect(after[1].lines).toBe(6); // three service sizes x two models
      await screenshot(opened.page, 'sweep-report.png');
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.otherRequests).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
