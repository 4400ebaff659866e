import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { TokenService } from '../auth/token-service.js';
import type { RealtimeConfig } from '../config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { EventBus, MatchEvent } from './event-bus.js';
import { Heartbeat } from './heartbeat.js';
import type { MatchActions } from './match-actions.js';
import { BEARER_PREFIX, CLOSE, type MessageId, parseClientMessage, SUBPROTOCOL } from './match-protocol.js';
import type { Matchmaker } from './matchmaker.js';
import { PlayerConnection } from './player-connection.js';

const MATCH_CHANNEL_PATH = '/ws';
/** Messages of one socket handled at once; more are refused with `rate_limited`, so a client
 * that floods cannot make the server hold an unbounded number of pending handlers. */
const MAX_IN_FLIGHT_PER_SOCKET = 64;
/** After the 1001s of a shutdown, sockets get this long to finish their close handshake. */
const SHUTDOWN_CLOSE_GRACE_MS = 2000;

/** Unix ms with a fraction: comparable across processes on one machine, finer than Date.now(). */
export const wallClock = (): number => performance.timeOrigin + performance.now();

interface MatchChannelDeps {
  settings: RealtimeConfig;
  tokens: TokenService;
  actions: MatchActions;
  bus: EventBus;
  /** The matchmaker's liveness in Redis, kept while the channel runs; its instance names connections. */
  presence: Pick<Matchmaker, 'instance' | 'startPresence' | 'stopPresence'>;
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
  private sequence = 0;
  private readonly heartbeat: Heartbeat;
  private closed: Promise<void> | undefined;
  private onEmpty: (() => void) | undefined;
  private readonly ws: Metrics['ws'];

  constructor(private readonly deps: MatchChannelDeps) {
    this.ws = deps.metrics.ws;
    this.heartbeat = new Heartbeat(this.connections, deps.settings.heartbeatMs);
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
    this.heartbeat.start();
    this.deps.presence.startPresence();
    return this.deps.bus.start((event) => this.deliver(event));
  }

  /** Serves `GET /ws` on `server`; other upgrade requests get 404. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.closed) return refuseUpgrade(socket, '503 Service Unavailable');
      // Compared as text: `new URL()` throws on request targets such as `//[`, and a throw in
      // this listener would take the process down.
      const target = req.url ?? '/';
      const q = target.indexOf('?');
      const path = q < 0 ? target : target.slice(0, q);
      if (path !== MATCH_CHANNEL_PATH) return refuseUpgrade(socket, '404 Not Found');
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
    });
  }

  /** The sockets of a player on this process. */
  private socketsOf(playerId: number): Iterable<PlayerConnection> {
    return this.byPlayer.get(playerId) ?? [];
  }

  /**
   * Shutdown: takes this process's queued players out of the shared queue, closes every socket
   * with 1001, waits for messages being handled (an `end` writing to MySQL finishes), gives the
   * close handshakes a moment, then unsubscribes.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.heartbeat.stop();
      for (const conn of this.connections) {
        if (conn.queuedAt !== undefined) {
          this.track(this.deps.actions.disconnected(conn));
          conn.queuedAt = undefined;
        }
        conn.close(CLOSE.goingAway, 'server shutdown', 'shutdown');
      }
      await Promise.allSettled([...this.handling]);
      await this.allClosed(SHUTDOWN_CLOSE_GRACE_MS);
      for (const conn of this.connections) conn.terminate('shutdown');
      await this.deps.presence.stopPresence();
      await this.deps.bus.close();
      this.wss.close();
    })();
    return this.closed;
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const { settings, logger } = this.deps;
    const conn = new PlayerConnection(
      ws,
      `${this.deps.presence.instance}:${++this.sequence}`,
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
    const parsed = parseClientMessage(data.toString(), isBinary);
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
                this.ws.matchmakingWait.observe(Math.max(0, wallClock() - conn.queuedAt) / 1000);
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
