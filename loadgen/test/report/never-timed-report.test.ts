import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { endpointTable, summaryTable } from '../../src/report/report-tables.js';
import { thresholdActual } from '../../src/terminal/custom-tables.js';
import { makeSummary } from './helpers/summary-factory.js';

const ZERO = { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };

/** A run whose `GET /down` was refused every time: counted, never timed. */
function run(testid: string): Summary {
  const s = makeSummary({
    testid,
    seconds: 2,
    users: () => 2,
    endpoints: {
      'GET /a': { perSecond: () => 10, latencyMs: () => 5 },
      'GET /down': { perSecond: () => 10, latencyMs: () => 1 },
    },
  });
  const down = s.endpoints.find((e) => e.endpoint === 'GET /down') as Summary['endpoints'][number];
  Object.assign(down, { errors: down.count, latencyMs: ZERO });
  return s;
}

/** The cells of a table row, tags stripped. */
const cells = (html: string, rowStart: string): string[] => {
  const row = html.slice(html.indexOf(rowStart)).split('</tr>')[0] as string;
  return [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, ''));
};

describe('the HTML report of what was counted but never timed', () => {
  it('shows its latency as no data, not 0 ms, beside an endpoint that was timed', () => {
    const html = endpointTable([run('one')], [undefined]);
    const down = cells(html, '<tr class="first" data-endpoint="GET /down"');
    // run, requests, req/s, then p50, p95, p99, max: absent.
    expect(down.slice(3, 7)).toEqual(['-', '-', '-', '-']);
    const timed = cells(html, '<tr class="first" data-endpoint="GET /a"');
    expect(timed.slice(3, 7).every((c) => c !== '-')).toBe(true);
  });

  it("shows the run's latency as no data when no request was timed, and reads thresholds as the terminal does", () => {
    const s = run('refused');
    s.totals = { ...s.totals, latencyMs: ZERO, errors: s.totals.requests, errorRate: 1 };
    s.thresholds = [
      {
        expr: 'errors<1%',
        endpoint: null,
        metric: 'errors',
        op: '<',
        limit: 0.01,
        actual: 1,
        passed: false,
      },
    ];
    const html = summaryTable([s], [undefined]);
    for (const label of ['p50', 'p95', 'p99']) {
      expect(cells(html, `<th scope="row">${label}</th>`)).toEqual(['-']);
    }
    const actual = thresholdActual(s.thresholds[0] as Summary['thresholds'][number], s);
    expect(actual).toBe('100.00%');
    expect(html).toContain(`✗ errors&lt;1% (was ${actual})`);
  });
});
