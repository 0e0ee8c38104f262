// The frontier as a Markdown table (what `slicesim frontier` prints and the README shows), from
// frontier.csv alone: per cluster size, each model's largest Service within limits, where and why it
// left them, and the ratio.
import { parseCsv } from '../report/csv-read.js';
import { humanCount } from '../report/summary.js';

const n = (v: string) => humanCount(Number(v));

export function frontierMarkdown(csv: string): string {
  const t = parseCsv(csv);
  const by = t.columns[0];
  const models = t.columns.filter((c) => c.endsWith('_largest')).map((c) => c.slice(0, -'_largest'.length));
  const ratio = t.columns.find((c) => c.startsWith('ratio_'));
  const head = [by.split('.').pop()!, ...models.flatMap((m) => [`${m}: largest within limits`, `${m}: first outside`]), ...(ratio ? [`ratio`] : [])];
  const rows = t.rows.map((r) => [
    n(r[by]),
    ...models.flatMap((m) => [
      r[`${m}_largest`] ? `${r[`${m}_first_outside`] ? '' : '≥ '}${n(r[`${m}_largest`])}` : 'below the smallest swept',
      r[`${m}_first_outside`] ? `${n(r[`${m}_first_outside`])} (${r[`${m}_limited_by`]})` : 'none swept',
    ]),
    ...(ratio ? [r[ratio] ? `${r[ratio].replace('>=', '≥ ').replace('<=', '≤ ')}×` : '–'] : []),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
