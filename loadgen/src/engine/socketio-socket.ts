import { decodePacket } from 'engine.io-parser';
import { type Packet, PacketType } from 'socket.io-parser';
import WebSocket, { type RawData } from 'ws';
import type {
  SocketIoArg,
  SocketIoClose,
  SocketIoHandler,
  SocketIoTimed,
  VuSocketIo,
  WsWaitOptions,
} from '../api/socket-api.js';
import { refusal } from '../api/ws-codecs.js';
import { HANDLER_FAILED, MessageSocket, NOT_HANDLED, type SocketOwner, timeoutMs } from './message-socket.js';
import { openLink, type SocketIoEndpoint, type SocketIoLink, sendPacket } from './socketio-handshake.js';
import { UserStoppedError } from './vu-http.js';

/** A Socket.IO event as the socket keeps it: its name (or `(ack)`) and its arguments. */
interface SioMessage {
  readonly type: string;
  readonly args: unknown[];
}

/** Where and how to (re)connect, fixed when the script connects. */
export interface SocketIoTarget {
  endpoint: SocketIoEndpoint;
  namespace: string;
  timestampField: string;
  bufferSize: number;
  /** Reconnection (ms), or undefined when the script did not ask for it. */
  reconnect: { attempts: number; delayMs: number; delayMaxMs: number } | undefined;
}

const ACK = '(ack)';
/** The wrapper that hands a handler an event's arguments, per handler (so off() finds it). */
const spread = new WeakMap<SocketIoHandler<never>, (m: SioMessage) => unknown>();
const spreadOf = (h: SocketIoHandler<never>) => {
  let w = spread.get(h);
  if (w === undefined) {
    w = (m: SioMessage) => (h as SocketIoHandler)(...m.args);
    spread.set(h, w);
  }
  return w;
};

/**
 * One Socket.IO 4 socket over the WebSocket transport: a namespace on its own Engine.IO
 * connection, with socket.io-parser and engine.io-parser framing what goes through a `ws`
 * WebSocket (as loadgen's own sockets do: smaller than socket.io-client per connection, see
 * loadgen/README.md "Socket.IO"). Engine.IO pings are answered as they come, so an idle user
 * stays connected. Events are counted under `sio <event>`; acks are timed under the event's name.
 */
export class SocketIoSocket extends MessageSocket<SioMessage> implements VuSocketIo {
  readonly closed: Promise<SocketIoClose>;
  private settleClosed!: (c: SocketIoClose) => void;
  private link: SocketIoLink | undefined;
  private state: 'connecting' | 'connected' | 'waiting' | 'closed' = 'connecting';
  private ackIds = 0;
  private serverDisconnected = false;
  /** Bytes of the frames of the packet being decoded (a binary event spans several). */
  private packetBytes = 0;
  private wakeRetry: (() => void) | undefined;

  constructor(
    owner: SocketOwner,
    private readonly t: SocketIoTarget,
  ) {
    super(owner, 'sio', t.bufferSize);
    this.closed = new Promise((resolve) => {
      this.settleClosed = resolve;
    });
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  get id(): string {
    return this.link?.sid ?? '';
  }

  /** While reconnecting too: an event may come once it is back. */
  protected get receiving(): boolean {
    return this.state !== 'closed';
  }

  /** Connect, measured from `startedAt` (performance.now() ms); rejects with the counted failure. */
  async connect(startedAt: number): Promise<void> {
    this.state = 'connecting';
    const link = await openLink(this.t.endpoint, startedAt, () => this.closedHere, {
      frame: (link, data, isBinary) => this.onFrame(link, data, isBinary),
      packet: (link, packet) => this.onPacket(link, packet),
      close: (link, code) => this.onClose(link, code),
    });
    this.link = link;
    this.state = 'connected';
    // The script closed the socket while this (re)connection was under way: close it at once.
    if (this.closedHere) {
      this.sendPacket({ type: PacketType.DISCONNECT, nsp: this.t.namespace });
      link.ws.close(1000);
    }
  }

  emit(event: string, ...args: SocketIoArg[]): void {
    this.sendEvent(event, args, undefined);
  }

  emitWithAck<T = unknown>(event: string, ...args: SocketIoArg[]): Promise<T> {
    return this.ackRequest<T>(event, args, undefined);
  }

  timeout(timeout: number | string): SocketIoTimed {
    return {
      emitWithAck: <T = unknown>(event: string, ...args: SocketIoArg[]) =>
        this.ackRequest<T>(event, args, timeout),
    };
  }

  next<A extends unknown[] = unknown[]>(event: string, options?: WsWaitOptions): Promise<A> {
    return this.nextOf(event, options?.timeout).then((m) => m.args as A);
  }

  on<A extends unknown[] = unknown[]>(event: string, handler: SocketIoHandler<A>): void {
    if (typeof handler !== 'function') {
      throw new TypeError(`on("${event}"): the handler is ${typeof handler}, not a function`);
    }
    this.addHandler(event, spreadOf(handler as SocketIoHandler<never>));
  }

  off<A extends unknown[] = unknown[]>(event: string, handler?: SocketIoHandler<A>): void {
    this.removeHandler(
      event,
      handler === undefined ? undefined : spreadOf(handler as SocketIoHandler<never>),
    );
  }

  async close(): Promise<void> {
    if (this.state !== 'closed') {
      this.closedHere = true;
      const link = this.link;
      if (this.state === 'connected' && link !== undefined) {
        this.sendPacket({ type: PacketType.DISCONNECT, nsp: this.t.namespace });
        link.ws.close(1000);
      } else if (this.state === 'waiting') this.wakeRetry?.();
      else link?.ws.terminate();
    }
    await this.closed;
  }

  closeQuietly(): Promise<void> {
    return this.close().catch(() => {
      this.link?.ws.terminate();
      return this.closed.then(() => undefined);
    });
  }

  private ackRequest<T>(
    event: string,
    args: SocketIoArg[],
    timeout: number | string | undefined,
  ): Promise<T> {
    if (this.owner.stopped) return Promise.reject(new UserStoppedError());
    try {
      const endpoint = `sio ${event}`;
      const limitMs = timeoutMs(timeout, this.owner.timeoutMs, endpoint);
      if (this.owner.inSetup) this.owner.recorder.markSetup(endpoint);
      const id = this.ackIds++;
      const sentAt = this.owner.takeStart();
      this.sendEvent(event, args, id);
      return this.wait(ACK, id, endpoint, sentAt, limitMs).then((m) => m.args[0] as T);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private sendEvent(event: string, args: SocketIoArg[], id: number | undefined): void {
    if (typeof event !== 'string' || event === '') {
      throw new TypeError(`emit(): the event name is ${JSON.stringify(event)}, not a non-empty string`);
    }
    for (const arg of args) {
      const why =
        typeof arg === 'object' && arg !== null
          ? refusal(arg)
          : typeof arg === 'function'
            ? 'a function'
            : undefined;
      if (why !== undefined) {
        throw new TypeError(`emit("${event}"): ${why} is no argument (for an ack, use emitWithAck)`);
      }
    }
    const endpoint = `sio ${event}`;
    // The connection may be closing before its close reaches us: nothing could be sent then.
    if (this.state !== 'connected' || this.link?.ws.readyState !== WebSocket.OPEN) {
      throw this.closedError(endpoint, `"${event}" not sent`);
    }
    this.sendPacket({ type: PacketType.EVENT, nsp: this.t.namespace, data: [event, ...args], id }, endpoint);
  }

  /** Send a packet; counted under `name` when given. */
  private sendPacket(packet: Packet, name?: string): void {
    const bytes = sendPacket((this.link as SocketIoLink).ws, packet);
    if (name !== undefined) this.owner.recorder.sockets.sentMessage(name, bytes);
  }

  private onFrame(link: SocketIoLink, data: RawData, isBinary: boolean): void {
    const buffer = data as Buffer;
    if (isBinary) {
      this.packetBytes += buffer.length;
      link.decoder.add(buffer);
      return;
    }
    const packet = decodePacket(buffer.toString());
    if (packet.type === 'message') {
      this.packetBytes += buffer.length;
      try {
        link.decoder.add(packet.data);
      } catch {
        // A packet socket.io-parser refuses: counted, and otherwise ignored, as socket.io-client does.
        this.owner.recorder.sockets.receivedMessage('sio (untyped)', this.packetBytes);
        this.packetBytes = 0;
      }
    } else if (packet.type === 'ping') {
      const recorder = this.owner.recorder;
      recorder.sockets.receivedMessage('sio (ping)', buffer.length);
      link.ws.send('3');
      recorder.sockets.sentMessage('sio (pong)', 1);
    } else if (packet.type === 'close') {
      link.ws.close(1000);
    } else link.onEnginePacket(packet.type);
  }

  private onPacket(link: SocketIoLink, packet: Packet): void {
    const bytes = this.packetBytes;
    this.packetBytes = 0;
    const arrived = performance.now();
    const recorder = this.owner.recorder;
    if (packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT) {
      const [event, ...args] = packet.data as [string, ...unknown[]];
      recorder.sockets.receivedMessage(`sio ${event}`, bytes);
      const first = args[0] as Record<string, unknown> | undefined;
      const ts = typeof first === 'object' && first !== null ? first[this.t.timestampField] : undefined;
      const result = this.deliver({ type: event, args }, undefined, ts, arrived);
      if (packet.id !== undefined) this.answer(packet.id, result);
    } else if (packet.type === PacketType.ACK || packet.type === PacketType.BINARY_ACK) {
      recorder.sockets.receivedMessage(`sio ${ACK}`, bytes);
      this.deliver({ type: ACK, args: packet.data as unknown[] }, packet.id, undefined, arrived, false);
    } else if (packet.type === PacketType.DISCONNECT) {
      this.serverDisconnected = true;
      link.ws.close(1000);
    } else link.onSocketIoPacket(packet);
  }

  /** The server asked for an ack: the handler's result (awaited) answers it; no handler, no ack. */
  private answer(id: number, result: unknown): void {
    if (result === NOT_HANDLED || result === HANDLER_FAILED) return;
    Promise.resolve(result).then(
      (value) => {
        if (value === HANDLER_FAILED || this.state !== 'connected') return;
        const data = value === undefined ? [] : [value];
        this.sendPacket({ type: PacketType.ACK, nsp: this.t.namespace, data, id }, `sio ${ACK}`);
      },
      () => undefined,
    );
  }

  /** A connected link closed: reconnect when asked to and the loss was the connection's, else done. */
  private onClose(link: SocketIoLink, code: number): void {
    const c = link.connection;
    this.owner.recorder.sockets.closed(code, c?.bytesWritten, c?.bytesRead);
    const reason = this.closedHere
      ? 'io client disconnect'
      : this.serverDisconnected
        ? 'io server disconnect'
        : 'transport close';
    link.closeText ??= `${reason}, code ${code}`;
    const r = this.t.reconnect;
    if (reason === 'transport close' && r !== undefined && !this.owner.stopped && !this.owner.isClosing()) {
      this.state = 'waiting';
      this.failWaiters(true);
      void this.reconnect(r);
      return;
    }
    this.finish(reason);
  }

  /** Try again after a lost connection, waiting longer after each failure (as socket.io-client does). */
  private async reconnect(r: NonNullable<SocketIoTarget['reconnect']>): Promise<void> {
    for (let attempt = 0; attempt < r.attempts; attempt++) {
      // socket.io-client's backoff: the delay doubles per attempt, up to delayMax, ±50% at random.
      const base = Math.min(r.delayMs * 2 ** attempt, r.delayMaxMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, base * (0.5 + Math.random()));
        this.wakeRetry = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeRetry = undefined;
      if (this.closedHere || this.owner.stopped || this.owner.isClosing()) break;
      try {
        await this.connect(performance.now());
        this.owner.recorder.sockets.reconnected();
        return;
      } catch {
        // Counted as an error of the connection's name; the next attempt waits longer.
        this.state = 'waiting';
      }
    }
    this.finish(this.closedHere ? 'io client disconnect' : 'connect failed');
  }

  private finish(reason: string): void {
    this.state = 'closed';
    this.owner.forget(this);
    this.failWaiters();
    this.settleClosed({ reason });
  }

  protected get closedReason(): string {
    return `the socket is not connected (${this.link?.closeText ?? this.state})`;
  }
}
