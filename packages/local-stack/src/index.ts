// The local stack: the lab's services as local processes, for the lab (infra/lab) and the tests
// of every workspace. No workspace is a dependency: game-api is started from a path the caller gives.
export { findTool } from './find-tool.js';
export { freePort } from './free-port.js';
export { type GameApiProcess, type GameApiProcessOptions, startGameApi } from './game-api-process.js';
export {
  outputTail,
  type ProcessSpec,
  type RunningProcess,
  startProcess,
  untilReady,
} from './managed-process.js';
export { type MariaDbOptions, startMariaDb } from './mariadb-server.js';
export { isAlive, isSameProcess, procStat, type StartedProcess, stopProcess } from './process-record.js';
export { type PrometheusOptions, startPrometheus } from './prometheus-server.js';
export { type RedisOptions, startRedis } from './redis-server.js';
export { StackError, type StackErrorCode } from './stack-error.js';
export { type WaitForOptions, waitFor } from './wait-for.js';
