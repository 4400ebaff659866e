/** Frames and payload bytes of one message name (`ws <type>`, `sio <event>`). */
export interface MessageCounts {
  sent: number;
  received: number;
  /** Received, dropped from a full per-socket buffer unread. */
  dropped: number;
  /** Payload bytes (before permessage-deflate; with binary attachments for Socket.IO). */
  sentBytes: number;
  receivedBytes: number;
}

/** What one part's sockets did during one window, ready to post with its WindowReport. */
export interface SocketWindowReport {
  /** Sockets open at the window's end. */
  connected: number;
  /** The most sockets open at once during the window. */
  connectedPeak: number;
  /** Handshakes that succeeded during the window. */
  connects: number;
  /** Socket.IO reconnections that succeeded during the window (counted in `connects` too). */
  reconnects: number;
  /** By message name: `ws <type>` (vu.ws) or `sio <event>` (vu.socketio). */
  messages: Record<string, MessageCounts>;
  /** Sockets closed during the window, by close code (1006: the connection was lost). */
  closeCodes: Record<string, number>;
  /** Bytes on the connections of the sockets closed during the window (frames, handshake, after compression). */
  wireSent: number;
  wireReceived: number;
}

/**
 * The connected-socket count (CCU) and per-message counts of one part. Message types are whatever
 * strings the script's messages carry: nothing here knows a protocol.
 */
export class SocketCounters {
  /** Sockets open now. */
  connected = 0;
  private peak = 0;
  private connects = 0;
  private reconnects = 0;
  /** Set by the first connect attempt: a part that never opened a socket reports no socket figures. */
  private used = false;
  private messages = new Map<string, MessageCounts>();
  private readonly closeCodes = new Map<string, number>();
  private wireSent = 0;
  private wireReceived = 0;

  attempted(): void {
    this.used = true;
  }

  opened(): void {
    this.used = true;
    this.connects++;
    this.connected++;
    if (this.connected > this.peak) this.peak = this.connected;
  }

  reconnected(): void {
    this.reconnects++;
  }

  /** A socket closed; `wire*`: the bytes its connection carried each way. */
  closed(code: number, wireSent = 0, wireReceived = 0): void {
    this.connected--;
    this.closeCodes.set(String(code), (this.closeCodes.get(String(code)) ?? 0) + 1);
    this.wireSent += wireSent;
    this.wireReceived += wireReceived;
  }

  private of(name: string): MessageCounts {
    let m = this.messages.get(name);
    if (m === undefined) {
      m = { sent: 0, received: 0, dropped: 0, sentBytes: 0, receivedBytes: 0 };
      this.messages.set(name, m);
    }
    return m;
  }

  sentMessage(name: string, bytes: number): void {
    const m = this.of(name);
    m.sent++;
    m.sentBytes += bytes;
  }

  receivedMessage(name: string, bytes: number): void {
    const m = this.of(name);
    m.received++;
    m.receivedBytes += bytes;
  }

  droppedMessage(name: string): void {
    this.of(name).dropped++;
  }

  /** The window's figures; the next window's peak starts from the sockets open now. */
  flush(connectedAtEnd: number = this.connected): SocketWindowReport | undefined {
    if (!this.used) return undefined;
    const report: SocketWindowReport = {
      connected: connectedAtEnd,
      connectedPeak: Math.max(this.peak, connectedAtEnd),
      connects: this.connects,
      reconnects: this.reconnects,
      messages: Object.fromEntries(this.messages),
      closeCodes: Object.fromEntries(this.closeCodes),
      wireSent: this.wireSent,
      wireReceived: this.wireReceived,
    };
    this.peak = this.connected;
    this.connects = 0;
    this.reconnects = 0;
    // A new map: the report holds the old counts objects until it is posted.
    this.messages = new Map();
    this.closeCodes.clear();
    this.wireSent = 0;
    this.wireReceived = 0;
    return report;
  }
}
