import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { VerifiedToken } from '../auth/token-service.js';
import type { DisconnectReason, Metrics } from '../metrics/metrics.js';
import { CLOSE, type ServerMessage } from './match-protocol.js';

/** Node's timers hold at most this many ms; a later token expiry is re-armed on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One socket of the match channel: who it is once authenticated, whether it answered the last
 * ping, its queue state, and every send, which refuses to grow a slow reader's buffer.
 */
export class PlayerConnection {
  /** Set once the token is verified; a socket without it only accepts `auth`. */
  player: VerifiedToken | undefined;
  /** Answered the last ping (or has not been pinged yet). */
  alive = true;
  /** Heartbeat visits since `close` was asked for; the second one terminates. */
  closingSweeps = 0;
  /** `performance.now()` of the heartbeat's last visit. */
  lastVisit = Number.NEGATIVE_INFINITY;
  /** Messages of this socket still being handled. */
  inFlight = 0;
  /** When this socket's `queue` arrived (Unix ms, fractional), until its player is matched or leaves. */
  queuedAt: number | undefined;
  private queueReply: Promise<void> | undefined;
  private reason: DisconnectReason | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    /** Unique across processes: the queue entry and an `end`'s reply name the socket by it. */
    readonly id: string,
    private readonly metrics: Metrics['ws'],
    private readonly maxBufferedBytes: number,
    private readonly logger: Logger,
  ) {}

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get closing(): boolean {
    return this.reason !== undefined;
  }

  /** Why the socket closed: whoever asked first, or the client. */
  get disconnectReason(): DisconnectReason {
    return this.reason ?? 'client';
  }

  /** Sends one message; false when the socket is not open or was closed as a slow consumer. */
  send(message: ServerMessage): boolean {
    return this.sendJson(JSON.stringify(message), message.type);
  }

  /** `send` for a message serialized once for several sockets. */
  sendJson(json: string, type: ServerMessage['type']): boolean {
    if (!this.open) return false;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      // The reader is not keeping up: stop buffering for it. The close frame queues behind what
      // it has not read; the heartbeat terminates the socket if it never gets there.
      this.logger.warn(
        { connection: this.id, playerId: this.player?.userId, bufferedBytes: this.socket.bufferedAmount },
        'match channel: slow consumer closed',
      );
      this.close(CLOSE.slowConsumer, 'slow consumer', 'slow_consumer');
      return false;
    }
    this.socket.send(json);
    this.metrics.messages.inc({ direction: 'out', type });
    return true;
  }

  close(code: number, text: string, reason: DisconnectReason): void {
    this.reason ??= reason;
    this.clearTimers();
    if (this.socket.readyState === WebSocket.CONNECTING || this.socket.readyState === WebSocket.OPEN) {
      this.socket.close(code, text);
    }
  }

  /** ws reported an error and closes the socket itself (with 1009 for an oversized frame). */
  failed(): void {
    this.reason ??= 'error';
    this.clearTimers();
  }

  terminate(reason: DisconnectReason): void {
    this.reason ??= reason;
    this.clearTimers();
    this.socket.terminate();
  }

  /** Closes the socket with 4408 unless it authenticates within `ms`. */
  armAuthTimeout(ms: number): void {
    this.authTimer = setTimeout(() => this.close(CLOSE.authTimeout, 'authentication timeout', 'auth'), ms);
    this.authTimer.unref();
  }

  authenticated(player: VerifiedToken): void {
    this.player = player;
    clearTimeout(this.authTimer);
    this.armExpiry();
  }

  /** Runs `then` once this socket's `queued` reply is out, so `matched` never arrives first. */
  afterQueueReply(then: () => void): void {
    if (this.queueReply) void this.queueReply.then(then);
    else then();
  }

  /** Marks a `queue` request in flight until the returned function is called. */
  queueRequested(): () => void {
    let done!: () => void;
    this.queueReply = new Promise<void>((resolve) => {
      done = resolve;
    });
    return () => {
      this.queueReply = undefined;
      done();
    };
  }

  clearTimers(): void {
    clearTimeout(this.authTimer);
    clearTimeout(this.expiryTimer);
  }

  private armExpiry(): void {
    const left = (this.player?.expiresAt ?? 0) - Date.now();
    if (left <= 0) {
      this.close(CLOSE.unauthorized, 'token expired', 'auth');
      return;
    }
    this.expiryTimer = setTimeout(() => this.armExpiry(), Math.min(left, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }
}
