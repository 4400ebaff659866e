import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveCallPattern } from '../../src/model/call-pattern.js';
import { STATS_CSV_COLUMNS, statsCsv } from '../../src/model/stats-csv.js';
import { readSummaryFile, writeSummaryFiles } from '../../src/model/summary-files.js';
import { SUMMARY_SCHEMA_VERSION } from '../../src/model/summary-schema.js';
import { runCli } from '../helpers/run-cli.js';

// Written by loadgen 0.1.0 (schemaVersion 1) against a small local server. Kept forever: every
// later loadgen must read it (compare and report read stored runs of any age).
const V1 = join(import.meta.dirname, '..', 'fixtures', 'summary-v1.json');
// Written by loadgen 0.1.0 (schemaVersion 2, the last v2 build) against a small local HTTP and
// WebSocket server: sockets, checks, script errors and a failed threshold. Kept forever as v1 is.
const V2 = join(import.meta.dirname, '..', 'fixtures', 'summary-v2.json');
const dir = mkdtempSync(join(tmpdir(), 'loadgen-summary-'));

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('summary.json across schema versions', () => {
  it('reads the v1 fixture, migrated to the current version with its figures unchanged', () => {
    const raw = JSON.parse(readFileSync(V1, 'utf8'));
    const s = readSummaryFile(V1);
    expect(raw.schemaVersion).toBe(1);
    expect(s.schemaVersion).toBe(SUMMARY_SCHEMA_VERSION);
    expect(s.run.testid).toBe('fixture-v1');
    expect(s.run.callPattern).toBe(deriveCallPattern(raw.endpoints));
    expect(s.totals).toEqual(raw.totals);
    expect(s.endpoints).toEqual(raw.endpoints);
    expect(s.timeSeries).toEqual(raw.timeSeries);
  });

  it('reads the v2 fixture, migrated to the current version with its figures unchanged', () => {
    const raw = JSON.parse(readFileSync(V2, 'utf8'));
    const s = readSummaryFile(V2);
    expect(raw.schemaVersion).toBe(2);
    expect(s.schemaVersion).toBe(SUMMARY_SCHEMA_VERSION);
    expect(s.run.testid).toBe('fixture-v2');
    // No v2 scenario declared a call pattern: derived from its endpoints, HTTP and sockets alike.
    expect(s.run.callPattern).toBe(
      deriveCallPattern(
        ['GET /items/:id', 'GET /missing', 'ws connect', 'ws ping'].map((endpoint) => ({ endpoint })),
      ),
    );
    expect(s.totals).toEqual(raw.totals);
    expect(s.endpoints).toEqual(raw.endpoints);
    expect(s.ws).toEqual(raw.ws);
    expect(s.checks).toEqual(raw.checks);
    expect(s.thresholds).toEqual(raw.thresholds);
  });

  it('a v2 threshold without data (actual -1) reads as no data (null), never as a negative figure', () => {
    const raw = JSON.parse(readFileSync(V2, 'utf8'));
    raw.thresholds.push({
      expr: 'GET /typo:p95<500',
      endpoint: 'GET /typo',
      metric: 'p95',
      op: '<',
      limit: 500,
      actual: -1,
      passed: false,
    });
    const s = readSummaryFile(writeJson('v2-no-data.json', raw));
    expect(s.thresholds.at(-1)).toMatchObject({ expr: 'GET /typo:p95<500', actual: null, passed: false });
    expect(s.thresholds.slice(0, -1)).toEqual(raw.thresholds.slice(0, -1));
  });

  it('a v1 file from before the HTTP client was a choice ran undici', () => {
    const raw = JSON.parse(readFileSync(V1, 'utf8'));
    delete raw.run.httpClient;
    expect(readSummaryFile(writeJson('v1-no-client.json', raw)).run.httpClient).toBe('undici');
  });

  it('compare and report take a v1 summary as they take a current one', async () => {
    const current = join(dir, 'current');
    writeSummaryFiles(current, readSummaryFile(V1));
    const compare = await runCli(['compare', V1, join(current, 'summary.json')]);
    expect(compare.stderr).not.toMatch(/not a loadgen summary/);
    expect(compare.code).toBe(0);
    const report = await runCli(['report', V1, '-o', join(dir, 'report.html')]);
    expect(report.code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('fixture-v1');
  });

  it('a version from a newer loadgen, or none, is refused with a message naming it', () => {
    const raw = JSON.parse(readFileSync(V1, 'utf8'));
    const newer = writeJson('v99.json', { ...raw, schemaVersion: 99 });
    expect(() => readSummaryFile(newer)).toThrow(/schemaVersion 99 was written by a newer loadgen/);
    const none = writeJson('none.json', { run: raw.run });
    expect(() => readSummaryFile(none)).toThrow(/not a loadgen summary: schemaVersion is undefined/);
  });
});

describe('stats.csv', () => {
  it('has the documented columns in a fixed order, whatever the order of the summary keys', () => {
    const s = readSummaryFile(V1);
    // The same figures with every latency object's keys reversed, as a hand-edited file might have.
    const reversed = structuredClone(s);
    for (const e of [...reversed.endpoints, reversed.totals]) {
      e.latencyMs = Object.fromEntries(Object.entries(e.latencyMs).reverse()) as typeof e.latencyMs;
    }
    const csv = statsCsv(s);
    expect(statsCsv(reversed)).toBe(csv);
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toBe(
      'endpoint,requests,errors,error_rate,rps,bytes,min_ms,mean_ms,p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms,kind,decoded_bytes,unit,value',
    );
    expect(header?.split(',')).toEqual([...STATS_CSV_COLUMNS]);
    const me = rows[0]?.split(',') ?? [];
    const stats = s.endpoints[0]!;
    expect(me[0]).toBe(stats.endpoint);
    expect(Number(me[STATS_CSV_COLUMNS.indexOf('p99_ms')])).toBe(stats.latencyMs.p99);
    expect(Number(me[STATS_CSV_COLUMNS.indexOf('min_ms')])).toBe(stats.latencyMs.min);
    expect(rows.at(-1)?.startsWith(`Aggregated,${s.totals.requests},`)).toBe(true);
  });
});
