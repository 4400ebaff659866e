import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummaryFile } from '../../src/model/summary-files.js';
import { formatResults } from '../../src/terminal/result-tables.js';
import { evaluateThresholds } from '../../src/thresholds/threshold-evaluator.js';
import { parseThreshold } from '../../src/thresholds/threshold-parser.js';

const summary = readSummaryFile(join(import.meta.dirname, '..', 'fixtures', 'summary-v1.json'));
const withThresholds = (exprs: string[]) => ({
  ...summary,
  thresholds: evaluateThresholds(exprs.map(parseThreshold), summary),
});

describe('end-of-run tables', () => {
  it('lists the endpoints no latency threshold covers, with their figures, when thresholds name endpoints', () => {
    const text = formatResults(withThresholds(['GET /api/me:p95<500', 'errors<1%']));
    const session = summary.endpoints.find((e) => e.endpoint === 'POST /api/sessions')!;
    expect(text).toMatch(
      new RegExp(
        `not gated on latency \\(measured, not judged\\):\\n.*\\nPOST /api/sessions\\s+${session.latencyMs.p95.toFixed(1)}`,
      ),
    );
    expect(text).not.toMatch(/not gated[\s\S]*GET \/api\/me/);
  });

  it('lists none when a global latency threshold covers every endpoint, or there is none', () => {
    expect(formatResults(withThresholds(['p95<500']))).not.toMatch(/not gated/);
    expect(formatResults(withThresholds(['errors<1%']))).not.toMatch(/not gated/);
  });
});
