import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const SECRET = 'x'.repeat(32);
const PEPPER = 'p'.repeat(32);

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ JWT_SECRET: SECRET, PASSWORD_PEPPER: PEPPER });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 8000,
      dbPoolSize: 10,
      dbAcquireTimeoutMs: 2000,
      jwtTtlSeconds: 3600,
      bcryptCost: 10,
      loginRateLimit: 10,
      loginAddressRateLimit: 100,
      loginRateWindowSeconds: 60,
      adminToken: undefined,
      fault: { delayMs: 0, route: 'GET /api/users', mode: 'app' },
      buildRevision: 'unknown',
      realtime: {
        authTimeoutMs: 5000,
        matchSize: 2,
        heartbeatMs: 30_000,
        maxPayload: 4096,
        maxBufferedBytes: 1024 * 1024,
      },
    });
    expect(c.hashWorkers).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ HOST: 'http://0.0.0.0' }, 'HOST'],
    [{ HOST: '0.0.0.0:8000' }, 'HOST'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'],
    [{ DB_ACQUIRE_TIMEOUT_MS: '0' }, 'DB_ACQUIRE_TIMEOUT_MS'],
    [{ BCRYPT_COST: '31' }, 'BCRYPT_COST'],
    [{ BOTTLENECK_MODE: 'disk' }, 'BOTTLENECK_MODE'],
    [{ BOTTLENECK_DELAY_MS: '-5' }, 'BOTTLENECK_DELAY_MS'],
    [{ BOTTLENECK_ROUTE: '/api/users' }, 'BOTTLENECK_ROUTE'],
    [{ MYSQL_URL: 'postgres://x/y' }, 'MYSQL_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WS_MATCH_SIZE: '1' }, 'WS_MATCH_SIZE'],
    [{ WS_HEARTBEAT_MS: 'often' }, 'WS_HEARTBEAT_MS'],
    [{ WS_MAX_PAYLOAD: '0' }, 'WS_MAX_PAYLOAD'],
    [{ WS_AUTH_TIMEOUT_MS: '0' }, 'WS_AUTH_TIMEOUT_MS'],
    [{ WS_MAX_BUFFERED_BYTES: '-1' }, 'WS_MAX_BUFFERED_BYTES'],
    [{ BOTTLENECK_ROUTE: 'WS' }, 'BOTTLENECK_ROUTE'],
  ])('refuses %o with a message naming %s', (env, name) => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, PASSWORD_PEPPER: PEPPER, ...env })).toThrow(
      new RegExp(`${name}=`),
    );
  });

  it('takes BUILD_REVISION as the revision game_api_build_info shows', () => {
    const c = loadConfig({ JWT_SECRET: SECRET, PASSWORD_PEPPER: PEPPER, BUILD_REVISION: '9f3e2a1' });
    expect(c.buildRevision).toBe('9f3e2a1');
  });

  it('accepts a match-channel fault point as BOTTLENECK_ROUTE', () => {
    const c = loadConfig({ JWT_SECRET: SECRET, PASSWORD_PEPPER: PEPPER, BOTTLENECK_ROUTE: 'WS move' });
    expect(c.fault.route).toBe('WS move');
  });

  it('requires JWT_SECRET outside development and refuses short secrets', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ JWT_SECRET: 'short-secret', PASSWORD_PEPPER: PEPPER })).toThrow(
      /JWT_SECRET is too short/,
    );
    expect(loadConfig({ NODE_ENV: 'development' }).jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('requires PASSWORD_PEPPER outside development, at least 32 characters and not the JWT secret', () => {
    expect(() => loadConfig({ JWT_SECRET: SECRET })).toThrow(/PASSWORD_PEPPER is required/);
    expect(() => loadConfig({ JWT_SECRET: SECRET, PASSWORD_PEPPER: 'short-pepper' })).toThrow(
      /PASSWORD_PEPPER is too short/,
    );
    expect(() => loadConfig({ JWT_SECRET: SECRET, PASSWORD_PEPPER: SECRET })).toThrow(/must differ/);
    expect(loadConfig({ JWT_SECRET: SECRET, PASSWORD_PEPPER: PEPPER }).passwordPepper).toBe(PEPPER);
    const dev = loadConfig({ NODE_ENV: 'development' });
    expect(dev.passwordPepper.length).toBeGreaterThanOrEqual(32);
    expect(dev.passwordPepper).not.toBe(dev.jwtSecret);
  });
});
