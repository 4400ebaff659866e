import { describe, expect, it } from 'vitest';
import { isConnectionError } from '../../src/db/connection-errors.js';

const mysql2Error = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);

describe('isConnectionError', () => {
  it.each([
    [{ code: 'ECONNREFUSED', fatal: true }],
    [{ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }],
    [{ code: 'ETIMEDOUT', fatal: true }],
    [{ code: 'ER_CON_COUNT_ERROR', errno: 1040 }],
    [{ code: 'ER_SERVER_SHUTDOWN', errno: 1053 }],
    // MariaDB's ER_CONNECTION_KILLED: mysql2 has no name for it.
    [{ errno: 1927 }],
    // A command on a connection mysql2 has already closed.
    [{ fatal: true }],
  ])('classifies %o as MySQL being unreachable', (fields) => {
    expect(isConnectionError(mysql2Error(fields))).toBe(true);
  });

  it.each([
    [{ code: 'ER_NO_SUCH_TABLE', errno: 1146 }],
    [{ code: 'ER_DUP_ENTRY', errno: 1062 }],
    [{ code: 'ER_PARSE_ERROR', errno: 1064 }],
    [{ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045, fatal: true }],
    [{}],
  ])('leaves %o a defect', (fields) => {
    expect(isConnectionError(mysql2Error(fields))).toBe(false);
  });

  it('leaves non-errors alone', () => {
    expect(isConnectionError(undefined)).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});
