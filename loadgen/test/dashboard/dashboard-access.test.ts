import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type DashboardRun, killIfRunning, nextWindow, startDashboardRun } from './helpers/dashboard-run.js';

/** An IPv4 address of this machine that is not loopback (`ip -4 addr` shows one). */
function machineAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
  if (found === undefined) throw new Error('this machine has no IPv4 address besides loopback to bind to');
  return found.address;
}

let server: TestServer;
let run: DashboardRun;
let base: URL;
let token: string;
let scratch: string;
let browserCalls: Server;
/** The URL the stand-in browser was started with (--open), once it has been. */
let opened: Promise<string>;

/**
 * A stand-in for the user's browser ($BROWSER, as --open reads it): a script that reports the URL
 * it was given to a server of this test.
 */
async function fakeBrowser(): Promise<string> {
  let report: (url: string) => void = () => undefined;
  opened = new Promise((resolve) => {
    report = resolve;
  });
  browserCalls = createServer((req, res) => {
    report(new URL(req.url ?? '/', 'http://x').searchParams.get('opened') ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => browserCalls.listen(0, '127.0.0.1', resolve));
  const { port } = browserCalls.address() as AddressInfo;
  scratch = mkdtempSync(join(tmpdir(), 'glab-dashboard-access-'));
  const script = join(scratch, 'browser');
  writeFileSync(
    script,
    `#!${process.execPath}\nfetch('http://127.0.0.1:${port}/?opened=' + encodeURIComponent(process.argv[2]));\n`,
  );
  chmodSync(script, 0o755);
  return script;
}

beforeAll(async () => {
  server = await startTestServer();
  const browser = await fakeBrowser();
  run = await startDashboardRun(
    [
      'run',
      join(import.meta.dirname, '..', 'fixtures', 'steady-think.json'),
      '--target',
      server.url,
      '--users',
      '3',
      '--duration',
      '90s',
      '--out',
      join(scratch, 'results'),
      `--dashboard=${machineAddress()}:0`,
      '--dashboard-linger',
      '0',
      '--open',
    ],
    { BROWSER: browser },
  );
  base = new URL(run.url);
  token = base.searchParams.get('token') ?? '';
  base.search = '';
  // Steering is taken once the users run: wait for the first window.
  await nextWindow(run.url);
}, 60_000);

afterAll(async () => {
  killIfRunning(run);
  await server?.close();
  browserCalls?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(new URL('/api/control', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
const bearer = () => ({ authorization: `Bearer ${token}` });

describe('the dashboard off loopback', () => {
  it('prints a URL with a token, and the token too; --open starts the browser on that URL', async () => {
    expect(token).toMatch(/^[\w-]{20,}$/);
    expect(run.stderr()).toContain(`every request needs this token (in the URL above): ${token}`);
    expect(await opened).toBe(run.url);
  });

  it('answers 401 to every request without the token (page, state, stream, CSV, report, control)', async () => {
    for (const path of ['/', '/api/state', '/events', '/api/endpoints.csv', '/report']) {
      const res = await fetch(new URL(path, base));
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /needs the token printed when the run started/,
      );
    }
    expect((await post('{"users": 10}')).status).toBe(401);
    expect((await post('{"users": 10}', { authorization: 'Bearer not-the-token' })).status).toBe(401);
    const cli = await runCli(['control', base.href, '--users', '10']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/401 this dashboard needs the token/);
  });

  it('serves the page with the token, and answers 400 with a message to a bad value', async () => {
    const page = await fetch(run.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>loadgen live: steady-');
    const cases: [string, RegExp][] = [
      ['{"users": -5}', /^users must be 0 or more$/],
      ['{"users": "many"}', /^users must be a number$/],
      ['{"users": 10, "spawnRate": 0}', /^spawnRate must be more than 0/],
      ['{"rate": 50}', /^this run uses the closed model: set its users/],
      ['{"speed": 3}', /^not a change this run takes: send \{"users": 20\}/],
      ['users=10', /^the body is not JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body, bearer());
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: string }).error, body).toMatch(message);
    }
    const cli = await runCli(['control', run.url, '--users', '1.5']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('--users must be a whole number');
  });

  it('the run went on unchanged: 3 users all along, nothing in its timeline', async () => {
    const state = (await (await fetch(new URL(`/api/state?token=${token}`, base))).json()) as {
      windows: { activeUsers: number }[];
      status: { phase: string; target: number; timeline: unknown[] };
    };
    expect(state.status.phase).toBe('running');
    expect(state.status.target).toBe(3);
    expect(state.status.timeline).toEqual([]);
    expect(state.windows.length).toBeGreaterThan(0);
    expect(state.windows.every((w) => w.activeUsers === 3)).toBe(true);
    // With the token (here from the environment), the same change is taken.
    const cli = await runCli(['control', base.href, '--stop'], { env: { LOADGEN_DASHBOARD_TOKEN: token } });
    expect(cli.code).toBe(0);
    expect((await run.exited).code).toBe(130);
  });
});
