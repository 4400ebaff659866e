import WebSocket from 'ws';
import { RequestFailedError, type VuSocket, type VuWs, type WsConnectOptions } from '../api/scenario-api.js';
import type { WindowRecorder } from '../metrics/window-recorder.js';
import type { EngineHttpOptions } from './engine-config.js';
import { classifyTransportError, keepsLatency, type TransportFailure } from './http-client.js';
import { tlsConnectOptions } from './tls-options.js';
import { UserStoppedError, type VuHttpSession } from './vu-http.js';
import { type SocketOwner, timeoutMs, WsSocket } from './ws-socket.js';

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
const NO_OPTIONS: WsConnectOptions = {};
const ignore = () => undefined;

/** A refused upgrade counts as http_<status>, as a request's error status does. */
function classifyHandshakeError(error: unknown): TransportFailure {
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
function wsUrl(target: string, path: string): { url: string; origin: string | undefined } {
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
  private readonly open = new Set<WsSocket>();
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

  forget(socket: WsSocket): void {
    this.open.delete(socket);
  }

  async connect(path: string, options: WsConnectOptions = NO_OPTIONS): Promise<VuSocket> {
    if (this.stopped) throw new UserStoppedError();
    const { recorder, isClosing, sockets } = this.ctx;
    const name = options.name ?? 'ws connect';
    const limitMs = timeoutMs(options.timeout, this.timeoutMs, name);
    const bufferSize = options.bufferSize ?? DEFAULT_BUFFER;
    if (!(Number.isInteger(bufferSize) && bufferSize >= 0)) {
      throw new Error(`${name}: bufferSize ${bufferSize} must be a whole number >= 0`);
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
      perMessageDeflate: false,
      ...tlsConnectOptions(this.ctx.http.tls),
    });
    sockets.add(ws);
    ws.once('close', () => sockets.delete(ws));
    // The handshake's error is handled below, the socket's by WsSocket; a second one must not throw.
    ws.on('error', ignore);
    return new Promise<VuSocket>((resolve, reject) => {
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
        const socket = new WsSocket(ws, this, {
          typeField: options.typeField ?? 'type',
          timestampField: options.timestampField ?? 'ts',
          bufferSize,
        });
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
