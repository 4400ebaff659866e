import { decode, encode } from '@msgpack/msgpack';
import { WebSocket } from 'ws';
import { startWsServer } from './ws-server.js';

/** How the server reads and writes binary frames (MessagePack unless a test gives another). */
export interface ServerCodec {
  encode(message: Record<string, unknown>): Uint8Array;
  decode(bytes: Uint8Array): Record<string, unknown>;
}

export const serverMsgpack: ServerCodec = {
  encode: (m) => encode(m),
  decode: (b) => decode(b) as Record<string, unknown>,
};

export interface FrameServerOptions {
  codec?: ServerCodec;
  /** Push `{ type: 'patch', seq, ts }` (binary, through the codec) to every socket this often. */
  pushEveryMs?: number;
  /** Accept permessage-deflate (compressing every message, however small). */
  perMessageDeflate?: boolean;
  /** Answer every frame, text or binary, with the text frame `{"type":"got","binary","length"}`. */
  ackFrames?: boolean;
}

/**
 * A real `ws` server on GET /ws speaking a binary protocol: each binary frame is decoded by the
 * codec and an `echo` ({ type, id, payload }) is answered with a binary
 * `{ type: 'echo_reply', id, payload, ts }`. It counts text and binary frames apart, messages by
 * type both ways, and keeps every frame it received, so a test can hold loadgen's counts and
 * bytes against what really crossed the wire.
 */
export interface FrameServer {
  url: string;
  textFrames: number;
  binaryFrames: number;
  /** Every frame received, in order. */
  frames: Array<{ binary: boolean; data: Buffer }>;
  received: Map<string, number>;
  sent: Map<string, number>;
  /** The extensions each accepted socket agreed on. */
  extensions: string[];
  readonly open: number;
  close: () => Promise<void>;
}

export async function startFrameServer(o: FrameServerOptions = {}): Promise<FrameServer> {
  const codec = o.codec ?? serverMsgpack;
  const bump = (m: Map<string, number>, type: string) => m.set(type, (m.get(type) ?? 0) + 1);
  const { wss, url, close } = await startWsServer({ perMessageDeflate: o.perMessageDeflate });
  const server: FrameServer = {
    url,
    textFrames: 0,
    binaryFrames: 0,
    frames: [],
    received: new Map(),
    sent: new Map(),
    extensions: [],
    get open() {
      return wss.clients.size;
    },
    close: () => {
      clearInterval(pushes);
      return close();
    },
  };
  const send = (socket: WebSocket, message: Record<string, unknown> & { type: string }) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    bump(server.sent, message.type);
    socket.send(codec.encode(message));
  };
  let seq = 0;
  const pushes =
    o.pushEveryMs === undefined
      ? undefined
      : setInterval(() => {
          seq++;
          for (const c of wss.clients) send(c, { type: 'patch', seq, ts: Date.now() });
        }, o.pushEveryMs);

  wss.on('connection', (socket) => {
    server.extensions.push(socket.extensions);
    socket.on('message', (data: Buffer, isBinary) => {
      server.frames.push({ binary: isBinary, data });
      if (isBinary) server.binaryFrames++;
      else server.textFrames++;
      if (o.ackFrames === true) {
        socket.send(JSON.stringify({ type: 'got', binary: isBinary, length: data.length }));
        return;
      }
      if (!isBinary) return;
      const m = codec.decode(data);
      bump(server.received, String(m.type));
      if (m.type === 'echo')
        send(socket, { type: 'echo_reply', id: m.id, payload: m.payload, ts: Date.now() });
    });
  });
  return server;
}
