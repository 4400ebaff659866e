import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { TokenService } from '../auth/token-service.js';
import type { RealtimeConfig } from '../config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { EventBus, MatchEvent } from './event-bus.js';
import type { MatchActions } from './match-actions.js';
import {
  BEARER_PREFIX,
  CLIENT_MESSAGE_TYPES,
  CLOSE,
  type ClientMessage,
  clientMessage,
  type ErrorCode,
  type MessageId,
  SUBPROTOCOL,
} from './match-protocol.js';
import { PlayerConnection } from './player-connection.js';

export const MATCH_CHANNEL_PATH = '/ws';
/** Messages of one socket handled at once; more are refused with `rate_limited`, so a client
 * that floods cannot make the server hold an unbounded number of pending handlers. */
export const MAX_IN_FLIGHT_PER_SOCKET = 64;
/** The heartbeat spreads each pass over the sockets across this many ticks (at least 10 ms). */
const HEARTBEAT_TICKS_PER_PASS = 50;
const MIN_HEARTBEAT_TICK_MS = 10;
/** After the 1001s of a shutdown, sockets get this long to finish their close handshake. */
const SHUTDOWN_CLOSE_GRACE_MS = 2000;

/** Unix ms with a fraction: comparable across processes on one machine, finer than Date.now(). */
export const wallClock = (): number => performance.timeOrigin + performance.now();

export interface MatchChannelDeps {
  settings: RealtimeConfig;
  tokens: TokenService;
  actions: MatchActions;
  bus: EventBus;
  metrics: Metrics;
  logger: Logger;
}

function bearerToken(header: string | undefined): string | undefined {
  for (const protocol of header?.split(',') ?? []) {
    const p = protocol.trim();
    if (p.startsWith(BEARER_PREFIX)) return p.slice(BEARER_PREFIX.length);
  }
  return undefined;
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The WebSocket match channel (`GET /ws`, docs/realtime.md): upgrades, authentication,
 * heartbeats, parsing and dispatch of client messages to `MatchActions`, and delivery of the
 * bus's events to the sockets this process holds.
 */
export class MatchChannel {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<PlayerConnection>();
  private readonly byPlayer = new Map<number, Set<PlayerConnection>>();
  private readonly handling = new Set<Promise<void>>();
  private readonly instance = randomUUID().slice(0, 8);
  private sequence = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private ticksPerPass = 1;
  /** Where the heartbeat's current pass over the sockets is. */
  private pass: Iterator<PlayerConnection> | undefined;
  private closed: Promise<void> | undefined;
  private onEmpty: (() => void) | undefined;
  private readonly ws: Metrics['ws'];

  constructor(private readonly deps: MatchChannelDeps) {
    this.ws = deps.metrics.ws;
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: deps.settings.maxPayload,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
  }

  /** Subscribes to the bus (resolves once subscribed) and starts the heartbeat. */
  start(): Promise<void> {
    const { heartbeatMs } = this.deps.settings;
    const tickMs = Math.max(MIN_HEARTBEAT_TICK_MS, heartbeatMs / HEARTBEAT_TICKS_PER_PASS);
    this.ticksPerPass = Math.max(1, Math.round(heartbeatMs / tickMs));
    this.heartbeat = setInterval(() => this.sweep(), tickMs);
    this.heartbeat.unref();
    return this.deps.bus.start((event) => this.deliver(event));
  }

  /** Serves `GET /ws` on `server`; other upgrade requests get 404. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.closed) return refuseUpgrade(socket, '503 Service Unavailable');
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== MATCH_CHANNEL_PATH) return refuseUpgrade(socket, '404 Not Found');
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
    });
  }

  /** The local sockets of a player (delivery and the actions' replies). */
  socketsOf(playerId: number): Iterable<PlayerConnection> {
    return this.byPlayer.get(playerId) ?? [];
  }

  /**
   * Shutdown: closes every socket with 1001, waits for messages being handled (an `end` writing
   * to MySQL finishes), gives the close handshakes a moment, then unsubscribes.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      clearInterval(this.heartbeat);
      for (const conn of this.connections) conn.close(CLOSE.goingAway, 'server shutdown', 'shutdown');
      await Promise.allSettled([...this.handling]);
      await this.allClosed(SHUTDOWN_CLOSE_GRACE_MS);
      for (const conn of this.connections) conn.terminate('shutdown');
      await this.deps.bus.close();
      this.wss.close();
    })();
    return this.closed;
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const { settings, logger } = this.deps;
    const conn = new PlayerConnection(
      ws,
      `${this.instance}:${++this.sequence}`,
      this.ws,
      settings.maxBufferedBytes,
      logger,
    );
    this.connections.add(conn);
    this.ws.connections.inc();
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already sent the close frame (1009 for an oversized frame, 1002 for a protocol error).
      conn.failed();
      logger.warn({ err: err.message, code: err.code, connection: conn.id }, 'match channel: socket error');
    });
    ws.on('close', () => this.onClose(conn));
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    const token = bearerToken(req.headers['sec-websocket-protocol']);
    if (token === undefined) conn.armAuthTimeout(settings.authTimeoutMs);
    else this.authenticate(conn, token, undefined);
  }

  private authenticate(conn: PlayerConnection, token: string, id: MessageId | undefined): void {
    const player = this.deps.tokens.verify(token);
    if (!player) {
      conn.close(CLOSE.unauthorized, 'invalid or expired token', 'auth');
      return;
    }
    conn.authenticated(player);
    if (!conn.open) return;
    let sockets = this.byPlayer.get(player.userId);
    if (!sockets) {
      sockets = new Set();
      this.byPlayer.set(player.userId, sockets);
    }
    sockets.add(conn);
    conn.send({ type: 'welcome', id, playerId: player.userId, username: player.username, ts: Date.now() });
  }

  private onClose(conn: PlayerConnection): void {
    conn.clearTimers();
    this.connections.delete(conn);
    if (this.connections.size === 0) this.onEmpty?.();
    this.ws.connections.dec();
    this.ws.disconnects.inc({ reason: conn.disconnectReason });
    const player = conn.player;
    if (!player) return;
    const sockets = this.byPlayer.get(player.userId);
    sockets?.delete(conn);
    if (sockets?.size === 0) this.byPlayer.delete(player.userId);
    if (conn.queuedAt !== undefined) this.track(this.deps.actions.disconnected(conn));
  }

  private onMessage(conn: PlayerConnection, data: RawData, isBinary: boolean): void {
    const receivedAt = wallClock();
    const parsed = this.parse(data, isBinary);
    this.ws.messages.inc({ direction: 'in', type: parsed.label });
    if (!conn.player) {
      // Until authenticated, the only acceptable message is a valid `auth`.
      if (parsed.message?.type === 'auth') this.authenticate(conn, parsed.message.token, parsed.message.id);
      else conn.close(CLOSE.unauthorized, 'authenticate first', 'auth');
      return;
    }
    if (!parsed.message) {
      conn.send({ type: 'error', id: parsed.id, code: parsed.code, message: parsed.reason });
      return;
    }
    const message = parsed.message;
    if (message.type === 'auth') {
      conn.send({ type: 'error', id: message.id, code: 'invalid_message', message: 'already authenticated' });
      return;
    }
    if (conn.inFlight >= MAX_IN_FLIGHT_PER_SOCKET) {
      conn.send({
        type: 'error',
        id: message.id,
        code: 'rate_limited',
        message: `at most ${MAX_IN_FLIGHT_PER_SOCKET} messages in flight per socket`,
      });
      return;
    }
    conn.inFlight++;
    this.track(
      this.deps.actions.handle(conn, message, receivedAt).finally(() => {
        conn.inFlight--;
      }),
    );
  }

  private parse(
    data: RawData,
    isBinary: boolean,
  ):
    | { message: ClientMessage; label: string }
    | { message?: undefined; label: string; code: ErrorCode; reason: string; id?: MessageId } {
    if (isBinary) return { label: 'invalid', code: 'bad_json', reason: 'frames are UTF-8 JSON text' };
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return { label: 'invalid', code: 'bad_json', reason: 'not JSON' };
    }
    if (typeof json !== 'object' || json === null || typeof (json as { type?: unknown }).type !== 'string') {
      return {
        label: 'invalid',
        code: 'invalid_message',
        reason: 'a message is an object with a string type',
      };
    }
    const raw = json as { type: string; id?: unknown };
    const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? raw.id : undefined;
    if (!CLIENT_MESSAGE_TYPES.has(raw.type)) {
      return {
        label: 'unknown',
        code: 'unknown_type',
        reason: `unknown type "${raw.type.slice(0, 32)}"`,
        id,
      };
    }
    const checked = clientMessage.safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = issue?.path.join('.') || raw.type;
      return { label: raw.type, code: 'invalid_message', reason: `${where}: ${issue?.message}`, id };
    }
    return { message: checked.data, label: raw.type };
  }

  /** Sends an event to the sockets of its players on this process. */
  deliver(event: MatchEvent): void {
    switch (event.kind) {
      case 'matched': {
        const json = JSON.stringify({
          type: 'matched',
          matchId: event.matchId,
          players: event.players,
          ts: event.ts,
        });
        for (const { playerId } of event.players) {
          for (const conn of this.socketsOf(playerId)) {
            conn.afterQueueReply(() => {
              if (conn.queuedAt !== undefined) {
                this.ws.matchmakingWait.observe((performance.now() - conn.queuedAt) / 1000);
                conn.queuedAt = undefined;
              }
              conn.sendJson(json, 'matched');
            });
          }
        }
        return;
      }
      case 'moved': {
        const json = JSON.stringify({
          type: 'moved',
          matchId: event.matchId,
          playerId: event.playerId,
          points: event.points,
          data: event.data,
          ts: event.ts,
        });
        for (const playerId of event.to) {
          if (playerId === event.playerId) continue;
          for (const conn of this.socketsOf(playerId)) {
            if (conn.sendJson(json, 'moved')) {
              this.ws.fanoutDelay.observe(Math.max(0, wallClock() - event.at) / 1000);
            }
          }
        }
        return;
      }
      case 'ended': {
        const message = {
          type: 'ended',
          matchId: event.matchId,
          results: event.results,
          ts: event.ts,
        } as const;
        const json = JSON.stringify(message);
        for (const playerId of event.to) {
          for (const conn of this.socketsOf(playerId)) {
            if (event.replyTo?.connection === conn.id) conn.send({ ...message, id: event.replyTo.id });
            else conn.sendJson(json, 'ended');
          }
        }
        return;
      }
    }
  }

  /**
   * One heartbeat tick: visits the next slice of the sockets, so that a pass over all of them
   * takes about WS_HEARTBEAT_MS. Pinging 10,000 sockets in one tick stalled the event loop long
   * enough to lift the fan-out p95 from 7 ms to 60-380 ms in bench/ws-scale.ts.
   */
  private sweep(): void {
    const { heartbeatMs } = this.deps.settings;
    const now = performance.now();
    let budget = Math.ceil(this.connections.size / this.ticksPerPass);
    this.pass ??= this.connections.values();
    while (budget-- > 0) {
      const next = this.pass.next();
      if (next.done) {
        // The next pass starts at the next tick, never twice in one.
        this.pass = undefined;
        return;
      }
      this.visit(next.value, now, heartbeatMs);
    }
  }

  /** Pings a socket; closes one that missed its last ping; terminates a close that has not
   * completed by its next visit (a dead peer never answers the close frame). */
  private visit(conn: PlayerConnection, now: number, heartbeatMs: number): void {
    // A socket moves up in the pass when sockets before it close: it is not judged (nor pinged
    // again) before most of an interval has passed since its last visit.
    if (now - conn.lastVisit < heartbeatMs * 0.9) return;
    conn.lastVisit = now;
    if (conn.closing) {
      if (++conn.closingSweeps >= 2) conn.terminate('heartbeat');
    } else if (!conn.alive) {
      conn.close(CLOSE.goingAway, 'heartbeat missed', 'heartbeat');
    } else {
      conn.alive = false;
      conn.socket.ping();
    }
  }

  private track(work: Promise<void>): void {
    this.handling.add(work);
    void work.finally(() => this.handling.delete(work));
  }

  /** Resolves when every socket has closed, or after `graceMs`. */
  private async allClosed(graceMs: number): Promise<void> {
    if (this.connections.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      timer.unref();
      this.onEmpty = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
