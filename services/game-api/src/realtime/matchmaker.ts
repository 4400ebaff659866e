import { randomUUID } from 'node:crypto';
import { type Redis, ReplyError } from 'ioredis';
import type { Logger } from 'pino';
import { MAX_SESSION_SCORE } from '../db/sessions-repository.js';
import { DependencyUnavailableError } from '../errors.js';
import type { MatchPlayer } from './match-protocol.js';

/** Player ids waiting, oldest first. */
const QUEUE = 'mm:queue';
/** playerId → `<connection>|<username>` of the socket that queued them: at most one entry each. */
const WAITING = 'mm:waiting';
const matchKey = (matchId: string) => `match:${matchId}`;
/** `<this>` + instance: set while that game-api process lives (see `Matchmaker.startPresence`). */
const PRESENCE = 'mm:alive:';
/** Presence is refreshed this often (or every heartbeat when that is shorter) and lasts 3 times as long. */
const PRESENCE_REFRESH_MS = 5_000;

/** A match nobody moved in or ended for this long is dropped from Redis. */
const MATCH_IDLE_TTL_MS = 3_600_000;
/** An `end` whose process died before committing frees the match for another `end` after this. */
const END_LEASE_MS = 30_000;

// A match is a hash: `players` (ids, comma-separated), `created` (Unix ms), `p:<id>` (that
// player's score) and, once someone ends it, `ending` (Unix ms): moves stop there.

/**
 * KEYS: queue, waiting, new match. ARGV: playerId, entry, match size, created ms, ttl ms, the
 * presence keys' prefix. false: already queued; {}: queued, waiting; else the matched ids and
 * their entries, in pairs.
 *
 * An entry is `<instance>:<n>|<username>`; it is alive while its process's presence key
 * (`<prefix><instance>`) exists. A dead process's entry (killed before it could dequeue its
 * players) is taken over by the player's new queue, and dropped when its turn comes, so no
 * player is paired with a ghost.
 */
const ENQUEUE = `
local function alive(entry)
  if not entry then return false end
  local instance = string.match(entry, '^([^:|]+):')
  return instance ~= nil and redis.call('exists', ARGV[6] .. instance) == 1
end
local existing = redis.call('hget', KEYS[2], ARGV[1])
if existing and alive(existing) then return false end
redis.call('hset', KEYS[2], ARGV[1], ARGV[2])
if not existing then redis.call('rpush', KEYS[1], ARGV[1]) end
local size = tonumber(ARGV[3])
if redis.call('llen', KEYS[1]) < size then return {} end
local ids, entries = {}, {}
while #ids < size do
  local id = redis.call('lpop', KEYS[1])
  if not id then break end
  local entry = redis.call('hget', KEYS[2], id)
  if alive(entry) then
    ids[#ids + 1] = id
    entries[#entries + 1] = entry
  else
    redis.call('hdel', KEYS[2], id)
  end
end
if #ids < size then
  for i = #ids, 1, -1 do redis.call('lpush', KEYS[1], ids[i]) end
  return {}
end
redis.call('hdel', KEYS[2], unpack(ids))
local out = {}
for i, id in ipairs(ids) do
  redis.call('hset', KEYS[3], 'p:' .. id, 0)
  out[#out + 1] = id
  out[#out + 1] = entries[i]
end
redis.call('hset', KEYS[3], 'players', table.concat(ids, ','), 'created', ARGV[4])
redis.call('pexpire', KEYS[3], ARGV[5])
return out`;

/** KEYS: queue, waiting. ARGV: playerId, connection. 1 when that connection's entry was removed. */
const DEQUEUE = `
local entry = redis.call('hget', KEYS[2], ARGV[1])
if not entry or string.sub(entry, 1, #ARGV[2] + 1) ~= ARGV[2] .. '|' then return 0 end
redis.call('hdel', KEYS[2], ARGV[1])
redis.call('lrem', KEYS[1], 0, ARGV[1])
return 1`;

/**
 * KEYS: match. ARGV: playerId, points, max score, ttl ms, channel, event body. Adds the points
 * and publishes `<players>|<body>` on the bus's channel (event-bus.ts's wire form) in the same
 * round trip. The players' ids, or false when the player is not in an open match.
 */
const MOVE = `
local v = redis.call('hmget', KEYS[1], 'p:' .. ARGV[1], 'ending', 'players')
if not v[1] or v[2] then return false end
local score = math.min(tonumber(v[1]) + tonumber(ARGV[2]), tonumber(ARGV[3]))
redis.call('hset', KEYS[1], 'p:' .. ARGV[1], score)
redis.call('pexpire', KEYS[1], ARGV[4])
redis.call('publish', ARGV[5], v[3] .. '|' .. ARGV[6])
return v[3]`;

/**
 * KEYS: match. ARGV: playerId, now ms, lease ms. Claims the match's end for the caller (once:
 * a second claim fails while the first holds its lease) and returns the hash, or false.
 */
const CLAIM_END = `
local v = redis.call('hmget', KEYS[1], 'p:' .. ARGV[1], 'ending')
if not v[1] then return false end
if v[2] and tonumber(ARGV[2]) - tonumber(v[2]) < tonumber(ARGV[3]) then return false end
redis.call('hset', KEYS[1], 'ending', ARGV[2])
return redis.call('hgetall', KEYS[1])`;

type Scripted = Redis & {
  mmEnqueue(queue: string, waiting: string, match: string, ...argv: string[]): Promise<string[] | null>;
  mmDequeue(queue: string, waiting: string, ...argv: string[]): Promise<number>;
  mmMove(match: string, ...argv: string[]): Promise<string | null>;
  mmClaimEnd(match: string, ...argv: string[]): Promise<string[] | null>;
};

type EnqueueResult =
  | { kind: 'already_queued' }
  | { kind: 'waiting' }
  | { kind: 'matched'; matchId: string; players: MatchPlayer[] };

interface ClaimedMatch {
  createdAt: Date;
  results: { playerId: number; score: number }[];
}

const parseIds = (players: string): number[] => players.split(',').map(Number);

/** Redis could not be reached (a script's own error is a bug and stays as it is). */
function unavailable(err: unknown): never {
  if (err instanceof ReplyError) throw err;
  throw new DependencyUnavailableError('redis', `redis: ${(err as Error).message}`, { cause: err });
}

/**
 * Matchmaking and match state in Redis, shared by every game-api process: the queue is a list
 * paired by one Lua script (no player is matched twice), a match is a hash with a TTL, and its
 * end is claimed atomically so it is written to MySQL once.
 */
export class Matchmaker {
  private readonly redis: Scripted;
  /** This process's id in connection ids (`<instance>:<n>`) and in its presence key. */
  readonly instance = randomUUID().slice(0, 8);
  private presenceTimer: NodeJS.Timeout | undefined;
  private readonly presenceMs: number;

  constructor(
    redis: Redis,
    private readonly matchSize: number,
    /** The heartbeat's interval: presence is refreshed at least as often. */
    heartbeatMs: number,
    private readonly logger: Logger,
  ) {
    this.presenceMs = Math.min(PRESENCE_REFRESH_MS, heartbeatMs);
    redis.defineCommand('mmEnqueue', { numberOfKeys: 3, lua: ENQUEUE });
    redis.defineCommand('mmDequeue', { numberOfKeys: 2, lua: DEQUEUE });
    redis.defineCommand('mmMove', { numberOfKeys: 1, lua: MOVE });
    redis.defineCommand('mmClaimEnd', { numberOfKeys: 1, lua: CLAIM_END });
    this.redis = redis as Scripted;
  }

  /**
   * Marks this process alive in Redis, now and every refresh, with a TTL of three refreshes: a
   * process that dies without dequeuing its players (SIGKILL, OOM) stops refreshing, and its
   * queue entries count as dead once the key expires.
   */
  startPresence(): void {
    const refresh = () =>
      this.redis
        .set(`${PRESENCE}${this.instance}`, '1', 'PX', 3 * this.presenceMs)
        .catch((err: Error) => this.logger.warn({ err: err.message }, 'matchmaker: presence refresh failed'));
    void refresh();
    this.presenceTimer = setInterval(refresh, this.presenceMs);
    this.presenceTimer.unref();
  }

  /** Shutdown: this process's queued players were dequeued; its presence goes now. */
  async stopPresence(): Promise<void> {
    clearInterval(this.presenceTimer);
    await this.redis.del(`${PRESENCE}${this.instance}`).catch(() => undefined);
  }

  /** Queues the player for `connection` (the socket's id) and pairs the queue when it is full. */
  async enqueue(player: MatchPlayer, connection: string): Promise<EnqueueResult> {
    const matchId = randomUUID();
    const out = await this.redis
      .mmEnqueue(
        QUEUE,
        WAITING,
        matchKey(matchId),
        String(player.playerId),
        `${connection}|${player.username}`,
        String(this.matchSize),
        String(Date.now()),
        String(MATCH_IDLE_TTL_MS),
        // Keys built inside the script get no ioredis keyPrefix of their own.
        `${this.redis.options.keyPrefix ?? ''}${PRESENCE}`,
      )
      .catch(unavailable);
    if (out === null) return { kind: 'already_queued' };
    if (out.length === 0) return { kind: 'waiting' };
    const players: MatchPlayer[] = [];
    for (let i = 0; i < out.length; i += 2) {
      const entry = out[i + 1] ?? '';
      players.push({ playerId: Number(out[i]), username: entry.slice(entry.indexOf('|') + 1) });
    }
    return { kind: 'matched', matchId, players };
  }

  /** Takes the player out of the queue if `connection` queued them; true when it did. */
  async dequeue(playerId: number, connection: string): Promise<boolean> {
    const removed = await this.redis
      .mmDequeue(QUEUE, WAITING, String(playerId), connection)
      .catch(unavailable);
    return removed === 1;
  }

  /**
   * Adds a move's points and publishes `announce` (an event body, event-bus.ts) to the match's
   * players; the match's player ids, or undefined when the player is not in it.
   */
  async move(
    matchId: string,
    playerId: number,
    points: number,
    announce: { channel: string; body: string },
  ): Promise<number[] | undefined> {
    const players = await this.redis
      .mmMove(
        matchKey(matchId),
        String(playerId),
        String(points),
        String(MAX_SESSION_SCORE),
        String(MATCH_IDLE_TTL_MS),
        announce.channel,
        announce.body,
      )
      .catch(unavailable);
    return players === null ? undefined : parseIds(players);
  }

  /** Claims the end of a match the player is in; undefined when not in it or already ending. */
  async claimEnd(matchId: string, playerId: number): Promise<ClaimedMatch | undefined> {
    const flat = await this.redis
      .mmClaimEnd(matchKey(matchId), String(playerId), String(Date.now()), String(END_LEASE_MS))
      .catch(unavailable);
    if (flat === null) return undefined;
    const hash = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) hash.set(flat[i]!, flat[i + 1]!);
    return {
      createdAt: new Date(Number(hash.get('created'))),
      results: parseIds(hash.get('players') ?? '').map((id) => ({
        playerId: id,
        score: Number(hash.get(`p:${id}`) ?? 0),
      })),
    };
  }

  /** Gives a claimed end back (MySQL failed), so the players can end the match again. */
  async releaseEnd(matchId: string): Promise<void> {
    await this.redis.hdel(matchKey(matchId), 'ending').catch(unavailable);
  }

  /** Drops an ended match: later moves and ends get `not_in_match`. */
  async forget(matchId: string): Promise<void> {
    await this.redis.del(matchKey(matchId)).catch(unavailable);
  }

  queueLength(): Promise<number> {
    return this.redis.llen(QUEUE);
  }
}
