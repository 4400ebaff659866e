import { type ChildProcess, spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { CLI, type CliResult } from '../../helpers/run-cli.js';

/** A `loadgen run|url ... --dashboard` process, followed from its first line to its exit. */
export interface DashboardRun {
  /** The page's URL, as the run printed it (with ?token= off loopback). */
  url: string;
  /** The Prometheus port, when --metrics-port was given. */
  metricsPort: number | undefined;
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  /** Resolves when a line of stderr matches (the run says it wrote its summary, ...). */
  waitForStderr: (pattern: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<CliResult>;
}

/** Start the built CLI and resolve once it has printed its dashboard URL (and metrics port, when asked). */
export async function startDashboardRun(
  args: string[],
  env: Record<string, string> = {},
): Promise<DashboardRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.pattern.exec(stderr);
      if (m !== null) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    check();
  });
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => {
      for (const w of waiters.splice(0)) w.resolve(null as unknown as RegExpExecArray);
      resolve({ code, stdout, stderr, ms: Date.now() - started, msAfterSignal: undefined });
    });
  });
  const waitForStderr = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      waiters.push({
        pattern,
        resolve: (m) =>
          m === null
            ? reject(new Error(`exited before printing ${pattern}:\n${stderr}\n${stdout}`))
            : resolve(m),
      });
      check();
    });
  const url = (await waitForStderr(/^dashboard: (http:\/\/\S+)$/m))[1] as string;
  const metrics = args.includes('--metrics-port')
    ? Number((await waitForStderr(/metrics on http:\/\/[^:]+:(\d+)\/metrics/))[1])
    : undefined;
  return {
    url,
    metricsPort: metrics,
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    waitForStderr,
    exited,
  };
}

/** One gauge's value from a Prometheus text exposition. */
export async function scrapeGauge(port: number, name: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m === null ? undefined : Number(m[1]);
}

/** Resolves with the next window the dashboard's live stream pushes (the run is going). */
export async function nextWindow(pageUrl: string): Promise<{ window: { t: number; activeUsers: number } }> {
  const url = new URL('events', pageUrl);
  url.search = new URL(pageUrl).search;
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  if (res.body === null) throw new Error(`${url}: no body (${res.status})`);
  const decoder = new TextDecoder();
  let text = '';
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const m = /event: window\ndata: (.*)\n\n/.exec(text);
      if (m !== null) return JSON.parse(m[1] as string);
    }
  } finally {
    abort.abort();
  }
  throw new Error(`${url} ended before a window`);
}

/**
 * Requests the target served (its own count) over `windows` windows the page showed, per window:
 * counted from the window after the one on screen, so a change made just before is in full effect.
 */
export async function servedRate(page: Page, served: () => number, windows: number): Promise<number> {
  const from = Number(await page.locator('body').getAttribute('data-windows'));
  await page.waitForFunction((n) => Number(document.body.dataset.windows) >= n, from + 1);
  const first = served();
  await page.waitForFunction((n) => Number(document.body.dataset.windows) >= n, from + 1 + windows);
  return (served() - first) / windows;
}

/** A run a failed test left going is killed, not waited for. */
export function killIfRunning(run: DashboardRun | undefined): void {
  if (run !== undefined && run.child.exitCode === null) run.child.kill('SIGKILL');
}
