// `loadgen url` at full speed with its live dashboard and one subscriber reading the event stream
// (a small client, not a browser: the machine has no core to spare for one), against the same
// run without the dashboard (the goal: >= 0.97x req/s).
import { request } from 'node:http';
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { runToEnd } from '../child-process.js';
import { measuredRun } from '../measured.js';
import { CONNECTIONS, client, loadgenUrlArgv, SECONDS, work } from '../settings.js';
import { sideBySide } from '../side-by-side.js';

/** Follow the dashboard's event stream until it closes; resolves with the windows it pushed. */
function subscribe(pageUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let windows = 0;
    const req = request(new URL('events', pageUrl), (res) => {
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        windows += text.split('event: window\n').length - 1;
      });
      res.on('end', () => resolve(windows));
      res.on('error', () => resolve(windows));
    });
    req.on('error', reject);
    req.end();
  });
}

async function withDashboard(url: string) {
  const out = join(work, 'url-dashboard');
  let subscribed: Promise<number> | undefined;
  const r = await runToEnd(
    [...client, ...loadgenUrlArgv(url, out), '--dashboard=127.0.0.1:0', '--dashboard-linger', '0'],
    (stderr) => {
      const m = /^dashboard: (\S+)$/m.exec(stderr);
      if (m !== null && subscribed === undefined) subscribed = subscribe(m[1] as string);
    },
  );
  if (r.code !== 0) throw new Error(`loadgen url --dashboard exited ${r.code}: ${r.stderr}`);
  const windows = await (subscribed ?? Promise.resolve(0));
  if (windows === 0) throw new Error('the subscriber saw no window: the bench did not measure what it says');
  return measuredRun(out, r.cpuSec);
}

async function withoutDashboard(url: string) {
  const out = join(work, 'url-plain');
  const r = await runToEnd([...client, ...loadgenUrlArgv(url, out)]);
  if (r.code !== 0) throw new Error(`loadgen url exited ${r.code}: ${r.stderr}`);
  return measuredRun(out, r.cpuSec);
}

export const dashboardBenchmark: Benchmark = {
  name: 'dashboard',
  about: 'loadgen url at full speed with --dashboard and one event-stream subscriber vs without (>= 0.97x)',
  run: () =>
    sideBySide(
      `dashboard: ${CONNECTIONS} connections, ${SECONDS} s each`,
      { name: 'loadgen url', run: withoutDashboard },
      { name: 'loadgen url --dashboard + 1 subscriber', run: withDashboard },
      0.97,
    ),
};
