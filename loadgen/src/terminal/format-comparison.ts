import type {
  Comparison,
  EndpointComparison,
  MetricChange,
  MetricName,
} from '../compare/compare-summaries.js';
import type { CustomMetric } from '../model/custom-metric-schema.js';
import { fmt, fmtPercent, fmtSigned } from '../model/number-format.js';
import { textTable } from './text-table.js';

const metric = (e: EndpointComparison, name: MetricName): MetricChange | undefined =>
  e.metrics.find((m) => m.metric === name);

function cell(m: MetricChange | undefined, digits = 1, scale = 1): string {
  if (m === undefined) return '-';
  const mark = m.flag === 'regressed' ? ' !' : m.flag === 'improved' ? ' ✓' : '';
  return `${fmt(m.base * scale, digits)} → ${fmt(m.candidate * scale, digits)} (${fmtSigned(m.delta * scale, digits)})${mark}`;
}

/** One sentence per regressed endpoint: by how much, and where the time went when known. */
function describeRegression(e: EndpointComparison): string {
  const parts = (['p50', 'p95', 'p99'] as const)
    .map((n) => metric(e, n))
    .filter((m): m is MetricChange => m !== undefined && m.flag === 'regressed')
    .map((m) => `${m.metric} ${fmtSigned(m.delta)} ms (${fmtPercent(m.relative)})`);
  const errors = metric(e, 'errorRate');
  if (errors?.flag === 'regressed') parts.push(`errors ${fmtSigned(errors.delta * 100, 2)} points`);
  let text = `${e.endpoint}: ${parts.join(', ')}`;
  if (e.server !== undefined) {
    const s = e.server;
    text += `; the added time is ${s.where} (server-side mean ${fmtSigned(s.serverMeanDeltaMs)} ms of the client's ${fmtSigned(s.clientMeanDeltaMs)} ms)`;
  }
  return text;
}

/** A few words per regressed endpoint for a headline: `GET /api/users (p50 +1,000 ms, inside the server)`. */
export function briefRegression(e: EndpointComparison): string {
  const m = (['p50', 'p95', 'errorRate'] as const)
    .map((n) => metric(e, n))
    .find((x): x is MetricChange => x !== undefined && x.flag === 'regressed');
  const size =
    m === undefined
      ? ''
      : m.metric === 'errorRate'
        ? `errors ${fmtSigned(m.delta * 100, 2)} points`
        : `${m.metric} ${fmtSigned(m.delta)} ms`;
  const where =
    e.server === undefined || e.server.where === 'no change to place' ? '' : `, ${e.server.where}`;
  return `${e.endpoint} (${size}${where})`;
}

/** A custom counter, rate or gauge in words (shown, not judged). */
function metricFigure(m: CustomMetric | undefined): string {
  if (m === undefined) return '-';
  if (m.type === 'counter') return `${fmt(m.count, 3)} (${fmt(m.rps, 2)}/s)`;
  if (m.type === 'rate') return `${fmt(m.rate * 100, 2)}% of ${m.passes + m.fails}`;
  return `${fmt(m.value, 3)} (min ${fmt(m.min, 3)}, max ${fmt(m.max, 3)})`;
}

export function formatComparison(c: Comparison): string {
  const out: string[] = [];
  out.push(`baseline:  ${c.baseline.testid} (${c.baseline.label})`);
  out.push(`candidate: ${c.candidate.testid} (${c.candidate.label})`);
  for (const [name, r] of [
    ['baseline', c.baseline],
    ['candidate', c.candidate],
  ] as const) {
    if (r.fault !== null && r.fault.delayMs > 0) {
      out.push(`${name} fault: ${r.fault.delayMs} ms on ${r.fault.route} (${r.fault.mode} mode)`);
    }
  }
  for (const name of ['baseline', 'candidate'] as const) {
    if (c.generatorSaturated?.[name]) {
      out.push(
        `WARNING: the ${name}'s generator saturated: its latencies include loadgen's own queueing, so a verdict on them may be the client's doing`,
      );
    }
    const changes = c.steered?.[name] ?? 0;
    if (changes > 0)
      out.push(
        `${name} was steered while it ran (${changes} change${changes > 1 ? 's' : ''}): its load did not follow its profile`,
      );
  }
  out.push('');
  const rows = [...c.endpoints, c.total].map((e) => [
    e.unit === undefined ? e.endpoint : `${e.endpoint} (${e.unit})`,
    e.verdict === 'regressed' ? 'REGRESSED' : e.verdict,
    `${e.baseCount}/${e.candidateCount}`,
    cell(metric(e, 'p50')),
    cell(metric(e, 'p95')),
    cell(metric(e, 'p99')),
    cell(metric(e, 'rps')),
    cell(metric(e, 'errorRate'), 2, 100),
  ]);
  out.push(
    textTable(['endpoint', 'verdict', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'errors %'], rows),
  );
  if (c.peakConnected !== undefined) {
    const { base, candidate } = c.peakConnected;
    out.push(`peak connected sockets: ${base} → ${candidate} (${fmtSigned(candidate - base, 0)})`);
  }
  if (c.metrics !== undefined) {
    out.push('');
    out.push(
      textTable(
        ['metric', 'type', 'baseline', 'candidate'],
        c.metrics.map((m) => [m.name, m.type, metricFigure(m.base), metricFigure(m.candidate)]),
      ),
    );
  }
  out.push('');
  const regressed = c.endpoints.filter((e) => e.verdict === 'regressed');
  if (regressed.length === 0) out.push('No endpoint regressed.');
  else {
    out.push(`Regressed (${regressed.length}):`);
    for (const e of regressed) out.push(`  ${describeRegression(e)}`);
  }
  if (c.improved.length > 0) out.push(`Improved: ${c.improved.join(', ')}`);
  const r = c.rule;
  out.push(
    `Rule: a change counts when larger than both tolerances — p50 ${fmt(r.p50.relative * 100)}% and ${r.p50.absoluteMs} ms, ` +
      `p95 ${fmt(r.p95.relative * 100)}% and ${r.p95.absoluteMs} ms (p99 ${fmt(r.p99.relative * 100)}% and ${r.p99.absoluteMs} ms, marked only), ` +
      `errors +${r.errorRatePoints} points and ×${r.errorRateFactor}; between the ends of the percentiles' ` +
      `confidence intervals (z = ${r.confidenceZ}); at least ${r.minSamples} requests on each side (from ${r.minSeparatedSamples}, only when the runs do not overlap at all).`,
  );
  return out.join('\n');
}
