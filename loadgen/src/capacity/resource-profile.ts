/**
 * What one request of each game-api endpoint asks of MySQL and Redis, read from game-api's
 * route handlers (services/game-api/src/routes, src/cache); Redis commands count MULTI and
 * EXEC, as Redis's own commands/s does. The capacity plan multiplies the measured request mix
 * by these; they are printed with the plan as assumptions.
 */
export interface EndpointResources {
  /** The request holds a MySQL pool connection for (at most) its whole duration. */
  mysql: boolean;
  /** Redis commands per request. */
  redisOps: number;
}

export const GAME_API_RESOURCES: Readonly<Record<string, EndpointResources>> = {
  'POST /api/users': { mysql: true, redisOps: 0 },
  // rate-limit check MULTI GET TTL EXEC, then DEL on success
  'POST /api/login': { mysql: true, redisOps: 5 },
  'GET /api/users': { mysql: true, redisOps: 0 },
  // profile cache GET, and on a miss a MySQL read and SET: in the game loop every session end
  // invalidates the profile, so the loop's next GET /api/me misses
  'GET /api/me': { mysql: true, redisOps: 2 },
  'POST /api/sessions': { mysql: true, redisOps: 0 },
  'POST /api/sessions/:id/score': { mysql: true, redisOps: 0 },
  // leaderboard MULTI ZADD HSET EXEC, profile cache DEL
  'POST /api/sessions/:id/end': { mysql: true, redisOps: 5 },
  // MULTI EXISTS ZREVRANGE EXEC, then HMGET of the names
  'GET /api/leaderboard': { mysql: false, redisOps: 5 },
};

/** An endpoint this table does not know is assumed to use MySQL and no Redis (the safe side for the pool). */
/**
 * Calls a player makes once (register) or once per session (log in), not in the steady loop.
 * The step run spawns each step's new players at once, so these arrive as a burst of bcrypt
 * work at every step's start: counted in, they put the knee where the spawning was, not where
 * steady play saturates the API. The capacity analysis leaves them out unless asked.
 */
export const GAME_API_SETUP_ENDPOINTS: readonly string[] = ['POST /api/users', 'POST /api/login'];

export const UNKNOWN_ENDPOINT: EndpointResources = { mysql: true, redisOps: 0 };

export function resourcesOf(endpoint: string): EndpointResources {
  return GAME_API_RESOURCES[endpoint] ?? UNKNOWN_ENDPOINT;
}
