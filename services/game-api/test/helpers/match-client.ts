import { WebSocket } from 'ws';

/** A server message as the tests read it. */
export type Received = { type: string; [field: string]: unknown };

export interface Closed {
  code: number;
  reason: string;
}

export interface ConnectOptions {
  /** `protocol`: `game.v1, bearer.<token>` in the handshake; `message`: an `auth` message after
   * open (awaits `welcome`); `none`: no authentication at all. */
  auth?: 'protocol' | 'message' | 'none';
  /** ws client options (`autoPong: false` for a client that never answers pings). */
  ws?: ConstructorParameters<typeof WebSocket>[2];
}

/** `http://host:port` → `ws://host:port/ws`. */
export const wsUrl = (httpUrl: string, path = '/ws') => `${httpUrl.replace(/^http/, 'ws')}${path}`;

/**
 * A match-channel client for tests: every message it receives is kept in order, `next(type)`
 * takes the first one of that type not taken yet (waiting for it if needed) and fails as soon as
 * the socket closes, so a test waits on events, never on timers. Counts what it sent and received.
 */
export class MatchClient {
  readonly received: Received[] = [];
  readonly sentTypes = new Map<string, number>();
  readonly closed: Promise<Closed>;
  private readonly taken = new Set<Received>();
  private waiters: { types: string[]; resolve: (m: Received) => void; reject: (e: Error) => void }[] = [];
  private closedWith: Closed | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Received;
      this.received.push(message);
      const waiter = this.waiters.find((w) => w.types.includes(message.type));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        this.taken.add(message);
        waiter.resolve(message);
      }
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        for (const w of this.waiters) {
          w.reject(
            new Error(`socket closed (${code} ${reason}) while waiting for "${w.types.join('" or "')}"`),
          );
        }
        this.waiters = [];
        resolve(this.closedWith);
      });
    });
    socket.on('error', () => undefined);
  }

  static async connect(url: string, token?: string, options: ConnectOptions = {}): Promise<MatchClient> {
    const auth = options.auth ?? (token ? 'protocol' : 'none');
    const protocols = auth === 'protocol' ? ['game.v1', `bearer.${token}`] : ['game.v1'];
    const socket = new WebSocket(url, protocols, options.ws);
    const client = new MatchClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (auth === 'message') client.send({ type: 'auth', token });
    return client;
  }

  /** The first message of `type` (or of any of `types`) not taken yet, now or when it arrives. */
  next(...types: string[]): Promise<Received> {
    const seen = this.received.find((m) => types.includes(m.type) && !this.taken.has(m));
    if (seen) {
      this.taken.add(seen);
      return Promise.resolve(seen);
    }
    if (this.closedWith) {
      const { code, reason } = this.closedWith;
      return Promise.reject(new Error(`socket closed (${code} ${reason}) before "${types.join('" or "')}"`));
    }
    return new Promise((resolve, reject) => this.waiters.push({ types, resolve, reject }));
  }

  send(message: Record<string, unknown> | string): void {
    const type = typeof message === 'string' ? 'raw' : String(message.type);
    this.sentTypes.set(type, (this.sentTypes.get(type) ?? 0) + 1);
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends and awaits the first message of `replyType` (or an error) after it. */
  async request(message: Record<string, unknown>, replyType: string): Promise<Received> {
    this.send(message);
    return this.next(replyType);
  }

  /** Closes normally and waits for the close to complete. */
  async close(): Promise<Closed> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    return this.closed;
  }

  /** Drops the TCP connection without a close frame, as a crashing client or a network cut. */
  async drop(): Promise<Closed> {
    this.socket.terminate();
    return this.closed;
  }

  countReceived(type: string): number {
    return this.received.filter((m) => m.type === type).length;
  }
}
