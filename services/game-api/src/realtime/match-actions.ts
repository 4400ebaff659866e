import type { Logger } from 'pino';
import type { LeaderboardCache } from '../cache/leaderboard-cache.js';
import type { ProfileCache } from '../cache/profile-cache.js';
import { recordSessionsEnded } from '../cache/sessions-ended.js';
import { MatchAlreadyRecordedError, type MatchesRepository } from '../db/matches-repository.js';
import { DependencyUnavailableError } from '../errors.js';
import type { FaultInjector } from '../fault/fault-injector.js';
import { type EventBus, encodeEventBody, type MatchEvent } from './event-bus.js';
import type { ClientMessage, MessageId } from './match-protocol.js';
import type { Matchmaker } from './matchmaker.js';
import type { PlayerConnection } from './player-connection.js';

/** The fault points of the match channel: valid values of BOTTLENECK_ROUTE. */
const WS_FAULT_POINTS = ['WS move', 'WS queue', 'WS end'] as const;

interface MatchActionsDeps {
  matchmaker: Matchmaker;
  bus: EventBus;
  matches: MatchesRepository;
  leaderboard: LeaderboardCache;
  profiles: ProfileCache;
  fault: FaultInjector;
  logger: Logger;
  /** Delivers an event to this process's sockets: the fallback when the bus cannot publish. */
  deliverLocally(event: MatchEvent): void;
}

const NOT_IN_MATCH = 'not a player of an open match with that id';

/** What each client message does once its socket is authenticated (docs/realtime.md). */
export class MatchActions {
  constructor(private readonly deps: MatchActionsDeps) {
    for (const point of WS_FAULT_POINTS) deps.fault.register(point);
  }

  /** Handles one message; never rejects: a failure is logged and answered with an error. */
  async handle(conn: PlayerConnection, message: ClientMessage, receivedAt: number): Promise<void> {
    try {
      switch (message.type) {
        case 'queue':
          return await this.queue(conn, message.id, receivedAt);
        case 'leave':
          return await this.leave(conn, message.id);
        case 'move':
          return await this.move(conn, message, receivedAt);
        case 'end':
          return await this.end(conn, message.matchId, message.id, receivedAt);
        case 'auth':
          return;
      }
    } catch (err) {
      const unavailable = err instanceof DependencyUnavailableError;
      // An outage is logged once where it is detected; each refused message only at debug.
      this.deps.logger[unavailable ? 'debug' : 'warn'](
        { err: (err as Error).message, type: message.type, playerId: conn.player?.userId },
        'match channel: message failed',
      );
      conn.send({
        type: 'error',
        id: message.id,
        code: unavailable ? 'unavailable' : 'internal',
        message: unavailable ? `${err.dependency} is unavailable; retry later` : 'internal error',
      });
    }
  }

  /** The socket closed: takes its player out of the queue if this socket queued them. */
  async disconnected(conn: PlayerConnection): Promise<void> {
    const player = conn.player;
    if (!player) return;
    await this.deps.matchmaker.dequeue(player.userId, conn.id).catch((err: Error) => {
      this.deps.logger.debug({ err: err.message, playerId: player.userId }, 'match channel: dequeue failed');
    });
  }

  private async queue(conn: PlayerConnection, id: MessageId | undefined, receivedAt: number): Promise<void> {
    const { matchmaker, fault } = this.deps;
    const player = conn.player!;
    await fault.delay('WS queue');
    if (!conn.open) return;
    const replied = conn.queueRequested();
    const before = conn.queuedAt;
    conn.queuedAt ??= receivedAt;
    try {
      const result = await matchmaker.enqueue(
        { playerId: player.userId, username: player.username },
        conn.id,
      );
      if (result.kind === 'already_queued') {
        conn.queuedAt = before;
        conn.send({ type: 'error', id, code: 'already_queued', message: 'this player is already queued' });
        return;
      }
      conn.send({ type: 'queued', id });
      replied();
      if (result.kind === 'matched') {
        await this.publish({
          kind: 'matched',
          matchId: result.matchId,
          players: result.players,
          // The protocol's ts: when the queue message that completed the match arrived.
          ts: Math.floor(receivedAt),
          at: receivedAt,
        });
      }
    } catch (err) {
      conn.queuedAt = before;
      throw err;
    } finally {
      replied();
    }
  }

  private async leave(conn: PlayerConnection, id: MessageId | undefined): Promise<void> {
    const left = await this.deps.matchmaker.dequeue(conn.player!.userId, conn.id);
    conn.queuedAt = undefined;
    // Not in the queue: never queued, or matched an instant ago (`matched` is on its way).
    if (left) conn.send({ type: 'left', id });
    else
      conn.send({ type: 'error', id, code: 'not_queued', message: 'this socket has no player in the queue' });
  }

  private async move(
    conn: PlayerConnection,
    message: Extract<ClientMessage, { type: 'move' }>,
    receivedAt: number,
  ): Promise<void> {
    const { matchmaker, fault, bus } = this.deps;
    const playerId = conn.player!.userId;
    await fault.delay('WS move');
    const ts = Math.floor(receivedAt);
    const moved: MatchEvent = {
      kind: 'moved',
      matchId: message.matchId,
      to: [],
      playerId,
      points: message.points,
      data: message.data,
      ts,
      at: receivedAt,
    };
    // One round trip: the script adds the points and publishes `moved` to the match's players.
    const players = await matchmaker.move(message.matchId, playerId, message.points, {
      channel: bus.channel,
      body: encodeEventBody(moved),
    });
    if (!players) {
      conn.send({ type: 'error', id: message.id, code: 'not_in_match', message: NOT_IN_MATCH });
      return;
    }
    conn.send({ type: 'move_ack', id: message.id, ts });
  }

  /**
   * Ends a match once: claimed in Redis (a second `end` is refused there), written to MySQL in
   * one transaction (the match id is its primary key, the last guard), then the caches as for
   * a REST session, then `ended` to every player.
   */
  private async end(
    conn: PlayerConnection,
    matchId: string,
    id: MessageId | undefined,
    receivedAt: number,
  ): Promise<void> {
    const { matchmaker, matches, fault, logger } = this.deps;
    await fault.delay('WS end');
    const claimed = await matchmaker.claimEnd(matchId, conn.player!.userId);
    if (!claimed) {
      conn.send({ type: 'error', id, code: 'not_in_match', message: NOT_IN_MATCH });
      return;
    }
    const results = claimed.results;
    let recorded: Awaited<ReturnType<MatchesRepository['record']>>;
    try {
      recorded = await matches.record(
        matchId,
        claimed.createdAt,
        results.map((r) => ({ userId: r.playerId, score: r.score })),
      );
    } catch (err) {
      if (err instanceof MatchAlreadyRecordedError) {
        await matchmaker.forget(matchId).catch(() => undefined);
        conn.send({ type: 'error', id, code: 'not_in_match', message: NOT_IN_MATCH });
        return;
      }
      // Nothing was written: the players may end it again.
      await matchmaker.releaseEnd(matchId).catch(() => undefined);
      throw err;
    }
    // MySQL has committed. A match still in Redis stays refused (`ending` is set) and a later
    // claim meets the primary key, so a failure here cannot write it twice.
    await matchmaker.forget(matchId).catch((err: Error) => {
      logger.debug({ err: err.message, matchId }, 'match channel: ended match not dropped from redis');
    });
    await recordSessionsEnded(this.deps, recorded);
    await this.publish({
      kind: 'ended',
      matchId,
      to: results.map((r) => r.playerId),
      results,
      ts: Math.floor(receivedAt),
      at: receivedAt,
      replyTo: id === undefined ? undefined : { connection: conn.id, id },
    });
  }

  /** To every process through Redis; when Redis cannot take it, at least to this one's sockets. */
  private async publish(event: MatchEvent): Promise<void> {
    await this.deps.bus.publish(event).catch(() => this.deps.deliverLocally(event));
  }
}
