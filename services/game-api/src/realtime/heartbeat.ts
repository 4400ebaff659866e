import { CLOSE } from './match-protocol.js';
import type { PlayerConnection } from './player-connection.js';

/** Each pass over the sockets is spread across this many ticks, at least 10 ms apart. */
const TICKS_PER_PASS = 50;
const MIN_TICK_MS = 10;

/**
 * Pings every socket once per `heartbeatMs` and closes one that had not answered its previous
 * ping; terminates a close that has not completed by the next visit (a dead peer never answers
 * the close frame). Each tick visits the next slice of the sockets: pinging 10,000 sockets in one
 * tick stalled the event loop long enough to lift the fan-out p95 from 7 ms to 64-403 ms in
 * bench/ws-scale.ts.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly tickMs: number;
  private readonly ticksPerPass: number;
  /** Where the current pass over the sockets is. */
  private pass: Iterator<PlayerConnection> | undefined;

  constructor(
    private readonly connections: Set<PlayerConnection>,
    private readonly heartbeatMs: number,
  ) {
    this.tickMs = Math.max(MIN_TICK_MS, heartbeatMs / TICKS_PER_PASS);
    this.ticksPerPass = Math.max(1, Math.round(heartbeatMs / this.tickMs));
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
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
      this.visit(next.value, now);
    }
  }

  private visit(conn: PlayerConnection, now: number): void {
    // A socket moves up in the pass when sockets before it close: it is not judged (nor pinged
    // again) before most of an interval has passed since its last visit.
    if (now - conn.lastVisit < this.heartbeatMs * 0.9) return;
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
}
