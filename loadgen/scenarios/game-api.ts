import type { ServerOptions } from '@game-load-lab/loadgen';

/**
 * What loadgen may know of game-api (services/game-api), beside the game script: the gauge that
 * shows its fault toggle, and what one request of each endpoint asks of MySQL and Redis, read from
 * game-api's route handlers (services/game-api/src/routes, src/cache). Redis commands are counted
 * as Redis's own commands/s counts them: MULTI and EXEC, and each command a script runs besides
 * the EVAL/EVALSHA itself. Recounted with `redis-cli MONITOR` on a Redis of game-api's alone, one
 * request of each endpoint (2026-12-07). `loadgen capacity` multiplies the measured request mix
 * by these and prints them as assumptions.
 */
export const gameApiServer: ServerOptions = {
  faultGauge: 'game_api_fault_delay_ms',
  resources: {
    'POST /api/users': { mysql: true, redisOps: 0 },
    // two login limiters (per address, per username), each a script (EVALSHA SET INCRBY PTTL)
    // consuming a point before the compare and one giving it back after a right password
    'POST /api/login': { mysql: true, redisOps: 16 },
    'GET /api/users': { mysql: true, redisOps: 0 },
    // profile cache MULTI GET GET EXEC (profile, version), and on a miss a MySQL read and the
    // store-if-current script (EVALSHA GET SET): in the game loop every session end invalidates
    // the profile, so the loop's next GET /api/me misses (4 on a hit)
    'GET /api/me': { mysql: true, redisOps: 7 },
    'POST /api/sessions': { mysql: true, redisOps: 0 },
    'POST /api/sessions/:id/score': { mysql: true, redisOps: 0 },
    // leaderboard script (EVALSHA ZADD HSET EXISTS), profile invalidation MULTI INCR EXPIRE DEL EXEC
    'POST /api/sessions/:id/end': { mysql: true, redisOps: 9 },
    // MULTI EXISTS ZREVRANGE EXEC, then HMGET of the names
    'GET /api/leaderboard': { mysql: false, redisOps: 5 },
  },
};
