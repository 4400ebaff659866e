/** What one part's sockets did during one window, ready to post with its WindowReport. */
export interface SocketWindowReport {
  /** Sockets open at the window's end. */
  connected: number;
  /** The most sockets open at once during the window. */
  connectedPeak: number;
  /** Handshakes that succeeded during the window. */
  connects: number;
  /** Messages by type. */
  sent: Record<string, number>;
  received: Record<string, number>;
  /** Received messages dropped from a full per-socket buffer, by type. */
  dropped: Record<string, number>;
  /** Sockets closed during the window, by close code (1006: the connection was lost). */
  closeCodes: Record<string, number>;
}

const bump = (m: Map<string, number>, key: string): void => {
  m.set(key, (m.get(key) ?? 0) + 1);
};

/**
 * The connected-socket count (CCU) and per-type message counts of one part. Message types are
 * whatever strings the script's messages carry: nothing here knows a protocol.
 */
export class SocketCounters {
  /** Sockets open now. */
  connected = 0;
  private peak = 0;
  private connects = 0;
  /** Set by the first connect attempt: a part that never opened a socket reports no socket figures. */
  private used = false;
  private readonly sent = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private readonly dropped = new Map<string, number>();
  private readonly closeCodes = new Map<string, number>();

  attempted(): void {
    this.used = true;
  }

  opened(): void {
    this.used = true;
    this.connects++;
    this.connected++;
    if (this.connected > this.peak) this.peak = this.connected;
  }

  closed(code: number): void {
    this.connected--;
    bump(this.closeCodes, String(code));
  }

  sentMessage(type: string): void {
    bump(this.sent, type);
  }

  receivedMessage(type: string): void {
    bump(this.received, type);
  }

  droppedMessage(type: string): void {
    bump(this.dropped, type);
  }

  /** The window's figures; the next window's peak starts from the sockets open now. */
  flush(connectedAtEnd: number = this.connected): SocketWindowReport | undefined {
    if (!this.used) return undefined;
    const report: SocketWindowReport = {
      connected: connectedAtEnd,
      connectedPeak: Math.max(this.peak, connectedAtEnd),
      connects: this.connects,
      sent: Object.fromEntries(this.sent),
      received: Object.fromEntries(this.received),
      dropped: Object.fromEntries(this.dropped),
      closeCodes: Object.fromEntries(this.closeCodes),
    };
    this.peak = this.connected;
    this.connects = 0;
    this.sent.clear();
    this.received.clear();
    this.dropped.clear();
    this.closeCodes.clear();
    return report;
  }
}
