import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MatchPlayer, MessageId, PlayerScore } from './match-protocol.js';

/**
 * What one process tells every process (itself included) so each delivers it to the sockets it
 * holds. `at` is the wall clock in fractional ms when the causing message arrived (the fan-out
 * histogram's start); `ts` is the same instant as the protocol's integer `ts`.
 */
export type MatchEvent =
  | { kind: 'matched'; matchId: string; players: MatchPlayer[]; ts: number; at: number }
  | {
      kind: 'moved';
      matchId: string;
      to: number[];
      playerId: number;
      points: number;
      data?: Record<string, unknown>;
      ts: number;
      at: number;
    }
  | {
      kind: 'ended';
      matchId: string;
      to: number[];
      results: PlayerScore[];
      ts: number;
      at: number;
      /** The socket that sent `end` gets its `id` back on its `ended`. */
      replyTo?: { connection: string; id: MessageId };
    };

/** The event's wire form without its recipients, which the move script prefixes. */
export function encodeEventBody(event: MatchEvent): string {
  const { to: _to, ...body } = event as MatchEvent & { to?: number[] };
  return JSON.stringify(body);
}

function encodeEvent(event: MatchEvent): string {
  const to = event.kind === 'matched' ? event.players.map((p) => p.playerId) : event.to;
  return `${to.join(',')}|${encodeEventBody(event)}`;
}

function decodeEvent(payload: string): MatchEvent {
  const bar = payload.indexOf('|');
  const event = JSON.parse(payload.slice(bar + 1)) as MatchEvent & { to?: number[] };
  if (event.kind !== 'matched') event.to = payload.slice(0, bar).split(',').map(Number);
  return event;
}

/**
 * Redis pub/sub on one channel that every game-api process subscribes to. ioredis's keyPrefix
 * does not apply to channel names (checked with ioredis 5: PUBLISH and SUBSCRIBE go out as
 * given), so the channel carries REDIS_KEY_PREFIX itself: deployments and test runs sharing a
 * Redis never hear each other.
 *
 * On the wire an event is `<recipient ids, comma-separated>|<the event's JSON without to>`, the
 * form the move script publishes itself (matchmaker.ts), so a move costs one Redis command.
 */
export class EventBus {
  readonly channel: string;
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${keyPrefix}realtime`;
  }

  /**
   * Opens the subscriber connection and subscribes; resolves once subscribed. The subscriber
   * queues the SUBSCRIBE while Redis is away and subscribes again after every reconnect.
   */
  start(onEvent: (event: MatchEvent) => void): Promise<void> {
    const subscriber = this.redis.duplicate({
      lazyConnect: false,
      enableOfflineQueue: true,
      commandTimeout: undefined,
      maxRetriesPerRequest: null,
    });
    this.subscriber = subscriber;
    // The command connection already logs Redis outages; this one would repeat them.
    subscriber.on('error', (err: Error) => this.logger.debug({ err: err.message }, 'event bus: redis error'));
    subscriber.on('message', (channel: string, payload: string) => {
      if (channel !== this.channel) return;
      let event: MatchEvent;
      try {
        event = decodeEvent(payload);
      } catch {
        this.logger.warn({ channel }, 'event bus: unparsable event dropped');
        return;
      }
      onEvent(event);
    });
    return subscriber.subscribe(this.channel).then(() => undefined);
  }

  /** Rejects when Redis is unreachable (the caller then delivers locally). */
  async publish(event: MatchEvent): Promise<void> {
    await this.redis.publish(this.channel, encodeEvent(event));
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (!subscriber) return;
    // Away from Redis a queued UNSUBSCRIBE would wait for it: just drop the connection.
    if (subscriber.status !== 'ready') {
      subscriber.disconnect();
      return;
    }
    await subscriber.unsubscribe(this.channel).catch(() => undefined);
    await subscriber.quit().catch(() => subscriber.disconnect());
  }
}
