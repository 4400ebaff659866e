import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** OpenTelemetry HTTP server duration buckets (semconv), in seconds. */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Fan-out delay buckets, in seconds: fine below 10 ms, where a healthy channel delivers. */
const FANOUT_DELAY_BUCKETS = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1,
];
/** Matchmaking wait buckets, in seconds. */
const MATCHMAKING_WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export type DisconnectReason = 'client' | 'heartbeat' | 'slow_consumer' | 'auth' | 'shutdown' | 'error';

type CacheName = 'profile' | 'leaderboard';
type CacheResult = 'hit' | 'miss' | 'error';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
  cacheRequests: Counter<'cache' | 'result'>;
  faultDelay: Gauge<'route' | 'mode'>;
  recordCache(cache: CacheName, result: CacheResult): void;
  ws: {
    connections: Gauge;
    messages: Counter<'direction' | 'type'>;
    matchmakingWait: Histogram;
    fanoutDelay: Histogram;
    disconnects: Counter<'reason'>;
  };
}

/** What `game_api_build_info` says: the package version and the source revision it was built from. */
interface BuildInfo {
  version: string;
  revision: string;
}

interface MetricsSources {
  poolStats(): { inUse: number; idle: number; waiting: number; acquireTimeouts: number };
  /** Players waiting in the matchmaking queue (a Redis read); rejects when Redis is away. */
  matchmakingQueueLength(): Promise<number>;
}

/**
 * All of game-api's Prometheus metrics in one registry (names per docs/design.md, "Metric names"; dashboards and the
 * lab's end-to-end test query them by these names).
 */
export function createMetrics(sources: MetricsSources, build: BuildInfo): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // The info-gauge convention (as prometheus_build_info): always 1, the build in its labels, so a
  // load test records which build it measured (loadgen's run.provenance.target).
  new Gauge({
    name: 'game_api_build_info',
    help: 'Always 1; labels: the package version and the source revision (BUILD_REVISION) of this build.',
    labelNames: ['version', 'revision'] as const,
    registers: [registry],
  }).set(build, 1);

  const httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests, by route template.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  const cacheRequests = new Counter({
    name: 'game_api_cache_requests_total',
    help: 'Cache look-ups by cache and result (hit, miss, error = Redis unavailable).',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  const faultDelay = new Gauge({
    name: 'game_api_fault_delay_ms',
    help: 'Injected fault delay in milliseconds (0 = off), by target route and mode.',
    labelNames: ['route', 'mode'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'game_api_db_pool_connections',
    help: 'MySQL pool: connections in use and idle, and requests waiting for a connection.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = sources.poolStats();
      this.set({ state: 'in_use' }, s.inUse);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  // The pool keeps the running total; the counter catches up with it at each scrape.
  let acquireTimeoutsCounted = 0;
  new Counter({
    name: 'game_api_db_acquire_timeouts_total',
    help: 'MySQL pool: requests that got no connection within DB_ACQUIRE_TIMEOUT_MS (answered 503).',
    registers: [registry],
    collect() {
      const total = sources.poolStats().acquireTimeouts;
      this.inc(total - acquireTimeoutsCounted);
      acquireTimeoutsCounted = total;
    },
  });
  new Gauge({
    name: 'game_api_ws_matchmaking_queue_length',
    help: 'Players waiting in the matchmaking queue (shared by every process; NaN while Redis is unreachable).',
    registers: [registry],
    async collect() {
      this.set(await sources.matchmakingQueueLength().catch(() => Number.NaN));
    },
  });
  return {
    registry,
    httpDuration,
    cacheRequests,
    faultDelay,
    recordCache: (cache, result) => cacheRequests.inc({ cache, result }),
    ws: {
      connections: new Gauge({
        name: 'game_api_ws_connections',
        help: 'Open match-channel sockets on this process, authenticated or not.',
        registers: [registry],
      }),
      messages: new Counter({
        name: 'game_api_ws_messages_total',
        help: 'Match-channel messages by direction (in, out) and type (in: "invalid" when unreadable).',
        labelNames: ['direction', 'type'] as const,
        registers: [registry],
      }),
      matchmakingWait: new Histogram({
        name: 'game_api_ws_matchmaking_wait_seconds',
        help: "Time from a player's queue message to their match, for players on this process.",
        buckets: MATCHMAKING_WAIT_BUCKETS,
        registers: [registry],
      }),
      fanoutDelay: new Histogram({
        name: 'game_api_ws_fanout_delay_seconds',
        help: 'Time from the server receiving a message to sending what it caused to each recipient socket (recorded by the delivering process).',
        buckets: FANOUT_DELAY_BUCKETS,
        registers: [registry],
      }),
      disconnects: new Counter({
        name: 'game_api_ws_disconnects_total',
        help: 'Closed match-channel sockets by reason: client, heartbeat, slow_consumer, auth, shutdown, error.',
        labelNames: ['reason'] as const,
        registers: [registry],
      }),
    },
  };
}
