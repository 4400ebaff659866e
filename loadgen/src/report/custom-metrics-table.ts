import { fmt } from '../model/number-format.js';
import type { Summary } from '../model/summary-schema.js';
import { esc } from './html-escape.js';

/** A metric's figures in one run, as words: a counter's total and rate, a rate's share, a gauge's value and range. */
function figures(s: Summary, name: string): string {
  const m = s.metrics?.find((x) => x.name === name);
  if (m === undefined) return '<td class="muted">not counted</td>';
  if (m.type === 'counter') return `<td>${esc(fmt(m.count, 3))}<small>${esc(fmt(m.rps, 2))}/s</small></td>`;
  if (m.type === 'rate') {
    return `<td>${esc(fmt(m.rate * 100, 2))}%<small>${m.passes} of ${m.passes + m.fails}</small></td>`;
  }
  return `<td>${esc(fmt(m.value, 3))}<small>min ${esc(fmt(m.min, 3))}, max ${esc(fmt(m.max, 3))}</small></td>`;
}

/**
 * The custom counters, rates and gauges (vu.metrics): one row per name, one column per run.
 * Shown, not judged: what a higher count means is the script's to say (its thresholds do).
 */
export function customMetricsTable(summaries: readonly Summary[]): string {
  const names = new Map(summaries.flatMap((s) => (s.metrics ?? []).map((m) => [m.name, m.type] as const)));
  const head = summaries
    .map((s, i) => `<th><span class="chip c${i % 8}"></span>${esc(s.run.testid)}</th>`)
    .join('');
  const rows = [...names].map(
    ([name, type]) =>
      `<tr data-metric="${esc(name)}"><th scope="row">${esc(name)} <small>${esc(type)}</small></th>${summaries.map((s) => figures(s, name)).join('')}</tr>`,
  );
  return `<table class="metrics"><thead><tr><th>metric</th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
