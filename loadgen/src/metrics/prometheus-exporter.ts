import { collectDefaultMetrics, Registry } from 'prom-client';
import { windowSaturated } from '../model/generator-saturation.js';
import type { ThreadHealth } from '../model/generator-schema.js';
import { labelled } from './metric-tags.js';
import { bucketValues, customMetric, quantileValues, WS_BUCKETS_SEC } from './prometheus-values.js';
import type { RunAggregator } from './run-aggregator.js';
import type { MessageTotals } from './socket-totals.js';

/** Build the registry of the loadgen_* metrics (docs/design.md, "Metric names") over a running aggregator. */
export function createLoadgenRegistry(
  agg: RunAggregator,
  run: { testid: string; scenario: string },
): Registry {
  const registry = new Registry();
  const base = { testid: run.testid, scenario: run.scenario };
  const http = () => [...agg.endpoints].filter(([, t]) => t.kind === 'http');
  const ws = () => [...agg.endpoints].filter(([, t]) => t.kind === 'ws');
  const messageLabels = (m: MessageTotals) => ({
    ...base,
    protocol: m.protocol ?? 'websocket',
    type: m.type,
  });
  /** A sent and a received series per message name, of the figures `pick` takes. */
  const bothWays = (pick: (m: MessageTotals) => [number, number]) =>
    [...agg.sockets.messages.values()].flatMap((m) => {
      const [sent, received] = pick(m);
      return [
        { labels: { ...messageLabels(m), direction: 'sent' }, value: sent },
        { labels: { ...messageLabels(m), direction: 'received' }, value: received },
      ];
    });
  const trends = (ms: boolean) =>
    [...agg.endpoints].filter(([, t]) => t.kind === 'custom' && (t.unit === 'ms') === ms);
  const metricsOf = <K extends 'count' | 'passes' | 'value'>(key: K) =>
    [...agg.metrics.byName].flatMap(([name, m]) =>
      key in m ? [[name, m as Extract<typeof m, Record<K, number>>] as const] : [],
    );
  const metrics = [
    customMetric(
      'loadgen_request_duration_seconds',
      'Request latency as loadgen measured it.',
      'histogram',
      () =>
        http().flatMap(([endpoint, t]) =>
          bucketValues(t.histogram, { ...base, endpoint }, 'loadgen_request_duration_seconds'),
        ),
    ),
    customMetric('loadgen_requests_total', 'Requests completed (status 0 = no response).', 'counter', () =>
      http().flatMap(([endpoint, t]) =>
        [...t.statusCounts].map(([status, value]) => ({ labels: { ...base, endpoint, status }, value })),
      ),
    ),
    customMetric(
      'loadgen_errors_total',
      'Failed requests by kind (http_<status>, timeout...).',
      'counter',
      () =>
        http().flatMap(([endpoint, t]) =>
          [...t.errorKinds].map(([error, value]) => ({ labels: { ...base, endpoint, error }, value })),
        ),
    ),
    customMetric('loadgen_virtual_users', 'Virtual users running.', 'gauge', () => [
      { labels: base, value: agg.activeUsers },
    ]),
    customMetric(
      'loadgen_dropped_iterations_total',
      'Open-model iterations dropped for lack of a free user.',
      'counter',
      () => [{ labels: base, value: agg.dropped }],
    ),
    // Sockets (vu.ws): only series that exist, so a run without sockets shows none.
    customMetric(
      'loadgen_ws_connected',
      'Sockets open (CCU) at the end of the latest window.',
      'gauge',
      () => (agg.peakConnected === undefined ? [] : [{ labels: base, value: agg.connected }]),
    ),
    customMetric(
      'loadgen_ws_connected_peak',
      'The most sockets open at once so far (CCU peak).',
      'gauge',
      () => (agg.peakConnected === undefined ? [] : [{ labels: base, value: agg.peakConnected }]),
    ),
    customMetric('loadgen_ws_connects_total', 'Socket handshakes that succeeded.', 'counter', () =>
      agg.peakConnected === undefined ? [] : [{ labels: base, value: agg.sockets.connects }],
    ),
    customMetric(
      'loadgen_ws_messages_total',
      'Socket messages by direction (sent, received), protocol (websocket, socket.io) and type.',
      'counter',
      () => bothWays((m) => [m.sent, m.received]),
    ),
    customMetric(
      'loadgen_ws_message_bytes_total',
      'Socket message payload bytes (before permessage-deflate) by direction, protocol and type.',
      'counter',
      () => bothWays((m) => [m.sentBytes, m.receivedBytes]),
    ),
    customMetric(
      'loadgen_ws_dropped_messages_total',
      'Received socket messages dropped unread from a full per-socket buffer.',
      'counter',
      () =>
        [...agg.sockets.messages.values()]
          .filter((m) => m.dropped > 0)
          .map((m) => ({ labels: messageLabels(m), value: m.dropped })),
    ),
    customMetric(
      'loadgen_ws_wire_bytes_total',
      "Bytes the closed sockets' connections carried (frames, handshake, after compression), by direction.",
      'counter',
      () =>
        agg.peakConnected === undefined
          ? []
          : [
              { labels: { ...base, direction: 'sent' }, value: agg.sockets.wireSent },
              { labels: { ...base, direction: 'received' }, value: agg.sockets.wireReceived },
            ],
    ),
    customMetric('loadgen_ws_reconnects_total', 'Socket.IO reconnections that succeeded.', 'counter', () =>
      agg.sockets.reconnects === 0 ? [] : [{ labels: base, value: agg.sockets.reconnects }],
    ),
    customMetric('loadgen_ws_closes_total', 'Sockets closed, by close code.', 'counter', () =>
      [...agg.sockets.closeCodes].map(([code, value]) => ({ labels: { ...base, code }, value })),
    ),
    customMetric(
      'loadgen_ws_duration_seconds',
      'Socket handshake (ws connect), request-to-reply (ws <request type>) and push delay (ws <type>); of the failures only timeouts are timed.',
      'histogram',
      () =>
        ws().flatMap(([endpoint, t]) =>
          bucketValues(t.histogram, { ...base, endpoint }, 'loadgen_ws_duration_seconds', WS_BUCKETS_SEC),
        ),
    ),
    customMetric(
      'loadgen_ws_errors_total',
      'Failed socket handshakes and waits by kind (ws_timeout, ws_closed, http_<status>...); only timeouts add to the durations.',
      'counter',
      () =>
        ws().flatMap(([endpoint, t]) =>
          [...t.errorKinds].map(([error, value]) => ({ labels: { ...base, endpoint, error }, value })),
        ),
    ),
    // Custom measurements (vu.time, vu.record, vu.metrics), labelled by the script's names.
    customMetric(
      'loadgen_custom_duration_seconds',
      'Custom trends in ms (vu.time, vu.record), by name.',
      'histogram',
      () =>
        labelled(trends(true)).flatMap(([labels, t]) =>
          bucketValues(
            t.histogram,
            { ...base, ...labels },
            'loadgen_custom_duration_seconds',
            WS_BUCKETS_SEC,
          ),
        ),
    ),
    customMetric(
      'loadgen_custom_value',
      'Custom trends of another unit (options.metrics), by name: quantiles over the run.',
      'summary',
      () =>
        labelled(trends(false)).flatMap(([labels, t]) =>
          quantileValues(t.histogram, { ...base, ...labels, unit: t.unit }, 'loadgen_custom_value'),
        ),
    ),
    customMetric(
      'loadgen_custom_errors_total',
      'Failed custom measurements by name and kind.',
      'counter',
      () =>
        labelled([...agg.endpoints].filter(([, t]) => t.kind === 'custom')).flatMap(([labels, t]) =>
          [...t.errorKinds].map(([error, value]) => ({ labels: { ...base, ...labels, error }, value })),
        ),
    ),
    customMetric('loadgen_custom_counter_total', 'Custom counters (vu.metrics.count).', 'counter', () =>
      labelled(metricsOf('count')).map(([labels, m]) => ({ labels: { ...base, ...labels }, value: m.count })),
    ),
    customMetric(
      'loadgen_custom_rate_total',
      'Custom rates (vu.metrics.rate): how often each result was counted.',
      'counter',
      () =>
        labelled(metricsOf('passes')).flatMap(([labels, m]) => [
          { labels: { ...base, ...labels, result: 'true' }, value: m.passes },
          { labels: { ...base, ...labels, result: 'false' }, value: m.fails },
        ]),
    ),
    customMetric(
      'loadgen_custom_gauge',
      "Custom gauges (vu.metrics.gauge): each thread's last value in the latest window, summed.",
      'gauge',
      () =>
        labelled(metricsOf('value')).map(([labels, m]) => ({
          labels: { ...base, ...labels },
          value: m.value,
        })),
    ),
    customMetric('loadgen_checks_total', 'vu.check results by label.', 'counter', () =>
      [...agg.checks].flatMap(([check, [passes, fails]]) => [
        { labels: { ...base, check, result: 'pass' }, value: passes },
        { labels: { ...base, check, result: 'fail' }, value: fails },
      ]),
    ),
    customMetric(
      'loadgen_script_errors_total',
      "Exceptions the scenario's code threw (each failed its setup, iteration or teardown).",
      'counter',
      () => [{ labels: base, value: agg.scriptErrors }],
    ),
    // The generator's own health in the latest window, per thread that runs users,
    // beside the main thread's default process series below.
    customMetric(
      'loadgen_generator_busy_ratio',
      "Share of the latest window each thread's event loop was running code (0..1).",
      'gauge',
      () =>
        (agg.generator?.threads ?? []).map((t) => ({ labels: { ...base, thread: t.thread }, value: t.busy })),
    ),
    // One gauge per figure: a gauge's series must not carry a `quantile` label (that is a
    // summary's, whose _sum and _count these window figures do not have).
    ...(
      [
        ['p50', 'p50', (t: ThreadHealth) => t.loopP50Ms],
        ['p99', 'p99', (t: ThreadHealth) => t.loopP99Ms],
        ['max', 'most', (t: ThreadHealth) => t.loopMaxMs],
      ] as const
    ).map(([figure, what, pick]) =>
      customMetric(
        `loadgen_generator_event_loop_delay_${figure}_seconds`,
        `Each thread's event-loop delay in the latest window: its ${what}.`,
        'gauge',
        () =>
          (agg.generator?.threads ?? []).map((t) => ({
            labels: { ...base, thread: t.thread },
            value: pick(t) / 1000,
          })),
      ),
    ),
    customMetric(
      'loadgen_generator_cpu_ratio',
      "The process's CPU time over the latest window's wall time (1 = one core).",
      'gauge',
      () => (agg.generator === undefined ? [] : [{ labels: base, value: agg.generator.cpu }]),
    ),
    customMetric(
      'loadgen_generator_saturated',
      'Whether the latest window passed the saturation rule (1) or not (0).',
      'gauge',
      () =>
        agg.generator === undefined ? [] : [{ labels: base, value: windowSaturated(agg.generator) ? 1 : 0 }],
    ),
  ];
  for (const m of metrics) registry.registerMetric(m as unknown as Parameters<Registry['registerMetric']>[0]);
  collectDefaultMetrics({ register: registry, prefix: 'loadgen_' });
  return registry;
}
