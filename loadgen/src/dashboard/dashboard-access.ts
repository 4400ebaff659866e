import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from './dashboard-address.js';

/** A new random token for a dashboard reachable from other machines (printed at start, in its URL). */
export const newDashboardToken = (): string => randomBytes(18).toString('base64url');

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** The token a request carries: `Authorization: Bearer <token>`, or `?token=` (the page's links, its event stream). */
function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return url.searchParams.get('token') ?? undefined;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may use the dashboard. Off loopback (the page shows targets and data, and steers the run):
 * only requests with the token printed at start. On loopback: requests whose Host header names
 * this machine, so a web page a browser loaded from elsewhere cannot reach it through DNS
 * rebinding (a cross-site POST is stopped by the JSON content type the control demands).
 */
export function checkAccess(
  req: IncomingMessage,
  url: URL,
  o: { token: string | undefined; port: number },
): AccessVerdict {
  if (o.token !== undefined) {
    const given = tokenOf(req, url);
    if (given === undefined || !sameToken(given, o.token)) {
      return {
        ok: false,
        status: 401,
        message:
          'this dashboard needs the token printed when the run started: open the URL with ?token=..., or send Authorization: Bearer <token> (loadgen control --token)',
      };
    }
    return { ok: true };
  }
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (!isLoopbackHost(host)) {
    return {
      ok: false,
      status: 403,
      message: `Host "${req.headers.host ?? ''}" is not this machine: open http://127.0.0.1:${o.port}/`,
    };
  }
  return { ok: true };
}
