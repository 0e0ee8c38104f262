// The HTML page around a report: inline CSS only, no script, font or image from elsewhere, so the
// page opens from a file, offline, and the same results always give the same bytes.
import { esc } from './svg.js';

/** Colors per model (Okabe–Ito, distinguishable with the common color-vision deficiencies). */
export const MODEL_COLORS: Record<string, string> = { endpoints: '#D55E00', endpointslices: '#0072B2' };
const OTHER_COLORS = ['#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
export const modelColor = (model: string, i: number): string => MODEL_COLORS[model] ?? OTHER_COLORS[i % OTHER_COLORS.length];

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1340px;margin:0 auto;padding:18px 24px 40px}
h1{font-size:22px;margin:4px 0}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#555;margin:2px 0 10px}.facts{color:#444;font-size:13px}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child,td.t{text-align:left}th{background:#f0f0f0;font-weight:600}
td.better{background:#eaf5ea}td.worse{background:#fbeaea}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(650px,1fr));gap:14px}
figure.chart{background:#fff;border:1px solid #ddd;border-radius:4px;margin:0;padding:8px}
figure.chart figcaption{font-weight:600;margin:0 0 2px 4px}
.note{color:#666;font-size:12px;margin:4px}.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
details{margin:8px 0}summary{cursor:pointer;color:#0550ae}
footer{color:#666;font-size:12px;margin-top:30px}
code{background:#f0f0f0;padding:0 3px;border-radius:3px}
label{margin-right:14px}select{font:inherit}
`;

export function page(title: string, body: string, script = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>${script ? `\n<script>${script}</script>` : ''}
</body>
</html>
`;
}

/** A cell that reads as a figure (right-aligned): a number, maybe signed, with a unit or ×. */
const NUMERIC = /^([-–=]|[-+≥≤<>]?\s?[\d.,]+(\s?\S{1,4})?)$/;

/** An HTML table; `cells` are already escaped HTML (text cells are left-aligned). */
export function table(head: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => (c.startsWith('<td') ? c : NUMERIC.test(c) ? `<td>${c}</td>` : `<td class="t">${c}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
