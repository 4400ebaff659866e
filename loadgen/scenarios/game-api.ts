import type { ServerOptions } from '@game-load-lab/loadgen';

/**
 * What loadgen may know of game-api (services/game-api), beside the game script: the gauge that
 * shows its fault toggle, and what one request of each endpoint asks of MySQL and Redis, read from
 * game-api's route handlers (services/game-api/src/routes, src/cache). Redis commands count MULTI
 * and EXEC, as Redis's own commands/s does. `loadgen capacity` multiplies the measured request
 * mix by these and prints them as assumptions.
 */
export const gameApiServer: ServerOptions = {
  faultGauge: 'game_api_fault_delay_ms',
  resources: {
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
  },
};
