// `loadgen url` at full speed with its live dashboard and one subscriber reading the event stream
// (a small client, not a browser: the machine has no core to spare for one), against the same
// run without the dashboard (the goal: >= 0.97x req/s).
import { request } from 'node:http';
import { join } from 'node:path';
import type { Benchmark } from '../benchmark.js';
import { runToEnd } from '../child-process.js';
import { profiledArgv, sampleShare } from '../cpu-profile.js';
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

async function withDashboard(url: string, profileDir?: string) {
  const out = join(work, 'url-dashboard');
  let subscribed: Promise<number> | undefined;
  const argv = [...client, ...loadgenUrlArgv(url, out), '--dashboard=127.0.0.1:0', '--dashboard-linger', '0'];
  const r = await runToEnd(profileDir === undefined ? argv : profiledArgv(argv, profileDir), (stderr) => {
    const m = /^dashboard: (\S+)$/m.exec(stderr);
    if (m !== null && subscribed === undefined) subscribed = subscribe(m[1] as string);
  });
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

/**
 * One more run with the dashboard, profiled: the share of loadgen's CPU samples taken in the
 * dashboard's code (its per-window update, the summary so far it builds, the event stream).
 */
async function dashboardShare(url: string): Promise<void> {
  const dir = join(work, 'profile-dashboard');
  await withDashboard(url, dir);
  const { share, samples } = sampleShare(dir, /\/(dashboard\/[^/]+|cli\/run-dashboard)\.js$/);
  console.log(
    `  profiled run with the dashboard: ${(share * 100).toFixed(2)}% of ${samples} busy CPU samples in its code (goal <= 3%)`,
  );
}

export const dashboardBenchmark: Benchmark = {
  name: 'dashboard',
  about: 'loadgen url at full speed with --dashboard and one event-stream subscriber vs without (>= 0.97x)',
  run: () =>
    sideBySide(
      `dashboard: ${CONNECTIONS} connections, ${SECONDS} s each`,
      { name: 'loadgen url', run: withoutDashboard },
      { name: 'loadgen url --dashboard + 1 subscriber', run: (url) => withDashboard(url) },
      0.97,
      undefined,
      dashboardShare,
    ),
};
