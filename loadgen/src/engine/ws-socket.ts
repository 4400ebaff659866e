import type { Socket } from 'node:net';
import WebSocket, { type RawData } from 'ws';
import type {
  VuSocket,
  WsClose,
  WsCodec,
  WsFrame,
  WsHandler,
  WsMessage,
  WsObject,
  WsSendable,
  WsWaitOptions,
} from '../api/socket-api.js';
import { notAMessage, refusal } from '../api/ws-codecs.js';
import { MessageSocket, type SocketOwner, timeoutMs, UNTYPED } from './message-socket.js';
import { UserStoppedError } from './vu-http.js';

export { timeoutMs, UNTYPED };

interface SocketOptions {
  codec: WsCodec<unknown, unknown>;
  typeField: string;
  idField: string;
  timestampField: string;
  bufferSize: number;
}

/** A message on its way out: its frame, and the type and id loadgen read of it. */
interface Outgoing {
  frame: WsFrame | ArrayBuffer | ArrayBufferView;
  type: string;
  id: string | number | undefined;
}

const isId = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';
const byteLength = (frame: Outgoing['frame']): number =>
  typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;

/**
 * One open WebSocket of a user. The codec turns messages into frames and back (JSON text frames
 * by default); every frame is counted under `ws <type>` with its payload bytes. What happens to
 * received messages (replies, push delays, handlers, the buffer) is MessageSocket's.
 */
export class WsSocket extends MessageSocket<WsMessage> implements VuSocket<unknown, WsMessage> {
  readonly closed: Promise<WsClose>;
  private settleClosed!: (c: WsClose) => void;
  private isOpen = true;
  /** Why the socket closed: an error's message, else its close code and reason. */
  private closeText: string | undefined;

  constructor(
    private readonly ws: WebSocket,
    owner: SocketOwner,
    private readonly o: SocketOptions,
    /** The TCP (or TLS) connection, for the bytes it carried. */
    private readonly connection: Socket | undefined,
  ) {
    super(owner, 'ws', o.bufferSize);
    this.closed = new Promise((resolve) => {
      this.settleClosed = resolve;
    });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('error', (error) => {
      this.closeText ??= error.message;
    });
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
  }

  get open(): boolean {
    return this.isOpen;
  }

  protected get receiving(): boolean {
    return this.isOpen;
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  get extensions(): string {
    return this.ws.extensions;
  }

  send(message: WsSendable<unknown>): void {
    const out = this.outgoing(message, 'send');
    this.transmit(out.frame, `ws ${out.type}`, out.type);
  }

  request<T = WsMessage>(
    message: WsSendable<unknown>,
    replyType: string,
    options?: WsWaitOptions,
  ): Promise<T> {
    if (this.owner.stopped) return Promise.reject(new UserStoppedError());
    try {
      const out = this.outgoing(message, 'request');
      const endpoint = `ws ${out.type}`;
      const limitMs = timeoutMs(options?.timeout, this.owner.timeoutMs, endpoint);
      if (this.owner.inSetup) this.owner.recorder.markSetup(endpoint);
      const sentAt = this.owner.takeStart();
      this.transmit(out.frame, endpoint, out.type);
      return this.wait(replyType, out.id, endpoint, sentAt, limitMs) as Promise<T>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  next<T = WsMessage>(type: string, options?: WsWaitOptions): Promise<T> {
    return this.nextOf(type, options?.timeout) as Promise<T>;
  }

  on<T = WsMessage>(type: string, handler: WsHandler<T>): void {
    this.addHandler(type, handler as WsHandler<WsMessage>);
  }

  off<T = WsMessage>(type: string, handler?: WsHandler<T>): void {
    this.removeHandler(type, handler as WsHandler<WsMessage> | undefined);
  }

  async close(code?: number, reason?: string): Promise<void> {
    if (this.isOpen) {
      this.closedHere = true;
      this.ws.close(code ?? 1000, reason);
    }
    await this.closed;
  }

  /** The engine's close when the user is done: never throws. */
  closeQuietly(): Promise<void> {
    return this.close().catch(() => {
      this.ws.terminate();
      return this.closed.then(() => undefined);
    });
  }

  /**
   * A string or bytes go out as they are (their type read by decoding them); anything else is a
   * message for the codec, whose type and id are its fields. What cannot be sent throws here.
   */
  private outgoing(message: WsSendable<unknown>, what: string): Outgoing {
    if (typeof message === 'string') return this.raw(message, message);
    if (message instanceof ArrayBuffer) return this.raw(message, new Uint8Array(message));
    if (ArrayBuffer.isView(message)) {
      const bytes =
        message instanceof Uint8Array
          ? message
          : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      return this.raw(message, bytes);
    }
    const why = refusal(message);
    if (why !== undefined) throw notAMessage(this.o.codec.name, `socket.${what}(): ${why}`);
    const frame = this.o.codec.encode(message);
    const fields = message as WsObject;
    const type = fields[this.o.typeField];
    const id = fields[this.o.idField];
    return { frame, type: typeof type === 'string' ? type : UNTYPED, id: isId(id) ? id : undefined };
  }

  private raw(frame: Outgoing['frame'], decodable: WsFrame): Outgoing {
    const value = this.decode(decodable);
    const type = value?.[this.o.typeField];
    const id = value?.[this.o.idField];
    return { frame, type: typeof type === 'string' ? type : UNTYPED, id: isId(id) ? id : undefined };
  }

  /** The codec's message, or undefined when it throws or gives no object. */
  private decode(frame: WsFrame): Record<string, unknown> | undefined {
    try {
      const value = this.o.codec.decode(frame);
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  private transmit(frame: Outgoing['frame'], endpoint: string, type: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) throw this.closedError(endpoint, `"${type}" not sent`);
    this.ws.send(frame);
    this.owner.recorder.sockets.sentMessage(endpoint, byteLength(frame));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const arrived = performance.now();
    // binaryType is 'nodebuffer': one Buffer per message, fragments joined.
    const bytes = data as Buffer;
    const frame: WsFrame = isBinary ? bytes : bytes.toString();
    const message = this.parse(frame);
    this.owner.recorder.sockets.receivedMessage(`ws ${message.type}`, bytes.length);
    this.deliver(message, message[this.o.idField], message[this.o.timestampField], arrived);
  }

  private parse(frame: WsFrame): WsMessage {
    let value: unknown;
    try {
      value = this.o.codec.decode(frame);
    } catch {
      return { type: UNTYPED, data: frame };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { type: UNTYPED, data: value };
    const type = (value as Record<string, unknown>)[this.o.typeField];
    if (typeof type !== 'string') return { type: UNTYPED, data: value };
    return this.o.typeField === 'type' ? (value as WsMessage) : { ...value, type };
  }

  protected get closedReason(): string {
    return `the socket closed (${this.closeText ?? 'closed'})`;
  }

  private onClose(code: number, reason: string): void {
    this.isOpen = false;
    this.closeText ??= `code ${code}${reason === '' ? '' : ` ${reason}`}`;
    this.owner.forget(this);
    this.owner.recorder.sockets.closed(code, this.connection?.bytesWritten, this.connection?.bytesRead);
    this.failWaiters();
    this.settleClosed({ code, reason });
  }
}
