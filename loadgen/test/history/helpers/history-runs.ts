import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../../../src/model/summary-schema.js';
import { makeSummary } from '../../report/helpers/summary-factory.js';

/** One run of a synthetic history: each endpoint's latency level (ms) and error share. */
export interface LevelRun {
  testid: string;
  /** Day number: runs are a day apart from 2026-11-01, in this order. */
  day: number;
  pattern?: string;
  model?: 'closed' | 'open';
  /** Endpoint → latency level in ms; its requests spread ±2% around it. */
  endpoints: Record<string, number>;
  /** Endpoint → share of failed requests (0..1). */
  errors?: Record<string, number>;
  tags?: Record<string, string>;
}

/**
 * A summary of a 3-second run at the given levels, made by loadgen's own recorder and summary
 * builder (real HdrHistograms), so the history reads what a run writes.
 */
export function levelSummary(r: LevelRun): Summary {
  const endpoints = Object.fromEntries(
    Object.entries(r.endpoints).map(([name, level]) => [
      name,
      {
        perSecond: () => 20,
        latencyMs: (_t: number, i: number) => level * (1 + ((i % 5) - 2) * 0.01),
        fails: (_t: number, i: number) => i < Math.round(20 * (r.errors?.[name] ?? 0)),
      },
    ]),
  );
  const summary = makeSummary({
    testid: r.testid,
    seconds: 3,
    users: () => 4,
    endpoints,
    startedAt: new Date(Date.UTC(2026, 10, 1) + r.day * 86_400_000).toISOString(),
    ...(r.pattern === undefined ? {} : { pattern: r.pattern }),
  });
  if (r.model === 'open') summary.run.model = { type: 'open', rate: 20, preAllocatedVUs: 10, maxVUs: 100 };
  if (r.tags !== undefined) summary.run.provenance = { tags: r.tags, host: 'ci-1' };
  return summary;
}

/** Write `summary` as `<dir>/<sub>/summary.json` (the layout loadgen run writes). */
export function writeRun(dir: string, sub: string, summary: unknown): string {
  const runDir = join(dir, sub);
  mkdirSync(runDir, { recursive: true });
  const path = join(runDir, 'summary.json');
  writeFileSync(path, JSON.stringify(summary));
  return path;
}

/**
 * `n` runs of one endpoint set, a day apart, each endpoint at its level times `factor(i)` for run
 * i, with ±3% run-to-run noise from a fixed sequence (the same on every machine).
 */
export function steadyRuns(
  prefix: string,
  n: number,
  levels: Record<string, number>,
  factor: (i: number, endpoint: string) => number = () => 1,
  extra: Partial<LevelRun> = {},
): LevelRun[] {
  const noise = [0, 0.02, -0.015, 0.03, -0.025, 0.01, -0.005, 0.025, -0.03, 0.015];
  return Array.from({ length: n }, (_, i) => ({
    testid: `${prefix}-${String(i + 1).padStart(2, '0')}`,
    day: i,
    endpoints: Object.fromEntries(
      Object.entries(levels).map(([e, ms], k) => [
        e,
        ms * factor(i, e) * (1 + (noise[(i + 3 * k) % noise.length] as number)),
      ]),
    ),
    ...extra,
  }));
}
