import type { ServerOptions } from '@game-load-lab/loadgen';

/**
 * What loadgen may know of game-api (services/game-api), beside the game script: the gauge that
 * shows its fault toggle, the resources behind it, and what one request of each endpoint costs in
 * them, read from game-api's route handlers (services/game-api/src/routes, src/cache). Redis
 * commands are counted as Redis's own commands/s counts them: MULTI and EXEC, and each command a
 * script runs besides the EVAL/EVALSHA itself. Recounted with `redis-cli MONITOR` on a Redis of
 * game-api's alone, one request of each endpoint (2026-12-07). `loadgen capacity` multiplies the
 * measured request mix by these and prints them as assumptions.
 */
export const gameApiServer: ServerOptions = {
  faultGauge: 'game_api_fault_delay_ms',
  resources: {
    // A request holds one connection of its instance's MySQL pool while it queries; an endpoint
    // not listed below is counted as holding one (the safe side for the pool). One MariaDB server
    // takes 151 connections: `SELECT @@max_connections` on the lab's MariaDB 10.11, its default.
    mysql: { kind: 'pool', label: 'MySQL connections', perMachine: 151, defaultCost: 1 },
    // No per-machine figure: nothing in the repository measures one Redis server's commands/s, so
    // the plan gives the commands/s needed and no machine count.
    redis: { kind: 'ops', label: 'Redis commands' },
  },
  costs: {
    'POST /api/users': { mysql: 1 },
    // two login limiters (per address, per username), each a script (EVALSHA SET INCRBY PTTL)
    // consuming a point before the compare and one giving it back after a right password
    'POST /api/login': { mysql: 1, redis: 16 },
    'GET /api/users': { mysql: 1 },
    // profile cache MULTI GET GET EXEC (profile, version), and on a miss a MySQL read and the
    // store-if-current script (EVALSHA GET SET): in the game loop every session end invalidates
    // the profile, so the loop's next GET /api/me misses (4 on a hit)
    'GET /api/me': { mysql: 1, redis: 7 },
    'POST /api/sessions': { mysql: 1 },
    'POST /api/sessions/:id/score': { mysql: 1 },
    // leaderboard script (EVALSHA ZADD HSET EXISTS), profile invalidation MULTI INCR EXPIRE DEL EXEC
    'POST /api/sessions/:id/end': { mysql: 1, redis: 9 },
    // MULTI EXISTS ZREVRANGE EXEC, then HMGET of the names
    'GET /api/leaderboard': { redis: 5 },
  },
};
