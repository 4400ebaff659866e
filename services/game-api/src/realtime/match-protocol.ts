import { z } from 'zod';

/**
 * The match channel's messages (docs/realtime.md is the contract loadgen builds against): the
 * client's validated here once, the server's typed for `send`.
 */

/** A move's optional `data` object, at most this many bytes as JSON. */
const MAX_MOVE_DATA_BYTES = 1024;
const MAX_MOVE_POINTS = 100;

const messageId = z.union([z.string().max(128), z.number().finite()]);
const matchId = z.string().min(1).max(64);

const moveData = z
  .record(z.string(), z.unknown())
  .refine((d) => Buffer.byteLength(JSON.stringify(d)) <= MAX_MOVE_DATA_BYTES, {
    message: `data is at most ${MAX_MOVE_DATA_BYTES} bytes of JSON`,
  });

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), id: messageId.optional(), token: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('queue'), id: messageId.optional() }),
  z.object({
    type: z.literal('move'),
    id: messageId.optional(),
    matchId,
    points: z.number().int().min(0).max(MAX_MOVE_POINTS),
    data: moveData.optional(),
  }),
  z.object({ type: z.literal('end'), id: messageId.optional(), matchId }),
  z.object({ type: z.literal('leave'), id: messageId.optional() }),
]);

export type ClientMessage = z.infer<typeof clientMessage>;
type ClientMessageType = ClientMessage['type'];
export type MessageId = z.infer<typeof messageId>;

const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set<ClientMessageType>([
  'auth',
  'queue',
  'move',
  'end',
  'leave',
]);

export type ErrorCode =
  | 'bad_json'
  | 'unknown_type'
  | 'invalid_message'
  | 'not_in_match'
  | 'already_queued'
  | 'not_queued'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface MatchPlayer {
  playerId: number;
  username: string;
}

export interface PlayerScore {
  playerId: number;
  score: number;
}

export type ServerMessage =
  | { type: 'welcome'; id?: MessageId; playerId: number; username: string; ts: number }
  | { type: 'queued'; id?: MessageId }
  | { type: 'left'; id?: MessageId }
  | { type: 'move_ack'; id?: MessageId; ts: number }
  | { type: 'matched'; matchId: string; players: MatchPlayer[]; ts: number }
  | {
      type: 'moved';
      matchId: string;
      playerId: number;
      points: number;
      data?: Record<string, unknown>;
      ts: number;
    }
  | { type: 'ended'; id?: MessageId; matchId: string; results: PlayerScore[]; ts: number }
  | { type: 'error'; id?: MessageId; code: ErrorCode; message: string };

export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  tooBig: 1009,
  unauthorized: 4401,
  authTimeout: 4408,
  slowConsumer: 4409,
} as const;

/** The handshake's `Sec-WebSocket-Protocol`: the server selects this one. */
export const SUBPROTOCOL = 'game.v1';
/** A handshake protocol `bearer.<jwt>` carries the token. */
export const BEARER_PREFIX = 'bearer.';

type ParsedClientMessage =
  | { message: ClientMessage; label: string }
  | { message?: undefined; label: string; code: ErrorCode; reason: string; id?: MessageId };

/**
 * Reads one frame: the message, or the error to answer it with (with the frame's `id` when it
 * had a usable one). `label` is its `game_api_ws_messages_total` type: the message type,
 * `unknown` for an unknown type, `invalid` for an unreadable frame.
 */
export function parseClientMessage(text: string, isBinary: boolean): ParsedClientMessage {
  if (isBinary) return { label: 'invalid', code: 'bad_json', reason: 'frames are UTF-8 JSON text' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { label: 'invalid', code: 'bad_json', reason: 'not JSON' };
  }
  if (typeof json !== 'object' || json === null || typeof (json as { type?: unknown }).type !== 'string') {
    return { label: 'invalid', code: 'invalid_message', reason: 'a message is an object with a string type' };
  }
  const raw = json as { type: string; id?: unknown };
  const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? raw.id : undefined;
  if (!CLIENT_MESSAGE_TYPES.has(raw.type)) {
    return { label: 'unknown', code: 'unknown_type', reason: `unknown type "${raw.type.slice(0, 32)}"`, id };
  }
  const checked = clientMessage.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') || raw.type;
    return { label: raw.type, code: 'invalid_message', reason: `${where}: ${issue?.message}`, id };
  }
  return { message: checked.data, label: raw.type };
}
