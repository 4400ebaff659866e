import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { RequestFailedError } from '../api/scenario-api.js';
import type { VuSocket, VuWs, WsCodec, WsConnectOptions } from '../api/socket-api.js';
import { jsonCodec } from '../api/ws-codecs.js';
import type { WindowRecorder } from '../metrics/window-recorder.js';
import type { EngineHttpOptions } from './engine-config.js';
import { classifyTransportError, keepsLatency, type TransportFailure } from './http-client.js';
import type { HeldSocket, SocketOwner } from './message-socket.js';
import { tlsConnectOptions } from './tls-options.js';
import { UserStoppedError, type VuHttpSession } from './vu-http.js';
import { timeoutMs, WsSocket } from './ws-socket.js';

/** What every user's sockets of one part share. */
export interface VuWsContext {
  recorder: WindowRecorder;
  isClosing: () => boolean;
  /** The run's target (http[s]://host:port): sockets go to ws[s]:// on the same host. */
  target: string;
  /** The scenario's `http` options: their TLS trust applies to wss:// too. */
  http: EngineHttpOptions;
  /** The scenario's `timeout` (ms): the default of every handshake and wait. */
  timeoutMs: number;
  /** Every socket of the part, connecting or open, so the run's end can close them all. */
  sockets: Set<WebSocket>;
}

/**
 * Received messages kept per socket for a later next(). Bounded because 10,000 mostly idle
 * sockets each holding pushes nobody reads would otherwise grow without end.
 */
const DEFAULT_BUFFER = 100;
const NO_OPTIONS: WsConnectOptions<unknown, unknown> = {};
export const ignore = () => undefined;

/** `bufferSize` as given, or the default; a bad value is the script's error. */
export function bufferSizeOf(value: number | undefined, name: string): number {
  const size = value ?? DEFAULT_BUFFER;
  if (!(Number.isInteger(size) && size >= 0)) {
    throw new Error(`${name}: bufferSize ${size} must be a whole number >= 0`);
  }
  return size;
}

/** A refused upgrade counts as http_<status>, as a request's error status does. */
export function classifyHandshakeError(error: unknown): TransportFailure {
  const message = (error as Error).message ?? String(error);
  const status = /^Unexpected server response: (\d+)/.exec(message)?.[1];
  if (status !== undefined) return { kind: `http_${status}`, message };
  if (message === 'Opening handshake has timed out') return { kind: 'timeout', message };
  return classifyTransportError(error);
}

/**
 * The socket's URL, and its origin in HTTP terms (ws → http, wss → https: the cookies and the
 * credentials it may carry) when that is not the target's.
 */
export function wsUrl(target: string, path: string): { url: string; origin: string | undefined } {
  if (/^wss?:\/\//i.test(path)) {
    const origin = new URL(path.replace(/^ws/i, 'http')).origin;
    return { url: path, origin: origin === new URL(target).origin ? undefined : origin };
  }
  const base = target.replace(/^http/, 'ws').replace(/\/+$/, '');
  return { url: `${base}${path.startsWith('/') ? path : `/${path}`}`, origin: undefined };
}

/**
 * One user's sockets. A handshake is measured under `ws connect` (or its name), carries the
 * cookies of its origin and, on the target's host, the user's default headers, and counts as
 * connected (CCU) until the socket closes.
 */
export class VuWsSession implements VuWs, SocketOwner {
  /** Every socket the user holds, WebSocket or Socket.IO, closed when the user stops. */
  private readonly open = new Set<HeldSocket>();
  readonly recorder: WindowRecorder;
  readonly timeoutMs: number;

  constructor(
    private readonly ctx: VuWsContext,
    private readonly http: VuHttpSession,
    private readonly isActive: () => boolean,
  ) {
    this.recorder = ctx.recorder;
    this.timeoutMs = ctx.timeoutMs;
  }

  get stopped(): boolean {
    return !this.isActive() && this.http.phase !== 'teardown';
  }

  get inSetup(): boolean {
    return this.http.phase === 'setup';
  }

  isClosing(): boolean {
    return this.ctx.isClosing();
  }

  takeStart(): number {
    const t = this.http.startAt ?? performance.now();
    this.http.startAt = undefined;
    return t;
  }

  hold(socket: HeldSocket): void {
    this.open.add(socket);
  }

  forget(socket: HeldSocket): void {
    this.open.delete(socket);
  }

  async connect<Out, In>(path: string, options?: WsConnectOptions<Out, In>): Promise<VuSocket<Out, In>> {
    return (await this.connectWs(path, options ?? NO_OPTIONS)) as unknown as VuSocket<Out, In>;
  }

  private async connectWs(path: string, options: WsConnectOptions<unknown, unknown>): Promise<WsSocket> {
    if (this.stopped) throw new UserStoppedError();
    const { recorder, isClosing, sockets } = this.ctx;
    const name = options.name ?? 'ws connect';
    const limitMs = timeoutMs(options.timeout, this.timeoutMs, name);
    const bufferSize = bufferSizeOf(options.bufferSize, name);
    const codec = (options.codec ?? jsonCodec) as WsCodec<unknown, unknown>;
    if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
      throw new TypeError(
        `${name}: codec must be an object with encode() and decode() (e.g. jsonCodec, msgpackCodec)`,
      );
    }
    if (this.inSetup) recorder.markSetup(name);
    recorder.sockets.attempted();
    const { url, origin } = wsUrl(this.ctx.target, path);
    const headers = this.http.handshakeHeaders(
      { headers: options.headers, defaultHeaders: options.defaultHeaders },
      origin,
    );
    const t0 = this.takeStart();
    const ws = new WebSocket(url, options.protocols ? [...options.protocols] : [], {
      headers,
      handshakeTimeout: limitMs,
      // A deflate context per socket costs hundreds of KB: 10,000 sockets could not afford it.
      perMessageDeflate: options.perMessageDeflate === true,
      ...tlsConnectOptions(this.ctx.http.tls),
    });
    // The connection, for the bytes it carried (frames, handshake, after compression).
    let connection: Socket | undefined;
    ws.once('upgrade', (response) => {
      connection = response.socket;
    });
    sockets.add(ws);
    ws.once('close', () => sockets.delete(ws));
    // The handshake's error is handled below, the socket's by WsSocket; a second one must not throw.
    ws.on('error', ignore);
    return new Promise<WsSocket>((resolve, reject) => {
      const failed = (error: Error) => {
        ws.off('open', opened);
        const f = classifyHandshakeError(error);
        const waited = keepsLatency(f.kind) ? (performance.now() - t0) * 1000 : undefined;
        if (!isClosing()) recorder.recordWsFailure(name, f.kind, f.message, waited);
        reject(new RequestFailedError(name, f.kind, f.message));
      };
      const opened = () => {
        ws.off('error', failed);
        recorder.recordWs(name, (performance.now() - t0) * 1000);
        recorder.sockets.opened();
        const socket = new WsSocket(
          ws,
          this,
          {
            codec,
            typeField: options.typeField ?? 'type',
            idField: options.idField ?? 'id',
            timestampField: options.timestampField ?? 'ts',
            bufferSize,
          },
          connection,
        );
        this.open.add(socket);
        resolve(socket);
      };
      ws.once('error', failed);
      ws.once('open', opened);
    });
  }

  /** The user stopped: waits for pushes end at once; requests in flight go on. */
  interrupt(): void {
    for (const s of this.open) s.interrupt();
  }

  /** Close every socket the user still has (after its teardown), waiting for each to close. */
  async closeAll(): Promise<void> {
    if (this.open.size === 0) return;
    await Promise.all([...this.open].map((s) => s.closeQuietly()));
  }
}
