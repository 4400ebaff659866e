import type { ScenarioOptionsInput } from './options-schema.js';
import type { VuSocketIoClient, VuWs } from './socket-api.js';

export type * from './socket-api.js';

/**
 * The scripting API: what a scenario file imports from '@game-load-lab/loadgen'. A scenario is
 * options plus what every virtual user does: `setup` once, then `iteration` in a loop (or one of
 * `tasks`, picked by weight, as Locust's @task does), then `teardown` when the run stops it.
 * The engine under it knows nothing of the API being tested.
 */

/** Options of one `vu.http` request. */
export interface RequestOptions {
  /** A JSON body: serialised, sent with `content-type: application/json` unless `headers` set one. */
  json?: unknown;
  /**
   * A raw body, sent as it is: a string as its UTF-8 bytes, a `Uint8Array` (a `Buffer`) or an
   * `ArrayBuffer` as those bytes (msgpack, protobuf...). No content-type is added: set one in `headers`.
   */
  body?: string | Uint8Array | ArrayBuffer;
  /** Headers of this request, over `vu.http.headers`. */
  headers?: Record<string, string>;
  /** Appended to the path as `?name=value&...`, URL-encoded. */
  query?: Record<string, string | number | boolean>;
  /**
   * The endpoint name in every table, metric and threshold: a route template such as
   * `POST /api/sessions/:id/score`, so that every session id counts as one endpoint.
   * Default: the method and the path without its query string.
   */
  name?: string;
  /** Statuses that count as success though they are >= 400 (e.g. [409] for "already registered"). */
  expectedStatuses?: readonly number[];
  /**
   * Send `vu.http.headers` with this request. Default: true to the target's origin, false to any
   * other (a bearer token stays home unless a request asks, with `true`, to take it along).
   */
  defaultHeaders?: boolean;
  /**
   * Ask for a compressed response (`accept-encoding: gzip, deflate, br`, unless `headers` set
   * one) and decode it: `body`, `json()` and `bytes()` read the decoded body; the endpoint counts
   * the bytes on the wire (`bytes`) and decoded (`decodedBytes`). Default: the scenario's
   * `http.decompress` (false).
   */
  decompress?: boolean;
  /**
   * Follow up to this many redirects (301, 302, 303, 307, 308 with a Location). Each hop is a
   * request of its own under this request's endpoint name (its 3xx in the status counts); one
   * more redirect than allowed is a `too_many_redirects` error and that 3xx is the response.
   * 303 (and 301/302 after a POST) continue as GET without the body. A hop to another origin
   * takes neither `vu.http.headers` nor this request's `authorization` and `cookie` headers.
   * Default: the scenario's `http.redirects` (0: a 3xx is the response).
   */
  redirects?: number;
  /**
   * Count the response's bytes but keep neither body nor headers (less work per request at high
   * rates, like k6's discardResponseBodies); `body` is then "" and no cookie is stored (unless
   * `decompress` or `redirects` make loadgen read the response anyway).
   */
  discardBody?: boolean;
}

/** A response; a request that got none (refused, reset, timed out) throws a RequestFailedError. */
export interface VuResponse {
  status: number;
  /** Header names in lower case; repeated headers joined by ", " (set-cookie by "\n"). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text (bytes that are not UTF-8 become U+FFFD: read those with `bytes()`). */
  readonly body: string;
  /** The URL that answered: the request's own, or where its redirects led. */
  readonly url: string;
  /** The body parsed as JSON; throws (failing the iteration as a script_error) when it is not JSON. */
  json<T = unknown>(): T;
  /** The body's bytes as received (decoded when the request asked to `decompress`); empty when discarded. */
  bytes(): Uint8Array;
}

/**
 * A user's HTTP session. `path` is a path on the target (`/api/me`, after the target's own base
 * path) or an absolute `http://` / `https://` URL on any host, each origin with its own pool of
 * connections (https:// on undici, http:// on the lean client).
 */
export interface VuHttp {
  /**
   * Sent with every request of this user to the target's origin (unless `defaultHeaders: false`):
   * e.g. a bearer token. Another origin gets them only when a request says `defaultHeaders: true`.
   */
  headers: Record<string, string>;
  /**
   * This user's cookies of the target's origin: set from its Set-Cookie, sent back to it only.
   * Another origin's cookies are kept apart, per origin (scheme, host and port: stricter than a
   * browser, which shares a host's cookies across ports), and go only to that origin.
   */
  cookies: Record<string, string>;
  get(path: string, options?: RequestOptions): Promise<VuResponse>;
  post(path: string, options?: RequestOptions): Promise<VuResponse>;
  put(path: string, options?: RequestOptions): Promise<VuResponse>;
  patch(path: string, options?: RequestOptions): Promise<VuResponse>;
  delete(path: string, options?: RequestOptions): Promise<VuResponse>;
  request(method: string, path: string, options?: RequestOptions): Promise<VuResponse>;
}

/**
 * A sample's tags, e.g. `{ region: 'eu' }`: only keys its metric declares in
 * `options.metrics[name].tags`; each tag set is also a series of its own, `name{region=eu}`.
 */
export type Tags = Readonly<Record<string, string | number | boolean>>;

/** Options of `vu.time`. */
export interface TimeOptions {
  /** Tags of this sample (declared in options.metrics). */
  tags?: Tags;
}

/** Options of `vu.record`. */
export interface RecordOptions {
  /** Tags of this sample (declared in options.metrics). */
  tags?: Tags;
  /**
   * The measured operation failed: counted as an error of the name, of this kind (a string such
   * as 'room_full'; an Error gives its code or name, as a throw in `vu.time` does; true: 'failed').
   */
  error?: boolean | string | Error;
}

/**
 * Counters, rates and gauges named by the script (k6's Counter, Rate and Gauge; a Trend is
 * `vu.time` / `vu.record`). Each is summed over every user, thread and segment; declare them in
 * `options.metrics` to have their thresholds checked before the run.
 */
export interface VuMetrics {
  /** Add `n` (default 1, >= 0) to the counter `name`: its total and per second. */
  count(name: string, n?: number, tags?: Tags): void;
  /** Count `ok` into the rate `name`: the share of true (threshold `name:rate>0.95`). */
  rate(name: string, ok: boolean, tags?: Tags): void;
  /** Set the gauge `name` to `value`: its last value, min and max. */
  gauge(name: string, value: number, tags?: Tags): void;
}

/** One virtual user, as its scenario sees it. */
export interface Vu<State = Record<string, unknown>, Row = Record<string, string>> {
  /** Unique in the whole run, across threads and segments (0, 1, 2...). */
  readonly id: number;
  /** Unique across runs, segments and machines, e.g. lg_3f9a2c1b_0_0_17: for naming accounts. */
  readonly tag: string;
  /** Iterations this user started before the current one (0 in the first). */
  readonly iteration: number;
  /** This user's own state, from the scenario's `state()`. */
  state: State;
  /** This user's row of the data file (`options.data`); no two segments share a row. */
  readonly data: Row;
  /** The run's target, e.g. `http://localhost:8000` (no trailing slash): for an SDK's base URL. */
  readonly target: string;
  readonly http: VuHttp;
  /** The user's WebSockets; they close when the user stops. */
  readonly ws: VuWs;
  /** The user's Socket.IO sockets; they close when the user stops. */
  readonly socketio: VuSocketIoClient;
  /** False once the run has asked this user to stop: a loop inside setup should end. */
  readonly active: boolean;
  /** Wait `min` seconds, or a uniform draw in [min, max]; cut short when the run stops. */
  think(min: number, max?: number): Promise<void>;
  /** Count `condition` under `label` (passes and fails per label in the summary); returns it. */
  check(label: string, condition: boolean): boolean;
  /**
   * Run `fn` and time it under `name` (ms), as an endpoint is: tables, thresholds, compare,
   * report. Resolves with `fn`'s result. A throw is counted as an error of `name` (its kind:
   * the error's code, else its name, else script_error) and reaches the script as it was thrown:
   * caught, or ending the iteration without being counted again as a script error.
   */
  time<T>(name: string, fn: () => T | Promise<T>, options?: TimeOptions): Promise<T>;
  /**
   * Record a value measured elsewhere (an SDK's callback, a server's timestamp) under `name`: ms,
   * or the unit `options.metrics` declares for it. `null` with `{ error }`: a failure without a value.
   */
  record(name: string, value: number | null, options?: RecordOptions): void;
  /** Counters, rates and gauges. */
  readonly metrics: VuMetrics;
}

/** One of the weighted tasks a user picks from per iteration. */
export interface Task<State, Row> {
  /** Relative frequency. Default 1. */
  weight?: number;
  run(vu: Vu<State, Row>): Promise<void> | void;
}

export interface ScenarioDefinition<State = Record<string, unknown>, Row = Record<string, string>> {
  options: ScenarioOptionsInput;
  /** A fresh state object per user. Default: {}. */
  state?: (vu: Pick<Vu<State, Row>, 'id' | 'tag' | 'data'>) => State;
  /** Once per user, before its loop, measured as setup (e.g. register and log in). */
  setup?(vu: Vu<State, Row>): Promise<void> | void;
  /** The loop: called again and again (closed model) or once per arrival (open model). */
  iteration?(vu: Vu<State, Row>): Promise<void> | void;
  /** Instead of `iteration`: each iteration runs one task, picked by weight. */
  tasks?: ReadonlyArray<Task<State, Row>>;
  /** Once per user whose setup finished, when the run stops it. */
  teardown?(vu: Vu<State, Row>): Promise<void> | void;
}

/**
 * A setup a JSON scenario can name (`"setup": "./game.ts#gamePlayer"`, an export of a script): the
 * users' setup, and how to get a fresh credential when a request answers 401 (the JSON steps then
 * retry once).
 */
export interface SetupAlias<State = unknown, Row = unknown> {
  /** A fresh state object per user, which the setup reads and the steps' {{templates}} too. Default: {}. */
  state?: (vu: Pick<Vu<State, Row>, 'id' | 'tag' | 'data'>) => State;
  setup(vu: Vu<State, Row>): Promise<void> | void;
  reauthenticate?(vu: Vu<State, Row>): Promise<void> | void;
}

/** A scenario as `defineScenario` returns it; the brand lets the loader tell it from anything else. */
export type Scenario<State = Record<string, unknown>, Row = Record<string, string>> = ScenarioDefinition<
  State,
  Row
> & { readonly [SCENARIO_BRAND]: true };

/** Symbol.for, so a scenario made by another copy of loadgen (src or dist) is recognised. */
const SCENARIO_BRAND: unique symbol = Symbol.for('game-load-lab.scenario') as never;

/**
 * Declare a scenario: `export default defineScenario({ options, setup, iteration })`.
 * The state type is inferred from `state`; the data row type is the second type parameter.
 */
export function defineScenario<State = Record<string, unknown>, Row = Record<string, string>>(
  definition: ScenarioDefinition<State, Row>,
): Scenario<State, Row> {
  return { ...definition, [SCENARIO_BRAND]: true as const };
}

export function isScenario(value: unknown): value is Scenario<unknown, unknown> {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCENARIO_BRAND] === true
  );
}

/**
 * A request that got no response: already counted under its endpoint with its failure kind
 * (connection_refused, timeout...), so the engine does not count it again as a script error.
 */
export class RequestFailedError extends Error {
  readonly kind: string;
  constructor(endpoint: string, kind: string, message: string) {
    super(`${endpoint}: ${message}`);
    this.name = 'RequestFailedError';
    this.kind = kind;
  }
}
