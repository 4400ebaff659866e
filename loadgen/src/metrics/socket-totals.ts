import type { WindowSockets } from '../model/summary-schema.js';
import type { MessageCounts, SocketWindowReport } from './socket-counters.js';

/** Messages of one name (`ws <type>`, `sio <event>`) over the run. */
export interface MessageTotals extends MessageCounts {
  /** The message's type or event, without the name's `ws ` / `sio `. */
  type: string;
  /** `socket.io` for `sio <event>`; undefined for `ws <type>`. */
  protocol: 'socket.io' | undefined;
}

/** The run's socket figures so far, added from every part's window reports. */
export class SocketTotals {
  /** Handshakes that succeeded. */
  connects = 0;
  /** Socket.IO reconnections that succeeded (counted in `connects` too). */
  reconnects = 0;
  /** Bytes the closed sockets' connections carried each way. */
  wireSent = 0;
  wireReceived = 0;
  /** Socket messages by name (`ws <type>`, `sio <event>`). */
  readonly messages = new Map<string, MessageTotals>();
  /** Socket closes by code. */
  readonly closeCodes = new Map<string, number>();

  /** Add a part's window of socket figures; returns the merged window's sockets with it added. */
  add(r: SocketWindowReport, w: WindowSockets | undefined): WindowSockets {
    this.connects += r.connects;
    this.reconnects += r.reconnects;
    this.wireSent += r.wireSent;
    this.wireReceived += r.wireReceived;
    const out = w ?? { connected: 0, connectedPeak: 0, sent: 0, received: 0 };
    for (const name in r.messages) {
      const m = r.messages[name] as MessageCounts;
      let t = this.messages.get(name);
      if (t === undefined) {
        const sio = name.startsWith('sio ');
        t = {
          type: name.slice(sio ? 4 : 3),
          protocol: sio ? 'socket.io' : undefined,
          sent: 0,
          received: 0,
          dropped: 0,
          sentBytes: 0,
          receivedBytes: 0,
        };
        this.messages.set(name, t);
      }
      t.sent += m.sent;
      t.received += m.received;
      t.dropped += m.dropped;
      t.sentBytes += m.sentBytes;
      t.receivedBytes += m.receivedBytes;
      out.sent += m.sent;
      out.received += m.received;
    }
    for (const code in r.closeCodes) {
      this.closeCodes.set(code, (this.closeCodes.get(code) ?? 0) + (r.closeCodes[code] as number));
    }
    out.connected += r.connected;
    out.connectedPeak += r.connectedPeak;
    return out;
  }
}
