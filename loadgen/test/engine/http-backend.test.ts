import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import {
  BINARY,
  COMPRESSED_JSON,
  type RecordingServer,
  startBackend,
  startOtherOrigin,
} from '../helpers/http-backend.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'http-backend.ts');

let servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const endpoint = (s: Summary, name: string) => s.endpoints.find((e) => e.endpoint === name);

describe.each(['lean', 'undici'] as const)('HTTP a real backend needs (%s client)', (httpClient) => {
  it('decodes, sends and reads bytes, follows redirects, and keeps credentials home', async () => {
    const other = await startOtherOrigin();
    const home = await startBackend(() => other.url);
    servers = [home, other];
    const config = resolveRun(await loadScenario(FIXTURE), { target: home.url, httpClient });
    config.gracefulStopSec = 1;
    const summary = await runScenario(config);

    expect(summary.failures).toEqual([
      expect.objectContaining({ endpoint: 'short chain', kind: 'too_many_redirects', count: 1 }),
    ]);
    expect(summary.checks?.filter((c) => c.fails > 0)).toEqual([]);
    expect(summary.checks).toHaveLength(10);

    // Compressed bodies: asked for, decoded, both sizes counted.
    for (const encoding of ['gzip', 'br', 'deflate']) {
      const e = endpoint(summary, `GET /${encoding}`);
      expect(e?.decodedBytes).toBe(COMPRESSED_JSON.length);
      expect(e?.bytes).toBeGreaterThan(0);
      expect(e?.bytes).toBeLessThan(COMPRESSED_JSON.length / 4);
    }
    expect(endpoint(summary, 'GET /gzip raw')?.decodedBytes).toBeUndefined();
    const asked = home.received.filter((r) => ['/gzip', '/br', '/deflate'].includes(r.url));
    expect(asked.map((r) => r.acceptEncoding)).toEqual([
      'gzip, deflate, br',
      'gzip, deflate, br',
      'gzip, deflate, br',
      undefined,
    ]);

    // Bytes reach the server exactly, from a Uint8Array and from an ArrayBuffer.
    const echoes = home.received.filter((r) => r.url === '/echo');
    expect(echoes).toHaveLength(2);
    for (const e of echoes) expect([...e.body]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(endpoint(summary, 'GET /binary')?.bytes).toBe(BINARY.length);

    // A redirect chain: every hop a request of its own under the endpoint's name.
    expect(endpoint(summary, 'redirect chain')).toMatchObject({
      count: 5,
      errors: 0,
      statusCounts: { '200': 1, '302': 4 },
    });
    expect(endpoint(summary, 'short chain')).toMatchObject({
      count: 3,
      errors: 1,
      statusCounts: { '302': 3 },
    });
    expect(home.received.filter((r) => r.url.startsWith('/redirect/')).map((r) => r.url)).toEqual([
      '/redirect/3',
      '/redirect/2',
      '/redirect/1',
      '/redirect/0',
      '/redirect/3',
      '/redirect/2',
      '/redirect/1',
    ]);

    // The target got its own credentials, and never the other origin's cookie.
    const last = home.received.at(-1);
    expect(last).toMatchObject({
      url: '/config',
      authorization: 'Bearer home-token',
      cookie: 'sid=home-secret',
    });
    expect(home.received.some((r) => r.cookie?.includes('other=') === true)).toBe(false);

    // The other origin: its own cookie back, the bearer token only where the script asked for it,
    // the target's cookie never, and a redirect hop there without the request's own token.
    const seen = other.received.map((r) => [r.method, r.url, r.authorization ?? '-', r.cookie ?? '-']);
    expect(seen).toEqual([
      ['GET', '/public', '-', '-'],
      ['GET', '/public', '-', 'other=1'],
      ['GET', '/private', 'Bearer home-token', 'other=1'],
      ['GET', '/landing', '-', 'other=1'],
      ['GET', '/ws', '-', 'other=1'],
    ]);
    expect(endpoint(summary, `GET ${other.url}/public`)?.count).toBe(2);
    expect(endpoint(summary, 'ws connect')).toMatchObject({ count: 1, errors: 0 });
  });
});
