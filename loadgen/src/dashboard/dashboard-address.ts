import { isIP } from 'node:net';
import { LoadgenError } from '../errors.js';

/** Where the dashboard listens. */
export interface DashboardAddress {
  host: string;
  /** 0 = any free port. */
  port: number;
}

/** k6's web dashboard port: a user of both finds it where they look. */
export const DEFAULT_DASHBOARD_ADDRESS: DashboardAddress = { host: '127.0.0.1', port: 5665 };

/**
 * `--dashboard` (no value: 127.0.0.1:5665), `--dashboard=host:port`, `--dashboard=:port` (on
 * 127.0.0.1), `--dashboard=[::1]:port`. A value that is not one (a scenario name the flag took as
 * its value) says how to write it.
 */
export function parseDashboardAddress(value: string | true): DashboardAddress {
  if (value === true) return DEFAULT_DASHBOARD_ADDRESS;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value.trim());
  const port = Number(m?.[3]);
  const host = m?.[1] ?? (m?.[2] === '' || m?.[2] === undefined ? '127.0.0.1' : m[2]);
  if (m === null || port > 65535 || (m[1] !== undefined && isIP(host) !== 6)) {
    throw new LoadgenError(
      'LG_USAGE',
      `--dashboard "${value}" is not host:port (e.g. --dashboard=127.0.0.1:5665, --dashboard=0.0.0.0:5665, --dashboard=:0 for any free port); write it with "=" or put --dashboard after the scenario`,
    );
  }
  return { host, port };
}

/**
 * Only this machine can reach the address (`localhost`, `::1` bare or in a URL's brackets, any of
 * 127.0.0.0/8): the dashboard needs no token there. loadgen's one rule for "local"; the lab keeps
 * the same one (infra/lab/src/config/loopback-host.ts), as it does not depend on loadgen.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The host part of a URL: IPv6 in brackets. */
export const urlHost = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);
