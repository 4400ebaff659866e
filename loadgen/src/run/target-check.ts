import { connect } from 'node:net';
import { classifyTransportError } from '../engine/http-client.js';
import { LoadgenError } from '../errors.js';

/**
 * Fail fast, before any ramp, when nothing accepts connections at the target. Only a TCP
 * connect: a server that is up but slow (or stalled) is reachable and worth measuring.
 */
export async function checkTarget(target: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(target);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: url.hostname, port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      socket.once('error', reject);
    });
  } catch (error) {
    const f = classifyTransportError(error);
    throw new LoadgenError(
      'LG_TARGET_UNREACHABLE',
      `target ${target} is unreachable (${f.message}); start it or fix --target`,
      { cause: error },
    );
  }
}
