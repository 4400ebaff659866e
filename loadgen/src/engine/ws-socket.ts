import WebSocket, { type RawData } from 'ws';
import { parseDurationSec } from '../api/duration.js';
import {
  RequestFailedError,
  type VuSocket,
  type WsClose,
  type WsMessage,
  type WsWaitOptions,
} from '../api/scenario-api.js';
import type { WindowRecorder } from '../metrics/window-recorder.js';
import { UserStoppedError } from './vu-http.js';

/** The type of a frame that is not a JSON object with a string type. */
export const UNTYPED = '(untyped)';

/** What a socket needs of the user that opened it. */
export interface SocketOwner {
  recorder: WindowRecorder;
  /** The run is over: late failures are not measurements. */
  isClosing(): boolean;
  /** The user was stopped in its setup or iteration (its teardown may still use the socket). */
  readonly stopped: boolean;
  /** The user is in its setup: what it measures is marked as setup. */
  readonly inSetup: boolean;
  /** The scenario's `timeout`, the default of every wait (ms). */
  readonly timeoutMs: number;
  /** When the next measurement starts (the open model's scheduled start, else now). */
  takeStart(): number;
  /** The socket closed. */
  forget(socket: WsSocket): void;
}

export interface SocketOptions {
  typeField: string;
  timestampField: string;
  bufferSize: number;
}

interface Waiter {
  type: string;
  /** The request's id: only a reply carrying it settles the wait. */
  id: string | number | undefined;
  /** Where the wait is measured and its failure counted. */
  endpoint: string;
  /** request(): when the message went out (performance.now() ms); next(): undefined. */
  sentAt: number | undefined;
  resolve: (m: WsMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** `timeout` of a connect or a wait, in ms; a bad value is the script's error. */
export function timeoutMs(value: number | string | undefined, fallbackMs: number, what: string): number {
  if (value === undefined) return fallbackMs;
  const sec = parseDurationSec(value);
  if (sec === undefined || sec <= 0) {
    throw new Error(
      `${what}: timeout ${JSON.stringify(value)} is not a positive duration (try 5, '5s', '500ms')`,
    );
  }
  return sec * 1000;
}

const isId = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

/**
 * One open socket of a user. Every frame is counted under its type; a request's reply is measured
 * under `ws <request type>`, every other received message with a numeric timestamp field as push
 * delay (now - ts) under `ws <its type>`. Messages nobody waits for yet are kept in a bounded
 * buffer for a later next(); when it is full the oldest is dropped and counted.
 */
export class WsSocket implements VuSocket {
  readonly closed: Promise<WsClose>;
  private settleClosed!: (c: WsClose) => void;
  private readonly buffer: WsMessage[] = [];
  private readonly waiters: Waiter[] = [];
  private isOpen = true;
  /** close() was called here (script or engine): waits it ends are not counted as ws_closed. */
  private closedHere = false;
  /** Why the socket closed: an error's message, else its close code and reason. */
  private closeText: string | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly owner: SocketOwner,
    private readonly o: SocketOptions,
  ) {
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

  get protocol(): string {
    return this.ws.protocol;
  }

  send(message: object | string): void {
    const type = this.typeOfOutgoing(message);
    this.transmit(typeof message === 'string' ? message : JSON.stringify(message), type, `ws ${type}`);
  }

  request<T = WsMessage>(message: object, replyType: string, options?: WsWaitOptions): Promise<T> {
    if (this.owner.stopped) return Promise.reject(new UserStoppedError());
    const type = this.typeOfOutgoing(message);
    const endpoint = `ws ${type}`;
    try {
      const limitMs = timeoutMs(options?.timeout, this.owner.timeoutMs, endpoint);
      if (this.owner.inSetup) this.owner.recorder.markSetup(endpoint);
      const id = (message as Record<string, unknown>).id;
      const sentAt = this.owner.takeStart();
      this.transmit(JSON.stringify(message), type, endpoint);
      return this.wait(replyType, isId(id) ? id : undefined, endpoint, sentAt, limitMs) as Promise<T>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  next<T = WsMessage>(type: string, options?: WsWaitOptions): Promise<T> {
    if (this.owner.stopped) return Promise.reject(new UserStoppedError());
    const i = this.buffer.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.buffer.splice(i, 1)[0] as T);
    const endpoint = `ws ${type}`;
    if (!this.isOpen) return Promise.reject(this.closedError(endpoint, `no "${type}" to wait for`));
    try {
      const limitMs = timeoutMs(options?.timeout, this.owner.timeoutMs, endpoint);
      return this.wait(type, undefined, endpoint, undefined, limitMs) as Promise<T>;
    } catch (error) {
      return Promise.reject(error);
    }
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

  /** The user stopped: waits for pushes end at once (as a think time does); requests in flight go on. */
  interrupt(): void {
    const pending = this.waiters.splice(0);
    for (const w of pending) {
      if (w.sentAt !== undefined) {
        this.waiters.push(w);
        continue;
      }
      clearTimeout(w.timer);
      w.reject(new UserStoppedError());
    }
  }

  private typeOfOutgoing(message: object | string): string {
    let value: unknown = message;
    if (typeof message === 'string') {
      try {
        value = JSON.parse(message);
      } catch {
        return UNTYPED;
      }
    }
    const type = (value as Record<string, unknown> | null)?.[this.o.typeField];
    return typeof type === 'string' ? type : UNTYPED;
  }

  private transmit(text: string, type: string, endpoint: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) throw this.closedError(endpoint, `"${type}" not sent`);
    this.ws.send(text);
    this.owner.recorder.sockets.sentMessage(type);
  }

  private wait(
    type: string,
    id: string | number | undefined,
    endpoint: string,
    sentAt: number | undefined,
    limitMs: number,
  ): Promise<WsMessage> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        type,
        id,
        endpoint,
        sentAt,
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          const message = `no "${type}" ${sentAt === undefined ? 'message' : 'reply'} within ${limitMs / 1000} s`;
          if (!this.owner.isClosing()) {
            const waited = sentAt === undefined ? undefined : (performance.now() - sentAt) * 1000;
            this.owner.recorder.recordWsFailure(endpoint, 'ws_timeout', message, waited);
          }
          reject(new RequestFailedError(endpoint, 'ws_timeout', message));
        }, limitMs),
      };
      this.waiters.push(waiter);
    });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const arrived = performance.now();
    const message = this.parse(data, isBinary);
    const recorder = this.owner.recorder;
    recorder.sockets.receivedMessage(message.type);
    const i = this.waiters.findIndex(
      (w) => w.type === message.type && (w.id === undefined || w.id === message.id),
    );
    const waiter = i < 0 ? undefined : (this.waiters.splice(i, 1)[0] as Waiter);
    if (waiter !== undefined) clearTimeout(waiter.timer);
    if (waiter?.sentAt !== undefined) {
      recorder.recordWs(waiter.endpoint, (arrived - waiter.sentAt) * 1000);
    } else {
      const ts = message[this.o.timestampField];
      if (typeof ts === 'number' && Number.isFinite(ts)) {
        const endpoint = `ws ${message.type}`;
        if (this.owner.inSetup) recorder.markSetup(endpoint);
        // Push delay on the sender's clock: a negative one (clocks apart) is clamped to 1 µs.
        recorder.recordWs(endpoint, (performance.timeOrigin + arrived - ts) * 1000);
      }
    }
    if (waiter !== undefined) {
      waiter.resolve(message);
      return;
    }
    this.buffer.push(message);
    if (this.buffer.length > this.o.bufferSize) {
      recorder.sockets.droppedMessage((this.buffer.shift() as WsMessage).type);
    }
  }

  private parse(data: RawData, isBinary: boolean): WsMessage {
    if (isBinary) return { type: UNTYPED, data };
    const text = data.toString();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { type: UNTYPED, data: text };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { type: UNTYPED, data: value };
    const type = (value as Record<string, unknown>)[this.o.typeField];
    if (typeof type !== 'string') return { type: UNTYPED, data: value };
    return this.o.typeField === 'type' ? (value as WsMessage) : { ...value, type };
  }

  /** The socket is closed: counted as ws_closed unless it was closed here or the run is over. */
  private closedError(endpoint: string, what: string, sentAt?: number): RequestFailedError {
    const message = `the socket closed (${this.closeText ?? 'closed'}): ${what}`;
    if (!this.closedHere && !this.owner.isClosing()) {
      const waited = sentAt === undefined ? undefined : (performance.now() - sentAt) * 1000;
      this.owner.recorder.recordWsFailure(endpoint, 'ws_closed', message, waited);
    }
    return new RequestFailedError(endpoint, 'ws_closed', message);
  }

  private onClose(code: number, reason: string): void {
    this.isOpen = false;
    this.closeText ??= `code ${code}${reason === '' ? '' : ` ${reason}`}`;
    this.owner.forget(this);
    this.owner.recorder.sockets.closed(code);
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      if (this.owner.stopped && w.sentAt === undefined) w.reject(new UserStoppedError());
      else
        w.reject(
          this.closedError(
            w.endpoint,
            `no "${w.type}" ${w.sentAt === undefined ? 'message' : 'reply'}`,
            w.sentAt,
          ),
        );
    }
    this.settleClosed({ code, reason });
  }
}
