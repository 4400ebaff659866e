import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { statsCsv } from '../../src/model/stats-csv.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { formatResults } from '../../src/terminal/result-tables.js';
import { simpleRun } from '../helpers/scenarios.js';
import { selfSignedCertificate } from '../helpers/tls-certificate.js';

const WS_HANDSHAKE = join(import.meta.dirname, '..', 'fixtures', 'ws-handshake.ts');

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    (s as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((closed) => s.close(closed));
  }
});

async function listen<S extends Server>(server: S, scheme = 'http'): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Accepts every connection and resets it as soon as a request's first bytes arrive. */
function resettingServer(): Promise<string> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => socket.resetAndDestroy());
  });
  return listen(server);
}

/** Accepts every connection and never answers (but a 404 to loadgen's look at /metrics). */
function silentServer(): Promise<string> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (d) => {
      if (d.toString('latin1').startsWith('GET /metrics ')) socket.end(NOT_FOUND);
    });
  });
  return listen(server);
}

const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n';

const endpoint = (s: Summary, name: string) => s.endpoints.find((e) => e.endpoint === name);

describe.each(['lean', 'undici'] as const)('requests without a response (%s client)', (httpClient) => {
  it('a server that resets every connection adds no latency sample: counted as errors, percentiles absent', async () => {
    const url = await resettingServer();
    const summary = await runScenario(await simpleRun(url, { type: 'closed', users: 2 }, 1, { httpClient }));
    const get = endpoint(summary, 'GET /');
    expect(get?.count).toBeGreaterThan(2);
    expect(get?.errors).toBe(get?.count);
    expect(get?.statusCounts).toEqual({ '0': get?.count });
    // Nothing timed: no sample at all, so no percentile says the server was fast.
    expect(get?.latencyMs).toEqual({ min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 });
    expect(summary.totals.latencyMs.max).toBe(0);
    expect(summary.failures).toEqual([
      expect.objectContaining({ endpoint: 'GET /', kind: 'connection_reset', count: get?.count }),
    ]);
    // The tables and stats.csv show the percentiles as absent, not as 0 ms.
    const row = formatResults(summary)
      .split('\n')
      .find((l) => l.startsWith('GET /'));
    expect(row?.trim().split(/\s+/).slice(-4)).toEqual(['-', '-', '-', '-']);
    const csvRow = statsCsv(summary)
      .split('\n')
      .find((l) => l.startsWith('GET /'));
    expect(csvRow).toMatch(/,,,,,,,,http,,ms,$/);
  });

  it('a timeout keeps its sample: the time it waited', async () => {
    const url = await silentServer();
    const summary = await runScenario(
      await simpleRun(url, { type: 'closed', users: 1, spawnRate: 10 }, 1, { httpClient }, { timeout: 0.3 }),
    );
    const get = endpoint(summary, 'GET /');
    expect(get?.count).toBeGreaterThanOrEqual(1);
    expect(get?.errors).toBe(get?.count);
    expect(summary.failures.map((f) => f.kind)).toEqual(['timeout']);
    expect(get?.latencyMs.min).toBeGreaterThanOrEqual(290);
    expect(get?.latencyMs.max).toBeLessThan(5000);
  });
});

describe('TLS failures', () => {
  it('a self-signed certificate is a tls_certificate failure, with no latency sample', async () => {
    const { cert, key } = selfSignedCertificate();
    const url = await listen(
      createHttpsServer({ cert, key }, (_req, res) => res.end('ok')),
      'https',
    );
    // 2 s: undici compiles its HTTP parser on its first request, which takes about a second.
    const summary = await runScenario(await simpleRun(url, { type: 'closed', users: 1, spawnRate: 10 }, 2));
    expect(summary.run.httpClient).toBe('undici');
    const get = endpoint(summary, 'GET /');
    expect(get?.count).toBeGreaterThanOrEqual(1);
    expect(get?.errors).toBe(get?.count);
    expect(get?.latencyMs.max).toBe(0);
    expect(summary.failures).toEqual([
      expect.objectContaining({ endpoint: 'GET /', kind: 'tls_certificate', count: get?.count }),
    ]);
    expect(summary.failures[0]?.sample).toMatch(/self.signed/i);
  });

  it('https:// to a server that speaks plain HTTP is a tls_handshake failure', async () => {
    const url = await listen(
      createServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n'));
      }),
      'https',
    );
    const summary = await runScenario(await simpleRun(url, { type: 'closed', users: 1, spawnRate: 10 }, 2));
    expect(summary.failures.map((f) => f.kind)).toEqual(['tls_handshake']);
    expect(endpoint(summary, 'GET /')?.latencyMs.max).toBe(0);
  });
});

describe('socket handshakes without a response', () => {
  it('a reset handshake adds no sample; a timed-out one keeps the time it waited', async () => {
    const run = async (target: string) => {
      const config = resolveRun(await loadScenario(WS_HANDSHAKE), { target });
      config.gracefulStopSec = 2;
      return endpoint(await runScenario(config), 'ws connect');
    };
    const reset = await run(await resettingServer());
    expect(reset?.count).toBeGreaterThan(1);
    expect(reset?.errors).toBe(reset?.count);
    expect(reset?.latencyMs.max).toBe(0);

    const timedOut = await run(await silentServer());
    expect(timedOut?.count).toBeGreaterThanOrEqual(1);
    expect(timedOut?.errors).toBe(timedOut?.count);
    expect(timedOut?.latencyMs.min).toBeGreaterThanOrEqual(290);
  });
});
