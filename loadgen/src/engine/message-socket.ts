import { durationSecOf } from '../api/duration.js';
import { RequestFailedError } from '../api/scenario-api.js';
import type { WindowRecorder } from '../metrics/window-recorder.js';
import { describeError } from './describe-error.js';
import { UserStoppedError } from './vu-http.js';
import { alreadyCounted } from './vu-measurements.js';

/** The type of a frame the codec did not decode into an object with a string type. */
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
  /** The socket closed for good. */
  forget(socket: HeldSocket): void;
}

/** What the user's session does with each of its sockets when the user stops. */
export interface HeldSocket {
  /** Waits for pushes end at once (as a think time does); requests in flight go on. */
  interrupt(): void;
  /** Close without throwing, and wait until closed. */
  closeQuietly(): Promise<void>;
}

/** A received message as the socket keeps it: its type, and whatever the protocol decoded. */
export interface Received {
  readonly type: string;
}

type Handler<M> = (message: M) => unknown;

/** deliver(): no handler ran for the message. */
export const NOT_HANDLED: unique symbol = Symbol('not handled');
/** deliver(): the handler threw (counted as a script_error). */
export const HANDLER_FAILED: unique symbol = Symbol('handler failed');

interface Waiter<M> {
  type: string;
  /** The request's id: only a reply carrying it settles the wait. */
  id: string | number | undefined;
  /** Where the wait is measured and its failure counted. */
  endpoint: string;
  /** A request: when the message went out (performance.now() ms); a next(): undefined. */
  sentAt: number | undefined;
  resolve: (m: M) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** `timeout` of a connect or a wait, in ms; a bad value is the script's error. */
export function timeoutMs(value: number | string | undefined, fallbackMs: number, what: string): number {
  if (value === undefined) return fallbackMs;
  const sec = durationSecOf(value);
  if (sec === undefined) {
    throw new Error(
      `${what}: timeout ${JSON.stringify(value)} is not a positive duration (try 5, '5s', '500ms')`,
    );
  }
  return sec * 1000;
}

/**
 * What every socket of a user does with the messages it receives, whatever its protocol: each
 * is counted under `<prefix> <type>`; a request's reply is measured under the request's name,
 * every other message with a server time as push delay (now - ts) under its own; background
 * handlers run for their type; a message nobody waits for or handles is kept in a bounded buffer
 * for a later next(), the oldest dropped and counted when it is full.
 */
export abstract class MessageSocket<M extends Received> implements HeldSocket {
  private readonly buffer: M[] = [];
  private readonly waiters: Waiter<M>[] = [];
  /** Created with the first handler: most sockets never have one. */
  private handlers: Map<string, Handler<M>[]> | undefined;

  constructor(
    protected readonly owner: SocketOwner,
    /** `ws` or `sio`: the first word of every name this socket measures and counts under. */
    protected readonly prefix: string,
    private readonly bufferSize: number,
  ) {}

  /** Close without throwing, and wait until closed. */
  abstract closeQuietly(): Promise<void>;

  /** close() was called here (script or engine): the sends and waits it ends are not failures. */
  protected closedHere = false;

  /** Why the socket cannot send or receive now, e.g. `the socket closed (code 1006)`. */
  protected abstract get closedReason(): string;

  /**
   * A send or wait that cannot happen because the socket is not connected: counted as ws_closed
   * unless it was closed here or the run is over. Like an HTTP request whose connection was reset,
   * it has no latency sample: the time it waited is the server's close, not a reply's time.
   */
  protected closedError(endpoint: string, what: string): RequestFailedError {
    const message = `${this.closedReason}: ${what}`;
    if (!this.closedHere && !this.owner.isClosing()) {
      this.owner.recorder.recordWsFailure(endpoint, 'ws_closed', message);
    }
    return new RequestFailedError(endpoint, 'ws_closed', message);
  }

  /** The socket can receive no more (it closed, or is reconnecting). */
  protected abstract get receiving(): boolean;

  protected addHandler(type: string, handler: Handler<M>): void {
    if (typeof handler !== 'function') {
      throw new TypeError(`on("${type}"): the handler is ${typeof handler}, not a function`);
    }
    this.handlers ??= new Map();
    const list = this.handlers.get(type);
    if (list === undefined) this.handlers.set(type, [handler]);
    else list.push(handler);
  }

  protected removeHandler(type: string, handler: Handler<M> | undefined): void {
    const list = this.handlers?.get(type);
    if (list === undefined) return;
    const kept = handler === undefined ? [] : list.filter((h) => h !== handler);
    if (kept.length === 0) this.handlers?.delete(type);
    else this.handlers?.set(type, kept);
  }

  /** The next message of `type`: the oldest one kept in the buffer, else the next to arrive. */
  protected nextOf(type: string, timeout: number | string | undefined): Promise<M> {
    if (this.owner.stopped) return Promise.reject(new UserStoppedError());
    const i = this.buffer.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.buffer.splice(i, 1)[0] as M);
    const endpoint = `${this.prefix} ${type}`;
    if (!this.receiving) return Promise.reject(this.closedError(endpoint, `no "${type}" to wait for`));
    try {
      const limitMs = timeoutMs(timeout, this.owner.timeoutMs, endpoint);
      return this.wait(type, undefined, endpoint, undefined, limitMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Wait for a message of `type` (carrying `id`, when given), failing as `endpoint` after `limitMs`. */
  protected wait(
    type: string,
    id: string | number | undefined,
    endpoint: string,
    sentAt: number | undefined,
    limitMs: number,
  ): Promise<M> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter<M> = {
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

  /**
   * A message arrived (at `arrived`, performance.now() ms), already counted: settle its waiter or
   * time it as a push (`ts`: the server's Unix ms time of it), run its handlers, else keep it
   * (unless `keep` is false). Returns what the last handler returned (a promise of it when async;
   * HANDLER_FAILED when it threw), NOT_HANDLED when there was none.
   */
  protected deliver(message: M, id: unknown, ts: unknown, arrived: number, keep = true): unknown {
    const recorder = this.owner.recorder;
    const type = message.type;
    const i = this.waiters.findIndex((w) => w.type === type && (w.id === undefined || w.id === id));
    const waiter = i < 0 ? undefined : (this.waiters.splice(i, 1)[0] as Waiter<M>);
    if (waiter !== undefined) clearTimeout(waiter.timer);
    if (waiter?.sentAt !== undefined) {
      recorder.recordWs(waiter.endpoint, (arrived - waiter.sentAt) * 1000);
    } else if (typeof ts === 'number' && Number.isFinite(ts)) {
      const endpoint = `${this.prefix} ${type}`;
      if (this.owner.inSetup) recorder.markSetup(endpoint);
      // Push delay on the sender's clock: a negative one (clocks apart) is clamped to 1 µs.
      recorder.recordWs(endpoint, (performance.timeOrigin + arrived - ts) * 1000);
    }
    const handlers = this.handlers?.get(type);
    let result: unknown = NOT_HANDLED;
    if (handlers !== undefined) for (const h of handlers) result = this.runHandler(h, message);
    if (waiter !== undefined) waiter.resolve(message);
    else if (handlers === undefined && keep) {
      this.buffer.push(message);
      if (this.buffer.length > this.bufferSize) {
        recorder.sockets.droppedMessage(`${this.prefix} ${(this.buffer.shift() as M).type}`);
      }
    }
    return result;
  }

  /** Run a background handler: what it throws is a script_error of `(handler <name>)`, not a crash. */
  private runHandler(handler: Handler<M>, message: M): unknown {
    try {
      const result = handler(message);
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          this.handlerFailed(message.type, error);
          return HANDLER_FAILED;
        });
      }
      return result;
    } catch (error) {
      this.handlerFailed(message.type, error);
      return HANDLER_FAILED;
    }
  }

  private handlerFailed(type: string, error: unknown): void {
    // A send that failed (or a vu.time that threw) is counted already; a stopped user or a
    // closing run is no failure.
    if (alreadyCounted(error) || error instanceof UserStoppedError) return;
    if (this.owner.isClosing()) return;
    this.owner.recorder.recordScriptError(`handler ${this.prefix} ${type}`, describeError(error));
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

  /** The connection is gone: requests waiting for a reply fail; waits for pushes too unless `keepNext`. */
  protected failWaiters(keepNext = false): void {
    for (const w of this.waiters.splice(0)) {
      if (keepNext && w.sentAt === undefined) {
        this.waiters.push(w);
        continue;
      }
      clearTimeout(w.timer);
      if (this.owner.stopped && w.sentAt === undefined) w.reject(new UserStoppedError());
      else
        w.reject(
          this.closedError(w.endpoint, `no "${w.type}" ${w.sentAt === undefined ? 'message' : 'reply'}`),
        );
    }
  }
}
