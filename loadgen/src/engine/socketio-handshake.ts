import type { Socket } from 'node:net';
import { encodePacket } from 'engine.io-parser';
import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';
import WebSocket, { type RawData } from 'ws';
import { RequestFailedError } from '../api/scenario-api.js';
import { keepsLatency } from './http-client.js';
import type { SocketOwner } from './message-socket.js';
import type { tlsConnectOptions } from './tls-options.js';
import { classifyHandshakeError } from './vu-ws.js';

/** What the socket does with a link's traffic once it is open (and with the handshake's frames). */
interface LinkSink {
  frame(link: SocketIoLink, data: RawData, isBinary: boolean): void;
  packet(link: SocketIoLink, packet: Packet): void;
  /** A link that had connected closed (one that failed its handshake is not reported). */
  close(link: SocketIoLink, code: number): void;
}

/** How to open a Socket.IO connection: fixed when the script connects, used by every reconnection. */
export interface SocketIoEndpoint {
  owner: SocketOwner;
  /** ws[s]://host/socket.io/?EIO=4&transport=websocket&... */
  url: string;
  headers: Record<string, string>;
  /** The scenario's TLS trust, for wss:// (undefined: Node's defaults). */
  tls: ReturnType<typeof tlsConnectOptions>;
  namespace: string;
  auth: object | undefined;
  /** What the connection is measured under (`sio connect`). */
  name: string;
  limitMs: number;
  /** Every WebSocket of the part, so the run's end can cut them. */
  sockets: Set<WebSocket>;
}

const encoder = new Encoder();

/** Frame a Socket.IO packet into Engine.IO message frames and send them. */
export function sendPacket(ws: WebSocket, packet: Packet): number {
  let bytes = 0;
  for (const part of encoder.encode(packet) as Array<string | Uint8Array>) {
    encodePacket({ type: 'message', data: part }, true, (frame) => {
      ws.send(frame);
      bytes += typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;
    });
  }
  return bytes;
}

/**
 * One Engine.IO connection carrying one namespace: its WebSocket, the socket.io-parser Decoder
 * that joins a binary event's frames, and the handshake until the namespace is connected.
 */
export class SocketIoLink {
  readonly decoder = new Decoder();
  /** The namespace's socket id, from its CONNECT. */
  sid = '';
  /** Why the connection closed or failed, for the messages of waits it ends. */
  closeText: string | undefined;
  /** The TCP (or TLS) connection, for the bytes it carried. */
  connection: Socket | undefined;
  /** Until the namespace is connected: how the handshake ends. */
  handshake: { done(sid: string): void; fail(kind: string, message: string): void } | undefined;

  constructor(
    readonly ws: WebSocket,
    private readonly e: SocketIoEndpoint,
  ) {}

  /** An Engine.IO packet other than message, ping and close: `open` starts the namespace CONNECT. */
  onEnginePacket(type: string): void {
    if (type !== 'open' || this.handshake === undefined) return;
    const auth = this.e.auth;
    sendPacket(this.ws, {
      type: PacketType.CONNECT,
      nsp: this.e.namespace,
      ...(auth === undefined ? {} : { data: auth }),
    });
  }

  /** A Socket.IO packet other than events, acks and DISCONNECT: the handshake's answer. */
  onSocketIoPacket(packet: Packet): void {
    if (packet.type === PacketType.CONNECT) {
      const sid = (packet.data as { sid?: unknown } | undefined)?.sid;
      this.handshake?.done(typeof sid === 'string' ? sid : '');
    } else if (packet.type === PacketType.CONNECT_ERROR) {
      const data = packet.data as { message?: unknown } | undefined;
      const message = typeof data?.message === 'string' ? data.message : JSON.stringify(packet.data);
      this.handshake?.fail(
        'sio_connect_error',
        `namespace ${this.e.namespace} refused the connection: ${message}`,
      );
    }
  }
}

/**
 * Open a link: the WebSocket upgrade, Engine.IO's `open`, the namespace CONNECT (with `auth`) and
 * its answer, all within `limitMs`, measured from `startedAt` (performance.now() ms) under the
 * endpoint's name. A failure is counted there (unless `quiet()`: the script closed the socket)
 * and rejects with a RequestFailedError.
 */
export function openLink(
  e: SocketIoEndpoint,
  startedAt: number,
  quiet: () => boolean,
  sink: LinkSink,
): Promise<SocketIoLink> {
  const { owner, name, limitMs, sockets } = e;
  const recorder = owner.recorder;
  if (owner.inSetup) recorder.markSetup(name);
  recorder.sockets.attempted();
  const ws = new WebSocket(e.url, [], {
    headers: e.headers,
    handshakeTimeout: limitMs,
    perMessageDeflate: false,
    ...e.tls,
  });
  const link = new SocketIoLink(ws, e);
  sockets.add(ws);
  ws.once('close', () => sockets.delete(ws));
  ws.on('error', (error) => {
    link.closeText ??= error.message;
  });
  ws.once('upgrade', (response) => {
    link.connection = response.socket;
  });
  return new Promise((resolve, reject) => {
    let connected = false;
    const timer = setTimeout(() => fail('timeout', `not connected within ${limitMs / 1000} s`), limitMs);
    const fail = (kind: string, message: string) => {
      if (link.handshake === undefined) return;
      link.handshake = undefined;
      link.closeText ??= message;
      clearTimeout(timer);
      ws.off('error', failed);
      ws.terminate();
      // A timeout is timed at what it waited, as a request's is; other failures have no latency.
      const waited = keepsLatency(kind) ? (performance.now() - startedAt) * 1000 : undefined;
      if (!owner.isClosing() && !quiet()) recorder.recordWsFailure(name, kind, message, waited);
      reject(new RequestFailedError(name, kind, message));
    };
    const failed = (error: Error) => {
      const f = classifyHandshakeError(error);
      fail(f.kind, f.message);
    };
    link.handshake = {
      done: (sid) => {
        link.handshake = undefined;
        link.sid = sid;
        connected = true;
        clearTimeout(timer);
        ws.off('error', failed);
        recorder.recordWs(name, (performance.now() - startedAt) * 1000);
        recorder.sockets.opened();
        resolve(link);
      },
      fail,
    };
    ws.once('error', failed);
    ws.on('message', (data, isBinary) => sink.frame(link, data, isBinary));
    link.decoder.on('decoded', (packet: Packet) => sink.packet(link, packet));
    ws.once('close', (code) => {
      link.decoder.destroy();
      if (connected) sink.close(link, code);
      else fail('ws_closed', `the connection closed before the namespace connected (code ${code})`);
    });
  });
}
