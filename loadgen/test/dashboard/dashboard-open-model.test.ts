/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSummaryFile } from '../../src/model/summary-files.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type OpenedPage, openUrlInChromium } from '../report/helpers/chromium.js';
import { type DashboardRun, killIfRunning, servedRate, startDashboardRun } from './helpers/dashboard-run.js';

let server: TestServer;
let dir: string;
let run: DashboardRun;
let opened: OpenedPage;

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'glab-dashboard-open-'));
  run = await startDashboardRun([
    'url',
    `${server.url}/`,
    '-R',
    '100',
    '-c',
    '10',
    '-d',
    '90s',
    '-o',
    dir,
    '--dashboard=127.0.0.1:0',
    '--dashboard-linger',
    '0',
  ]);
  opened = await openUrlInChromium(run.url);
  await opened.page.waitForFunction(() => Number(document.body.dataset.windows) >= 1);
}, 60_000);

afterAll(async () => {
  await opened?.close();
  killIfRunning(run);
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('steering an open-model run (loadgen url -R) from the page and from loadgen control', () => {
  it('lowering the rate on the page lowers the rate the target serves', async () => {
    const page = opened.page;
    expect(await page.locator('#rate-input').inputValue()).toBe('100');
    expect(await page.locator('#users-input').count()).toBe(0);
    const before = await servedRate(opened.page, server.total, 2);
    expect(before).toBeGreaterThan(70);
    await page.fill('#rate-input', '20');
    await page.click('#apply');
    await page.waitForFunction(() => document.body.dataset.timeline === '1');
    // The window the change fell in is a mix; the ones after it are at the new rate.
    const after = await servedRate(opened.page, server.total, 2);
    expect(after).toBeLessThan(before / 2.5);
    expect(after).toBeGreaterThan(0);
  });

  it('on loopback needs no token, but refuses a Host that is not this machine (DNS rebinding)', async () => {
    const status = (host: string) =>
      new Promise<number | undefined>((resolve, reject) =>
        get(new URL('api/state', run.url), { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        }).on('error', reject),
      );
    const port = new URL(run.url).port;
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`attacker.example:${port}`)).toBe(403);
  });

  it('loadgen control --stop ends the run with exit 130 and an interrupted summary', async () => {
    const status = await runCli(['control', run.url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^running, open model: 20 it\/s, 1 change\(s\) so far$/m);
    const stop = await runCli(['control', run.url, '--stop']);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/^stop at [\d.]+ s: the run writes its summary and exits 130$/m);
    const exit = await run.exited;
    expect(exit.code).toBe(130);
    const summary = readSummaryFile(join(dir, 'summary.json'));
    expect(summary.run.interrupted).toBe(true);
    expect(summary.timeline?.map((c) => [c.action, c.rate, c.source])).toEqual([
      ['rate', 20, 'page'],
      ['stop', undefined, 'cli'],
    ]);
    // The ended run answers no more: loadgen control says so (exit 3).
    const gone = await runCli(['control', run.url, '--rate', '5']);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/no dashboard answers at http:\/\/127\.0\.0\.1:\d+/);
  });
});
