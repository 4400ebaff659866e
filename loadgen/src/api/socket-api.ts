/**
 * The sockets of the scripting API: `vu.ws` (WebSockets, any protocol through a codec) and
 * `vu.socketio` (Socket.IO 4). What each figure means is in loadgen/README.md, "Sockets" and
 * "Socket.IO".
 */

/** A frame as it travels: a string is a text frame, bytes a binary frame. */
export type WsFrame = string | Uint8Array;

/**
 * A message a codec encodes: a plain object or an array (a class instance is read as an object).
 * TypeScript refuses what no codec can send as a message, with these texts in its error.
 */
export interface WsObject {
  readonly [Symbol.toStringTag]?: 'a Promise, Map or Set is no message: await the Promise; make a Map or Set an object or array';
  readonly bind?: 'a function is no message';
  // biome-ignore lint/suspicious/noExplicitAny: `any` keeps interfaces (which have no index signature) assignable.
  readonly [field: string]: any;
}

/** What `send()` and `request()` take: a message for the codec, or a frame sent as it is. */
export type WsSendable<Out = WsObject> = Out | string | ArrayBuffer | ArrayBufferView;

/**
 * A received message: an object with its type (frames that the codec does not decode into an
 * object with a string type come as `{ type: '(untyped)', data }`).
 */
export interface WsMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

/**
 * How a socket's messages look on the wire: `encode` turns a message the script sends into a
 * frame, `decode` a received frame into a message, whose type, correlation id and server time
 * loadgen reads from its fields (`typeField`, `idField`, `timestampField`). A frame `decode`
 * throws on is kept as `(untyped)` with the frame as `data`. `jsonCodec` (the default) and
 * `msgpackCodec` ship with loadgen; any other protocol is an object of these two functions.
 */
export interface WsCodec<Out = WsObject, In = WsMessage> {
  /** Named in errors. */
  readonly name: string;
  /** A message → its frame: a string is sent as a text frame, bytes as a binary frame. */
  encode(message: Out): WsFrame;
  /** A received frame (a text frame as a string, a binary one as a Uint8Array) → its message. */
  decode(frame: WsFrame): In;
}

/** Options of `vu.ws.connect`. */
export interface WsConnectOptions<Out = WsObject, In = WsMessage> {
  /** Subprotocols offered in `Sec-WebSocket-Protocol`, e.g. ['game.v1', `bearer.${token}`]. */
  protocols?: readonly string[];
  /** Handshake headers, over `vu.http.headers` and the user's cookies. */
  headers?: Record<string, string>;
  /**
   * Send `vu.http.headers` with the handshake. Default: true on the target's host, false on any
   * other. The cookies of the socket's origin (ws → http, wss → https) always go along.
   */
  defaultHeaders?: boolean;
  /** The name the handshake is measured under. Default `ws connect`. */
  name?: string;
  /** Seconds (or a duration such as '5s') for the handshake. Default: the scenario's `timeout`. */
  timeout?: number | string;
  /** How messages are framed. Default `jsonCodec` (JSON text frames). */
  codec?: WsCodec<Out, In>;
  /** The field of a message that holds its type. Default `type`. */
  typeField?: string;
  /** The field of a message that holds its correlation id (a reply carries its request's). Default `id`. */
  idField?: string;
  /** The field of a received message that holds the server's Unix ms time of it. Default `ts`. */
  timestampField?: string;
  /**
   * Received messages kept for a later `next()` (none waiting for them): when full, the oldest is
   * dropped and counted as dropped under its type. Default 100.
   */
  bufferSize?: number;
  /**
   * Offer `permessage-deflate` (RFC 7692); the server may accept it. The `ws` package then
   * compresses messages of 1 KB and more. Default false: a deflate context per socket costs
   * hundreds of KB, which 10,000 sockets cannot afford.
   */
  perMessageDeflate?: boolean;
}

/** Options of `socket.request` and `socket.next`. */
export interface WsWaitOptions {
  /** Seconds (or a duration such as '30s') to wait. Default: the scenario's `timeout`. */
  timeout?: number | string;
}

/** How a socket closed: the close code (1006 when the connection was lost) and reason. */
export interface WsClose {
  code: number;
  reason: string;
}

/**
 * A background handler: runs for every received message of its type, while the user waits,
 * thinks or makes HTTP calls. What it throws (or its promise rejects with) is a script_error.
 */
export type WsHandler<In = WsMessage> = (message: In) => unknown;

/** One open WebSocket of a user; every message sent and received is counted under its type. */
export interface VuSocket<Out = WsObject, In = WsMessage> {
  /** True until the socket closes (either side, or a lost connection). */
  readonly open: boolean;
  /** The subprotocol the server selected ('' when none). */
  readonly protocol: string;
  /** The extensions the server accepted, e.g. 'permessage-deflate' ('' when none). */
  readonly extensions: string;
  /** Resolves when the socket closes, with the close code and reason; never rejects. */
  readonly closed: Promise<WsClose>;
  /**
   * Send a message through the codec (an object is JSON by default), a string as that exact text
   * frame, bytes (Uint8Array, Buffer, ArrayBuffer) as a binary frame. Throws when the socket is
   * closed or the value cannot be sent.
   */
  send(message: WsSendable<Out>): void;
  /**
   * Send `message` and wait for the first message of `replyType` that arrives after it (with the
   * same id when the message has one); the time between is measured under `ws <message type>`.
   */
  request<T = In>(message: WsSendable<Out>, replyType: string, options?: WsWaitOptions): Promise<T>;
  /** The next message of `type`: the oldest one kept in the buffer, else the next to arrive. */
  next<T = In>(type: string, options?: WsWaitOptions): Promise<T>;
  /**
   * Run `handler` for every message of `type` from now on (several handlers run in the order
   * they were added). A handled message is never kept in the buffer; a `request()` or `next()`
   * waiting for its type still gets it.
   */
  on<T = In>(type: string, handler: WsHandler<T>): void;
  /** Remove `handler` from `type` (every handler of `type` when none is given). */
  off<T = In>(type: string, handler?: WsHandler<T>): void;
  /** Close (default code 1000) and wait until the socket has closed. */
  close(code?: number, reason?: string): Promise<void>;
}

/** The user's WebSockets: on the target's host (http -> ws, https -> wss), or any other. */
export interface VuWs {
  /**
   * Open a socket on `path` (on the target's host) or at an absolute `ws://` / `wss://` URL (any
   * host: it gets `vu.http.headers` only when `defaultHeaders: true`), measured as `ws connect`
   * (or `name`); counts as connected (CCU) while open.
   */
  connect<Out = WsObject, In = WsMessage>(
    path: string,
    options?: WsConnectOptions<Out, In>,
  ): Promise<VuSocket<Out, In>>;
}

/** A Socket.IO event argument: JSON values and bytes (sent as binary attachments). */
export type SocketIoArg = string | number | boolean | null | WsObject | ArrayBuffer | ArrayBufferView;

/** Reconnection after a lost connection (socket.io-client's reconnection options). */
export interface SocketIoReconnect {
  /** Attempts in a row before giving up. Default: until the user stops. */
  attempts?: number;
  /** Seconds (or '1s') before the first attempt, doubled after each failure. Default 1. */
  delay?: number | string;
  /** The longest wait between attempts. Default 5 s. */
  delayMax?: number | string;
}

/** Options of `vu.socketio.connect`. */
export interface SocketIoConnectOptions {
  /** The server's Socket.IO path. Default `/socket.io/`. */
  path?: string;
  /** The namespace CONNECT's payload (`socket.handshake.auth` on the server), e.g. `{ token }`. */
  auth?: WsObject;
  /** Added to the handshake URL's query (`socket.handshake.query`). */
  query?: Record<string, string | number | boolean>;
  /** Handshake headers, over `vu.http.headers` and the user's cookies. */
  headers?: Record<string, string>;
  /**
   * Send `vu.http.headers` with the handshake. Default: true on the target's host, false on any
   * other. The cookies of the server's origin always go along.
   */
  defaultHeaders?: boolean;
  /** The name the connection (handshake to namespace connected) is measured under. Default `sio connect`. */
  name?: string;
  /** Seconds (or '5s') for the connection, upgrade to namespace connected. Default: the scenario's `timeout`. */
  timeout?: number | string;
  /** The field of a server event's first argument that holds its Unix ms time. Default `ts`. */
  timestampField?: string;
  /** Server events kept for a later `next()`; the oldest is dropped and counted beyond it. Default 100. */
  bufferSize?: number;
  /**
   * Reconnect after a lost connection (not after the server's `disconnect()`), each attempt
   * measured as the connection is and counted in the summary's `ws.reconnects`. Default false.
   */
  reconnect?: boolean | SocketIoReconnect;
}

/** Why a Socket.IO socket closed, in socket.io-client's words. */
export interface SocketIoClose {
  /** `io client disconnect`, `io server disconnect`, `transport close` or `connect failed` (reconnection gave up). */
  reason: string;
}

/** A Socket.IO event handler: the event's arguments; what it returns answers an ack the server asked for. */
export type SocketIoHandler<A extends unknown[] = unknown[]> = (...args: A) => unknown;

/** `emitWithAck` with its own time limit: `socket.timeout('5s').emitWithAck(...)`. */
export interface SocketIoTimed {
  emitWithAck<T = unknown>(event: string, ...args: SocketIoArg[]): Promise<T>;
}

/**
 * One Socket.IO socket (a namespace over its own Engine.IO connection, WebSocket transport).
 * Events are counted under their names; acks and server events with a timestamp are timed under
 * `sio <event>`. Engine.IO's pings are answered while the user waits or thinks.
 */
export interface VuSocketIo {
  /** True while connected (false while reconnecting and once closed). */
  readonly connected: boolean;
  /** The socket's id on the server (its namespace CONNECT's `sid`). */
  readonly id: string;
  /** Resolves when the socket is closed for good (reconnection included), with the reason; never rejects. */
  readonly closed: Promise<SocketIoClose>;
  /** Send an event, counted under its name. Throws while disconnected. */
  emit(event: string, ...args: SocketIoArg[]): void;
  /** Send an event asking for an ack; resolves with the ack's first argument, timed as `sio <event>`. */
  emitWithAck<T = unknown>(event: string, ...args: SocketIoArg[]): Promise<T>;
  /** `emitWithAck` waiting `timeout` (seconds or '5s') instead of the default. */
  timeout(timeout: number | string): SocketIoTimed;
  /** The next server event `event`: its arguments (the oldest kept in the buffer, else the next). */
  next<A extends unknown[] = unknown[]>(event: string, options?: WsWaitOptions): Promise<A>;
  /** Run `handler` for every server event `event` (see `VuSocket.on`). */
  on<A extends unknown[] = unknown[]>(event: string, handler: SocketIoHandler<A>): void;
  /** Remove `handler` from `event` (every handler of it when none is given). */
  off<A extends unknown[] = unknown[]>(event: string, handler?: SocketIoHandler<A>): void;
  /** Disconnect (the namespace, then the connection) and wait until closed. */
  close(): Promise<void>;
}

/** The user's Socket.IO sockets, on the target's host. */
export interface VuSocketIoClient {
  /**
   * Connect to `namespace` (default '/') on the target's host, or to an absolute URL of another
   * server whose path is the namespace (`https://chat.example/chat`, as socket.io-client's
   * `io(url)` reads it; that server gets `vu.http.headers` only with `defaultHeaders: true`).
   * Unlike socket.io-client, which multiplexes one host's namespaces over one connection, each
   * connect opens its own Engine.IO connection, over the WebSocket transport only (no polling).
   * Measured as `sio connect` (or `name`), from the handshake to the namespace connected; a
   * failed handshake or a refused namespace (`sio_connect_error`) is counted there and rejects
   * with a RequestFailedError. Counts as connected (CCU) until it closes.
   */
  connect(namespace?: string, options?: SocketIoConnectOptions): Promise<VuSocketIo>;
}
