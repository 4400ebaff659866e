/**
 * mysql2 error codes that mean "MySQL cannot be reached or is going away", as opposed to a query
 * MySQL answered with an error (a constraint, a syntax error: a defect or a case the code
 * handles). Only these become `503 unavailable`; everything else stays what it is.
 */
const CONNECTION_ERROR_CODES = new Set([
  // The socket: nothing listens, the peer reset or vanished, the handshake timed out.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  // mysql2: the server closed the connection, or a packet did not arrive in time.
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  // The server refuses connections or is shutting down (MariaDB kills its connections first).
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
]);

/** MariaDB's ER_CONNECTION_KILLED, which mysql2's table of names does not know (no `code`). */
const MARIADB_CONNECTION_KILLED = 1927;

interface Mysql2Error {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
}

export function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errno, fatal } = err as Mysql2Error;
  if (errno === MARIADB_CONNECTION_KILLED) return true;
  if (typeof code === 'string') return CONNECTION_ERROR_CODES.has(code);
  // A command on a connection mysql2 has already seen die ("Can't add new command when
  // connection is in closed state") carries no code, only the fatal flag.
  return fatal === true;
}
