import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { readSummaryFile } from '../../src/model/summary-files.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { runScenario } from '../../src/run/run-scenario.js';
import type { RunOverrides } from '../../src/scenario/scenario-loader.js';
import { loadScenario, resolveRun } from '../../src/scenario/scenario-loader.js';
import { runCli } from '../helpers/run-cli.js';
import { simpleRun } from '../helpers/scenarios.js';
import { selfSignedCertificate } from '../helpers/tls-certificate.js';

const WS_HANDSHAKE = join(import.meta.dirname, '..', 'fixtures', 'ws-handshake.ts');

/** An HTTPS server (and a WebSocket endpoint, /ws) with a certificate no trust store knows. */
let server: Server;
let target: string;
let served = 0;
beforeAll(async () => {
  const { cert, key } = selfSignedCertificate();
  server = createServer({ cert, key }, (_req, res) => {
    served++;
    res.end('ok');
  });
  new WebSocketServer({ server, path: '/ws' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
});

/** GET / for 2 s (undici's first request compiles its parser, about a second). */
const run = async (overrides: RunOverrides, extra = {}): Promise<Summary> =>
  runScenario(await simpleRun(target, { type: 'closed', users: 1, spawnRate: 10 }, 2, overrides, extra));

const get = (s: Summary) => s.endpoints.find((e) => e.endpoint === 'GET /');

describe('an https:// target with a self-signed certificate', () => {
  it('fails every request without a TLS option, as tls_certificate', async () => {
    const s = await run({});
    expect(get(s)?.count).toBeGreaterThan(0);
    expect(get(s)?.errors).toBe(get(s)?.count);
    expect(s.failures.map((f) => f.kind)).toEqual(['tls_certificate']);
    expect(s.run.tls).toBeUndefined();
  });

  it('passes with --ca naming its certificate, or the scenario http.ca', async () => {
    const { certFile } = selfSignedCertificate();
    for (const s of [await run({ ca: certFile }), await run({}, { http: { ca: certFile } })]) {
      expect(s.failures).toEqual([]);
      expect(get(s)?.statusCounts).toEqual({ '200': get(s)?.count });
      expect(s.run.tls).toEqual({ insecure: false, caFile: certFile });
    }
  });

  it('passes with --insecure, recorded in the summary', async () => {
    const before = served;
    const s = await run({ insecure: true });
    expect(s.failures).toEqual([]);
    expect(served - before).toBe(get(s)?.count);
    expect(s.run.tls).toEqual({ insecure: true });
  });

  it('trusts the same CA for a wss:// socket', async () => {
    const connect = async (overrides: RunOverrides) => {
      const config = resolveRun(await loadScenario(WS_HANDSHAKE), { target, ...overrides });
      config.gracefulStopSec = 1;
      return (await runScenario(config)).endpoints.find((e) => e.endpoint === 'ws connect');
    };
    const refused = await connect({});
    expect(refused?.errors).toBe(refused?.count);
    const trusted = await connect({ ca: selfSignedCertificate().certFile });
    expect(trusted?.count).toBeGreaterThan(0);
    expect(trusted?.errors).toBe(0);
  });

  it('the CLI says --insecure loudly, before the run and in its tables; a --ca that is no certificate is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadgen-https-'));
    const scenario = join(dir, 'get.json');
    writeFileSync(
      scenario,
      JSON.stringify({ steps: [{ request: 'GET /' }], model: { type: 'closed', users: 1 }, duration: '1s' }),
    );
    const out = join(dir, 'out');
    const r = await runCli(['run', scenario, '-t', target, '--insecure', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/WARNING: --insecure: TLS certificates are NOT verified/);
    expect(r.stdout).toMatch(/WARNING: --insecure: no TLS certificate was verified in this run/);
    expect(readSummaryFile(join(out, 'summary.json')).run.tls).toEqual({ insecure: true });

    const bad = await runCli(['run', scenario, '-t', target, '--ca', scenario]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ca .*get\.json is not a PEM certificate/);
  });
});
