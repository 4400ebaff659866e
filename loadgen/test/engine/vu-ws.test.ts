import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareSummaries } from '../../src/compare/compare-summaries.js';
import { mergeSummaries } from '../../src/merge/merge-summaries.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { writeReport } from '../../src/report/write-report.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { formatComparison } from '../../src/terminal/format-comparison.js';
import { evaluateThresholds } from '../../src/thresholds/threshold-evaluator.js';
import { parseThreshold } from '../../src/thresholds/threshold-parser.js';
import { type MatchServer, startMatchServer } from '../helpers/match-server.js';
import { runCli } from '../helpers/run-cli.js';
import { runScraped } from '../helpers/scraped-run.js';
import { openInChromium } from '../report/helpers/chromium.js';

const LOADGEN = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(LOADGEN, 'examples', 'match.ts');
const FAULTS = join(LOADGEN, 'test', 'fixtures', 'ws-faults.ts');
const artifacts = (name: string) => join(LOADGEN, 'test-artifacts', `ws-${name}-${process.pid}`);

let server: MatchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** loadgen's per-type message counts, in the server's shape: what one side sent, the other received. */
function counts(summary: Summary) {
  const messages = summary.ws?.messages ?? [];
  const of = (field: 'sent' | 'received') =>
    Object.fromEntries(messages.filter((m) => m[field] > 0).map((m) => [m.type, m[field]]));
  return { sent: of('sent'), received: of('received') };
}

const endpoint = (s: Summary, name: string) => s.endpoints.find((e) => e.endpoint === name);
const failure = (s: Summary, name: string, kind: string) =>
  s.failures.find((f) => f.endpoint === name && f.kind === kind);
const readSummary = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe('sockets in scenarios (vu.ws), examples/match.ts against a server of the match protocol', () => {
  it('counts every message type as the server does, measures replies and push delays, holds CCU = users, exports loadgen_ws_*', async () => {
    server = await startMatchServer();
    const config = resolveRun(await loadScenario(EXAMPLE), {
      target: server.url,
      durationSec: 3,
      testid: 'ws-prom',
    });
    config.gracefulStopSec = 3;
    const { summary, samples } = await runScraped(config);
    const match = server;

    // Exactly what the server received and sent, type by type.
    expect(counts(summary).sent).toEqual(Object.fromEntries(match.received));
    expect(counts(summary).received).toEqual(Object.fromEntries(match.sent));
    expect(match.received.get('move')).toBeGreaterThan(8);
    // One socket per player, all open at once, all closed by the end of the run.
    expect(summary.totals.peakConnected).toBe(4);
    expect(summary.ws?.connects).toBe(4);
    expect(match.connects).toBe(4);
    expect(summary.ws?.closeCodes).toEqual({ '1000': 4 });
    await vi.waitFor(() => expect(match.open).toBe(0));
    expect(Math.max(...summary.timeSeries.map((w) => w.ws?.connected ?? 0))).toBe(4);

    // Requests and replies under the request's type, pushes (with ts) under their own.
    const received = (type: string) => match.sent.get(type);
    expect(endpoint(summary, 'ws connect')).toMatchObject({ kind: 'ws', count: 4, setup: true, errors: 0 });
    expect(endpoint(summary, 'ws queue')?.count).toBe(received('queued'));
    expect(endpoint(summary, 'ws move')?.count).toBe(received('move_ack'));
    expect(endpoint(summary, 'ws moved')).toMatchObject({ kind: 'ws', count: received('moved'), errors: 0 });
    expect(endpoint(summary, 'ws moved')?.latencyMs.p50).toBeGreaterThan(0);
    expect(endpoint(summary, 'ws matched')?.count).toBe(received('matched'));
    // A reply is a request's measurement, not a push: no "ws move_ack" though it carries ts.
    expect(endpoint(summary, 'ws move_ack')).toBeUndefined();
    // The HTTP totals are the 8 setup requests; sockets are not requests.
    expect(summary.totals.requests).toBe(8);
    expect(summary.failures).toEqual([]);
    expect(summary.thresholds.map((t) => [t.expr, t.passed])).toEqual([
      ['errors<1%', true],
      ['ws moved:p95<250', true],
      ['ccu>=4', true],
    ]);

    // The handshake carried the user's default Authorization header and its login cookie.
    expect(match.upgrades).toHaveLength(4);
    for (const u of match.upgrades) {
      expect(u.authorization).toMatch(/^Bearer [0-9a-f]{16}$/);
      expect(u.cookie).toMatch(/^sid=[0-9a-f]{16}$/);
      expect(u.protocol).toBe('game.v1');
    }

    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find(
        (s) =>
          s.name === name &&
          Object.entries({ testid: 'ws-prom', scenario: 'match', ...labels }).every(
            ([k, v]) => s.labels[k] === v,
          ),
      )?.value;
    expect(value('loadgen_ws_connected_peak')).toBe(4);
    expect(value('loadgen_ws_connects_total')).toBe(4);
    expect(value('loadgen_ws_messages_total', { direction: 'sent', type: 'move' })).toBe(
      match.received.get('move'),
    );
    expect(value('loadgen_ws_messages_total', { direction: 'received', type: 'moved' })).toBe(
      received('moved'),
    );
    expect(value('loadgen_ws_duration_seconds_count', { endpoint: 'ws moved' })).toBe(received('moved'));
    expect(value('loadgen_ws_closes_total', { code: '1000' })).toBe(4);
    // Payload bytes per type, and what the connections carried, as the summary has them.
    const move = summary.ws?.messages.find((m) => m.type === 'move');
    expect(move?.sentBytes).toBeGreaterThan(0);
    expect(
      value('loadgen_ws_message_bytes_total', { direction: 'sent', protocol: 'websocket', type: 'move' }),
    ).toBe(move?.sentBytes);
    expect(value('loadgen_ws_wire_bytes_total', { direction: 'received' })).toBe(
      summary.ws?.wireBytes?.received,
    );
    // Request latency stays HTTP's own.
    expect(
      samples.some((s) => s.name.startsWith('loadgen_request') && s.labels.endpoint?.startsWith('ws ')),
    ).toBe(false);
  });

  it('a wait that times out counts ws_timeout, a socket the server closes mid-wait counts ws_closed, and the run goes on', async () => {
    server = await startMatchServer();
    const config = resolveRun(await loadScenario(FAULTS), { target: server.url, durationSec: 2 });
    config.gracefulStopSec = 2;
    const summary = await runScenario(config);
    const match = server;
    const closedByServer = match.received.get('close-me') ?? 0;

    const timeouts = failure(summary, 'ws flood', 'ws_timeout');
    expect(timeouts?.sample).toBe('no "silence" reply within 0.2 s');
    expect(timeouts?.count).toBeGreaterThanOrEqual(2);
    const closed = failure(summary, 'ws never', 'ws_closed');
    expect(closed?.sample).toBe('the socket closed (code 4000 asked to): no "never" message');
    const closedRequests = failure(summary, 'ws close-me', 'ws_closed');
    expect(closedRequests?.sample).toBe('the socket closed (code 4000 asked to): no "gone" reply');
    // Each close the server made ended a wait (the last one may have met the run's stop first).
    const closedWaits = (closed?.count ?? 0) + (closedRequests?.count ?? 0);
    expect(closedWaits).toBeGreaterThanOrEqual(Math.max(2, closedByServer - 1));
    expect(closedWaits).toBeLessThanOrEqual(closedByServer);
    expect(summary.ws?.closeCodes['4000']).toBe(closedByServer);
    // After every close the next iteration opened a new socket.
    expect(summary.ws?.connects).toBe(match.connects);
    expect(match.connects).toBeGreaterThanOrEqual(closedByServer);
    // The failures are socket failures, not the script's: no script_error.
    expect(summary.totals.scriptErrors).toBeUndefined();
    expect(endpoint(summary, 'ws flood')).toMatchObject({ kind: 'ws', errors: timeouts?.count });
    // A request that timed out is timed at what it waited, as an HTTP request without a response
    // is: its percentiles show the timeouts, so a latency threshold catches them.
    expect(endpoint(summary, 'ws flood')?.latencyMs.p50).toBeGreaterThanOrEqual(199); // 3 significant digits
    const [flood, never, closedRequest] = evaluateThresholds(
      [
        parseThreshold('ws flood:p95<100'),
        parseThreshold('ws never:p95<100000'),
        parseThreshold('ws close-me:p95<100000'),
      ],
      summary,
    );
    expect(flood?.passed).toBe(false);
    // Waits for a push that all failed were never timed: a latency threshold on them cannot pass.
    expect(never).toMatchObject({
      passed: false,
      actual: null,
      reason: 'no data: "ws never" was counted but never timed',
    });
    // A request whose socket closed is not timed either, as an HTTP request whose connection was
    // reset is not: the close's time is no reply time.
    expect(endpoint(summary, 'ws close-me')).toMatchObject({ kind: 'ws', errors: closedRequests?.count });
    expect(closedRequest).toMatchObject({
      passed: false,
      actual: null,
      reason: 'no data: "ws close-me" was counted but never timed',
    });

    // Ticks pushed faster than the script reads them: a 3-message buffer dropped the rest, counted.
    const tick = summary.ws?.messages.find((m) => m.type === 'tick');
    expect(tick?.received).toBe(match.sent.get('tick'));
    expect(tick?.dropped).toBeGreaterThan(0);
    expect(endpoint(summary, 'ws tick')?.count).toBe(tick?.received);
    expect(counts(summary).sent).toEqual(Object.fromEntries(match.received));
    expect(counts(summary).received).toEqual(Object.fromEntries(match.sent));
  });

  it('two segments run at once merge into one run (counts add up, the CCU peak is per window); compare and the report show sockets', async () => {
    server = await startMatchServer();
    const scenario = await loadScenario(EXAMPLE);
    const startAtEpochMs = Date.now() + 500;
    const segment = (index: number) => {
      const config = resolveRun(scenario, {
        target: server?.url,
        durationSec: 2,
        testid: 'ws-merge',
        segment: { index, count: 2 },
      });
      config.gracefulStopSec = 3;
      config.startAtEpochMs = startAtEpochMs;
      return runScenario(config);
    };
    const [a, b] = await Promise.all([segment(0), segment(1)]);
    expect(a.totals.peakConnected).toBe(2);
    expect(b.totals.peakConnected).toBe(2);
    const merged = mergeSummaries([a, b]);
    expect(merged.totals.peakConnected).toBe(4);
    expect(merged.ws?.connects).toBe(4);
    expect(counts(merged).sent).toEqual(Object.fromEntries(server.received));
    expect(counts(merged).received).toEqual(Object.fromEntries(server.sent));
    expect(endpoint(merged, 'ws moved')).toMatchObject({
      kind: 'ws',
      count: (endpoint(a, 'ws moved')?.count ?? 0) + (endpoint(b, 'ws moved')?.count ?? 0),
    });
    expect(merged.thresholds.every((t) => t.passed)).toBe(true);

    // Segments whose peaks fell in different windows: the merged peak is the highest window, not the sum.
    const early = structuredClone(a);
    const late = structuredClone(b);
    for (const w of early.timeSeries) if (w.ws) w.ws.connectedPeak = w.t === 0 ? 2 : 0;
    for (const w of late.timeSeries) if (w.ws) w.ws.connectedPeak = w.t === 0 ? 0 : 2;
    expect(mergeSummaries([early, late]).totals.peakConnected).toBe(2);

    // compare and the report show socket figures as endpoints, and the peak of connected sockets.
    const comparison = compareSummaries(a, merged);
    expect(comparison.endpoints.map((e) => e.endpoint)).toEqual(
      expect.arrayContaining(['ws moved', 'ws queue']),
    );
    expect(comparison.peakConnected).toEqual({ base: 2, candidate: 4 });
    expect(formatComparison(comparison)).toMatch(/^ws moved +\S+ +\d+\/\d+ /m);
    expect(formatComparison(comparison)).toContain('peak connected sockets: 2 → 4 (+2)');
    const { path } = await writeReport(join(artifacts('report'), 'report.html'), [a, merged]);
    const page = readFileSync(path, 'utf8');
    expect(page).toMatch(/<th scope="row">peak sockets \(CCU\)<\/th><td>2<\/td><td[^>]*>4<small>\+2/);
    expect(page).toContain('data-endpoint="ws moved"');
    // The connected-sockets chart draws both runs in a real browser, without a page error.
    const opened = await openInChromium(path);
    try {
      await opened.page.waitForSelector('#chart-sockets[data-drawn="2"]');
      await opened.page.waitForSelector('#chart-messages[data-drawn="2"]');
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

describe('loadgen run with sockets', () => {
  it('--threads 2: the same counts as the server, CCU = users; thresholds on ws types and ccu pass (exit 0)', async () => {
    server = await startMatchServer();
    const out = artifacts('threads');
    const r = await runCli([
      'run',
      EXAMPLE,
      '--target',
      server.url,
      '--threads',
      '2',
      '--duration',
      '3s',
      '--metrics-linger',
      '0',
      '--out',
      out,
      '--threshold',
      'ws moved:p95<1000',
      '--threshold',
      'ws queue:errors<1%',
      '--threshold',
      'ccu>=4',
    ]);
    expect(r.stderr).not.toMatch(/error|failed/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sockets: peak 4 connected, 4 opened/);
    const summary = readSummary(out);
    expect(summary.run.threads).toBe(2);
    expect(summary.totals.peakConnected).toBe(4);
    expect(counts(summary).sent).toEqual(Object.fromEntries(server.received));
    expect(counts(summary).received).toEqual(Object.fromEntries(server.sent));
  });

  it('a failed threshold on a socket message type exits 99, as an HTTP one does', async () => {
    server = await startMatchServer();
    const r = await runCli([
      'run',
      EXAMPLE,
      '--target',
      server.url,
      '--duration',
      '1s',
      '--metrics-linger',
      '0',
      '--out',
      artifacts('threshold'),
      // Push delays are recorded in whole µs from 1 µs up: none is below 1 µs.
      '--threshold',
      'ws moved:p95<0.001',
    ]);
    expect(r.stdout).toMatch(/ws moved:p95<0\.001 +[\d.]+ +FAIL/);
    expect(r.code).toBe(99);
  });

  it('SIGINT with every socket open and waiting: exit 130 within 2 s, interrupted summary, no socket left', async () => {
    server = await startMatchServer();
    const match = server;
    const out = artifacts('sigint');
    const r = await runCli(['run', EXAMPLE, '--target', match.url, '--duration', '60s', '--out', out], {
      signalWhen: () => match.open === 4 && (match.received.get('move') ?? 0) >= 12,
    });
    expect(r.code).toBe(130);
    expect(r.msAfterSignal).toBeLessThan(2000);
    const summary = readSummary(out);
    expect(summary.run.interrupted).toBe(true);
    expect(summary.totals.peakConnected).toBe(4);
    expect(summary.failures).toEqual([]);
    await vi.waitFor(() => expect(match.open).toBe(0));
  });

  it('loadgen check finds a socket request without its reply type; the example passes', async () => {
    const bad = await runCli(['check', join(LOADGEN, 'test', 'fixtures', 'broken', 'ws-type-error.ts')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ws-type-error\.ts:7:18: Expected 2-3 arguments, but got 1\./);
    const good = await runCli(['check', EXAMPLE]);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
  });
});
