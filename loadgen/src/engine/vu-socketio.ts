import { durationSecOf } from '../api/duration.js';
import type {
  SocketIoConnectOptions,
  SocketIoReconnect,
  VuSocketIo,
  VuSocketIoClient,
} from '../api/socket-api.js';
import { refusal } from '../api/ws-codecs.js';
import { timeoutMs } from './message-socket.js';
import { SocketIoSocket, type SocketIoTarget } from './socketio-socket.js';
import { tlsConnectOptions } from './tls-options.js';
import { UserStoppedError, type VuHttpSession } from './vu-http.js';
import { bufferSizeOf, type VuWsContext, type VuWsSession, wsUrl } from './vu-ws.js';

const NO_OPTIONS: SocketIoConnectOptions = {};

/** Seconds of a reconnection option, in ms; a bad value is the script's error. */
function msOf(value: number | string | undefined, fallbackMs: number, what: string): number {
  if (value === undefined) return fallbackMs;
  const sec = durationSecOf(value, { allowZero: true });
  if (sec === undefined) {
    throw new Error(`${what}: ${JSON.stringify(value)} is not a duration (try 1, '1s', '500ms')`);
  }
  return sec * 1000;
}

/** The `reconnect` option in ms, with socket.io-client's defaults (1 s doubling to 5 s, no limit). */
function reconnectOf(
  value: boolean | SocketIoReconnect | undefined,
  name: string,
): SocketIoTarget['reconnect'] {
  if (value === undefined || value === false) return undefined;
  const r = value === true ? {} : value;
  const attempts = r.attempts ?? Number.POSITIVE_INFINITY;
  if (!(attempts >= 1)) throw new Error(`${name}: reconnect.attempts ${attempts} must be at least 1`);
  return {
    attempts,
    delayMs: msOf(r.delay, 1000, `${name}: reconnect.delay`),
    delayMaxMs: msOf(r.delayMax, 5000, `${name}: reconnect.delayMax`),
  };
}

const ABSOLUTE = /^(https?|wss?):\/\//i;

/**
 * Where `connect(namespace)` goes, as socket.io-client's `io(namespace)` reads it: a namespace on
 * the target's host (`/chat`), or an absolute URL of another server, whose path is the namespace
 * (`https://chat.example:3000/chat`). Returns the server's base (http[s]://host:port, or
 * undefined for the target) and the namespace.
 */
function splitNamespace(namespace: string, name: string): { base: string | undefined; namespace: string } {
  if (typeof namespace === 'string' && ABSOLUTE.test(namespace)) {
    const u = new URL(namespace);
    return { base: `${u.protocol.replace(/^ws/i, 'http')}//${u.host}`, namespace: u.pathname || '/' };
  }
  if (typeof namespace !== 'string' || !namespace.startsWith('/')) {
    throw new Error(
      `${name}: namespace ${JSON.stringify(namespace)} must start with / (e.g. '/', '/chat') or be a server's URL`,
    );
  }
  return { base: undefined, namespace };
}

/**
 * The Engine.IO WebSocket URL (the server's path, EIO=4, the WebSocket transport, the script's
 * query) and, when it is not the target's, its origin (as `wsUrl` says).
 */
function socketIoUrl(
  target: string,
  base: string | undefined,
  path: string,
  query: SocketIoConnectOptions['query'],
): { url: string; origin: string | undefined } {
  const where =
    base === undefined ? path : `${base.replace(/^http/i, 'ws')}${path.startsWith('/') ? path : `/${path}`}`;
  const { url, origin } = wsUrl(target, where);
  const u = new URL(url);
  u.searchParams.set('EIO', '4');
  u.searchParams.set('transport', 'websocket');
  for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, String(v));
  return { url: u.href, origin };
}

/**
 * One user's Socket.IO sockets (`vu.socketio`): each `connect` opens its own Engine.IO
 * connection, to the target's host or another server's, carrying cookies and default headers as
 * a WebSocket's handshake does (the default headers only to the target's host). The sockets are the user's as its WebSockets are: held by its
 * VuWsSession, interrupted and closed with them.
 */
export class VuSocketIoSession implements VuSocketIoClient {
  constructor(
    private readonly ctx: VuWsContext,
    private readonly http: VuHttpSession,
    private readonly owner: VuWsSession,
  ) {}

  async connect(namespace = '/', options: SocketIoConnectOptions = NO_OPTIONS): Promise<VuSocketIo> {
    const owner = this.owner;
    if (owner.stopped) throw new UserStoppedError();
    const name = options.name ?? 'sio connect';
    const { base, namespace: nsp } = splitNamespace(namespace, name);
    const auth = options.auth;
    if (auth !== undefined && (refusal(auth) !== undefined || Array.isArray(auth))) {
      throw new TypeError(`${name}: auth must be a plain object (socket.handshake.auth on the server)`);
    }
    const { url, origin } = socketIoUrl(this.ctx.target, base, options.path ?? '/socket.io/', options.query);
    const socket = new SocketIoSocket(owner, {
      endpoint: {
        owner,
        url,
        // As a WebSocket's: the default headers on the target's host only, the origin's cookies.
        headers: this.http.handshakeHeaders(
          { headers: options.headers, defaultHeaders: options.defaultHeaders },
          origin,
        ),
        tls: tlsConnectOptions(this.ctx.http.tls),
        namespace: nsp,
        auth,
        name,
        limitMs: timeoutMs(options.timeout, owner.timeoutMs, name),
        sockets: this.ctx.sockets,
      },
      namespace: nsp,
      timestampField: options.timestampField ?? 'ts',
      bufferSize: bufferSizeOf(options.bufferSize, name),
      reconnect: reconnectOf(options.reconnect, name),
    });
    await socket.connect(owner.takeStart());
    owner.hold(socket);
    return socket;
  }
}
