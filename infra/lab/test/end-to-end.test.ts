import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrometheusText } from '@game-load-lab/loadgen/lib';
import { waitFor } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDashboards, type QueryCheck } from '../src/dashboards/check-dashboards.js';
import { loadDashboards } from '../src/dashboards/dashboard-queries.js';
import { PrometheusApi } from '../src/dashboards/prometheus-api.js';
import { repoRoot } from '../src/repo-paths.js';
import { checkoutRevision } from '../src/runs/checkout-revision.js';
import { FaultClient } from '../src/runs/fault-client.js';
import { grafanaStandIn, type StandIn } from './helpers/grafana-stand-in.js';
import { startTestLab, type TestLab } from './helpers/lab.js';
import { labCli } from './helpers/lab-cli.js';

/**
 * The user's day on the local lab, shortened: baseline, stress and bottleneck runs of a few
 * seconds through the same CLI as `npm run baseline|stress|bottleneck`, then every dashboard
 * query against the real Prometheus, and the bottleneck measured both client- and server-side.
 */
// Not the scripts' default 1000: that is exactly the le="1" bucket boundary, where a timer
// measured a hair short would land in the 0.75..1 s bucket. 1200 ms lands inside 1..2.5 s.
const DELAY_MS = 1200;
const runs: Record<
  string,
  { testid: string; start: number; end: number; code: number | null; output: string }
> = {};
/** Answers where a Grafana would, for the one run that has a Grafana (the others have none). */
let grafana: StandIn;
let lab: TestLab;
let prometheus: PrometheusApi;
let results: string;
let env: Record<string, string>;
let labStart: number;
const progress = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

async function run(preset: string, args: string[], overrides: Record<string, string> = {}): Promise<void> {
  const start = Date.now() / 1000;
  const { done } = labCli(['run', preset, ...args], { ...env, ...overrides });
  const { code, output } = await done;
  const testid = /run (\S+): /.exec(output)?.[1];
  if (!testid) throw new Error(`no testid in the output of lab run ${preset}:\n${output}`);
  runs[preset] = { testid, start, end: Date.now() / 1000, code, output };
  progress(`${preset}: ${testid} exit ${code} in ${(Date.now() / 1000 - start).toFixed(1)}s`);
  if (code !== 0 && code !== thresholdsFailedExit)
    throw new Error(`lab run ${preset} exited ${code}:\n${output}`);
}

/** loadgen's exit code when the run completed but a --threshold failed (a verdict, not a crash). */
const thresholdsFailedExit = 99;

beforeAll(async () => {
  labStart = Date.now() / 1000;
  lab = await startTestLab();
  grafana = await grafanaStandIn();
  prometheus = new PrometheusApi(lab.state.urls.prometheus);
  results = await mkdtemp(join(tmpdir(), 'lab-e2e-results-'));
  env = {
    ...lab.state.env,
    RESULTS_DIR: results,
    GRAFANA_URL: 'http://grafana.invalid:3000',
    BOTTLENECK_DELAY_MS: String(DELAY_MS),
  };
  progress(`lab up in ${(Date.now() / 1000 - labStart).toFixed(1)}s: ${lab.state.urls.api}`);
  // Each virtual user reaches GET /api/users once per game loop (~7 s of think time), so 15 s
  // gives every run calls to it; 3 s of metrics linger is 3 scrapes at the test's 1 s interval.
  const linger = ['--metrics-linger', '3'];
  await run('baseline', ['--duration', '15s', '--spawn-rate', '10', ...linger]);
  await run('stress', ['--duration', '12s', '--users', '30', '--spawn-rate', '15', ...linger]);
  await run('bottleneck', ['--duration', '15s', '--spawn-rate', '10', ...linger]);
  // Realtime play over /ws (the only run with sockets, so game-api's socket counters are its own).
  await run('match', ['--duration', '15s', '--users', '6', '--spawn-rate', '6', ...linger], {
    GRAFANA_URL: grafana.url,
  });
  await scrapedAndEvaluatedAfter(runs.match!.end);
}, 240_000);

/**
 * Waits until Prometheus has scraped game-api after `time` (epoch seconds) and evaluated every
 * rule group after that scrape: then the queries see the last run's final samples and the
 * recording rules built on them.
 */
async function scrapedAndEvaluatedAfter(time: number): Promise<void> {
  const seconds = (iso: string) => Date.parse(iso) / 1000;
  await waitFor(
    async () => {
      const scrape = (await prometheus.targets()).find((t) => t.job === 'game-api');
      if (scrape === undefined || seconds(scrape.lastScrape) <= time) return false;
      const rules = (await (await fetch(`${lab.state.urls.prometheus}/api/v1/rules`)).json()) as {
        data: { groups: { name: string; lastEvaluation: string }[] };
      };
      return rules.data.groups.every((g) => seconds(g.lastEvaluation) > seconds(scrape.lastScrape));
    },
    { what: 'a scrape and a rule evaluation after the last run', timeoutMs: 30_000 },
  );
}

/** Requests counted on loadgen's own /metrics (the run serving LOADGEN_METRICS_PORT now). */
async function loadgenRequests(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${env.LOADGEN_METRICS_PORT}/metrics`);
  return parsePrometheusText(await res.text())
    .filter((m) => m.name === 'loadgen_requests_total')
    .reduce((sum, m) => sum + m.value, 0);
}

afterAll(async () => {
  await grafana?.close();
  await lab?.stop();
  if (results) await rm(results, { recursive: true, force: true });
});

describe("the user's day on the local lab", () => {
  it('each run wrote its summary where the script said, tagged with the checkout it measured', async () => {
    const revision = await checkoutRevision(repoRoot);
    for (const { testid } of Object.values(runs)) {
      await access(join(results, testid, 'summary.json'));
      const summary = JSON.parse(await readFile(join(results, testid, 'summary.json'), 'utf8')) as {
        run: { provenance?: { tags?: Record<string, string>; target?: Record<string, string> } };
      };
      expect(JSON.stringify(summary)).toContain(testid);
      // The lab passes --tag commit=<checkout> to loadgen and BUILD_REVISION to its game-api.
      expect(summary.run.provenance?.tags?.commit).toBe(revision);
      expect(summary.run.provenance?.target).toMatchObject({
        metric: 'game_api_build_info',
        ...(revision === undefined ? {} : { revision }),
      });
    }
  });

  it('links Grafana only for the run that had one, and Prometheus for every run', () => {
    const { match, ...withoutGrafana } = runs;
    for (const [preset, { testid, output }] of Object.entries(withoutGrafana)) {
      expect(output, preset).not.toContain('/d/runs-side-by-side');
      expect(output, preset).toContain(
        'grafana: none answers at http://grafana.invalid:3000 (GRAFANA_URL); the Grafana dashboards come with the compose lab (npm run lab:up)',
      );
      expect(output, preset).toMatch(
        new RegExp(`live: +${lab.state.urls.prometheus}/graph\\?g0\\.expr=.*${testid}`),
      );
      expect(output, preset).toMatch(
        new RegExp(`prometheus: ${lab.state.urls.prometheus}/graph\\?g0\\.expr=.*${testid}`),
      );
    }
    const dashboard = `${grafana.url}/d/runs-side-by-side/runs-side-by-side?var-testid=${match!.testid}`;
    expect(match!.output).toContain(`live:    ${dashboard}&from=now-15m&to=now`);
    expect(match!.output).toContain(`dashboard: ${dashboard}&from=`);
    expect(match!.output).not.toContain('grafana: none answers');
  });

  it('bottleneck put the fault back to off afterwards', async () => {
    const client = new FaultClient(lab.state.urls.api, { value: env.ADMIN_TOKEN ?? '', from: 'the lab' });
    expect(await client.get()).toMatchObject({ delayMs: 0 });
  });

  it('every panel of every dashboard parses and shows data for every run', async () => {
    const testids = Object.values(runs).map((r) => r.testid);
    const checks = await checkDashboards(prometheus, await loadDashboards(), testids, {
      start: Math.floor(labStart),
      end: Math.ceil(Date.now() / 1000),
      stepSeconds: 2,
      scrapeIntervalSeconds: 1,
    });
    const describe = (c: QueryCheck) => `${c.dashboard} / ${c.source} [${c.refId}]`;
    expect(checks.filter((c) => !c.ok).map((c) => `${describe(c)}: ${c.error}`)).toEqual([]);
    expect(checks.filter((c) => c.series === 0).map(describe)).toEqual([]);
    // Socket panels have data for the socket run only; every other panel for every run.
    const socketRun = runs.match!.testid;
    const missing = (c: QueryCheck) =>
      c.expr.includes('loadgen_ws_') ? c.runsWithoutData.filter((t) => t === socketRun) : c.runsWithoutData;
    expect(checks.filter((c) => missing(c).length).map((c) => `${describe(c)}: ${missing(c)}`)).toEqual([]);
    expect(checks.filter((c) => c.expr.includes('loadgen_ws_')).length).toBeGreaterThanOrEqual(3);
    expect(checks.length).toBeGreaterThan(25);
  });

  it('Prometheus shows the bottleneck: GET /api/users p95 >= the delay, far above the baseline', async () => {
    const now = Date.now() / 1000;
    const range = `${Math.ceil(now - labStart)}s`;
    const p95 = async (testid: string) => {
      const r = await prometheus.query(
        `histogram_quantile(0.95, sum by (le) (max_over_time(loadgen_request_duration_seconds_bucket{testid="${testid}",endpoint="GET /api/users"}[${range}])))`,
        now,
      );
      return Number(r[0]?.values[0]?.[1]);
    };
    const bottleneck = await p95(runs.bottleneck!.testid);
    const baseline = await p95(runs.baseline!.testid);
    progress(
      `client-side GET /api/users p95: baseline ${baseline.toFixed(3)}s, bottleneck ${bottleneck.toFixed(3)}s`,
    );
    expect(bottleneck).toBeGreaterThanOrEqual(DELAY_MS / 1000);
    expect(baseline).toBeLessThan(DELAY_MS / 1000 / 4);

    // p95 is estimated inside the 1..2.5 s bucket; the mean (sum / count) is exact.
    const mean = async (testid: string) => {
      const sel = `{testid="${testid}",endpoint="GET /api/users"}`;
      const r = await prometheus.query(
        `max_over_time(loadgen_request_duration_seconds_sum${sel}[${range}]) / max_over_time(loadgen_request_duration_seconds_count${sel}[${range}])`,
        now,
      );
      return Number(r[0]?.values[0]?.[1]);
    };
    const bottleneckMean = await mean(runs.bottleneck!.testid);
    progress(`client-side GET /api/users mean in the bottleneck run: ${bottleneckMean.toFixed(3)}s`);
    expect(bottleneckMean).toBeGreaterThanOrEqual(DELAY_MS / 1000);
    expect(bottleneckMean).toBeLessThan((DELAY_MS / 1000) * 1.5);
  });

  it("game-api's own histogram agrees", async () => {
    // game-api's counters span all runs, so take each run's own part: the counter's last minus
    // its first sample inside the run's window (increase() would extrapolate _sum and _count
    // differently near the start of a series and skew their ratio).
    const delta = (series: string, r: { start: number; end: number }) => {
      const w = `[${Math.ceil(r.end - r.start) + 1}s]`;
      return `(max_over_time(${series}${w}) - min_over_time(${series}${w}))`;
    };
    const sel = '{job="game-api",http_request_method="GET",http_route="/api/users"}';
    const at = async (expr: string, r: { end: number }) =>
      Number((await prometheus.query(expr, r.end + 1))[0]?.values[0]?.[1]);
    const serverP95 = (r: { start: number; end: number }) =>
      at(
        `histogram_quantile(0.95, sum by (le) ${delta(`http_server_request_duration_seconds_bucket${sel}`, r)})`,
        r,
      );
    const bottleneck = await serverP95(runs.bottleneck!);
    const baseline = await serverP95(runs.baseline!);
    progress(
      `server-side GET /api/users p95: baseline ${baseline.toFixed(3)}s, bottleneck ${bottleneck.toFixed(3)}s`,
    );
    expect(bottleneck).toBeGreaterThanOrEqual(DELAY_MS / 1000);
    expect(baseline).toBeLessThan(DELAY_MS / 1000 / 4);

    const r = runs.bottleneck!;
    const serverMean = await at(
      `sum(${delta(`http_server_request_duration_seconds_sum${sel}`, r)}) / sum(${delta(`http_server_request_duration_seconds_count${sel}`, r)})`,
      r,
    );
    progress(`server-side GET /api/users mean in the bottleneck run: ${serverMean.toFixed(3)}s`);
    expect(serverMean).toBeGreaterThan((DELAY_MS / 1000) * 0.98);
    expect(serverMean).toBeLessThan((DELAY_MS / 1000) * 1.5);
  });

  it("match: loadgen's socket messages are game-api's, and the runs side by side show them", async () => {
    const summary = JSON.parse(await readFile(join(results, runs.match!.testid, 'summary.json'), 'utf8')) as {
      totals: { peakConnected?: number };
      ws?: { messages: { type: string; sent: number; received: number }[] };
    };
    const metrics = parsePrometheusText(await (await fetch(`${lab.state.urls.api}/metrics`)).text());
    const server = (direction: string, type: string) =>
      metrics.find(
        (m) =>
          m.name === 'game_api_ws_messages_total' &&
          m.labels.direction === direction &&
          m.labels.type === type,
      )?.value ?? 0;
    const messages = summary.ws?.messages ?? [];
    progress(`match: ${messages.map((m) => `${m.type} ${m.sent}/${m.received}`).join(', ')}`);
    expect(summary.totals.peakConnected).toBe(6);
    for (const type of ['queue', 'move', 'end']) {
      const sent = messages.find((m) => m.type === type)?.sent ?? 0;
      expect(sent, type).toBeGreaterThan(0);
      // Every message a player sent reached game-api (a close frame comes after the data).
      expect(server('in', type), type).toBe(sent);
    }
    for (const type of ['welcome', 'queued', 'matched', 'move_ack', 'moved', 'ended']) {
      const received = messages.find((m) => m.type === type)?.received ?? 0;
      expect(received, type).toBeGreaterThan(0);
      // What game-api sent arrived, but for pushes still in flight when the run closed the sockets.
      expect(received, type).toBeLessThanOrEqual(server('out', type));
    }
  });

  it('Ctrl-C during a bottleneck run stops loadgen, keeps its summary and restores the fault', async () => {
    const client = new FaultClient(lab.state.urls.api, { value: env.ADMIN_TOKEN ?? '', from: 'the lab' });
    const { child, done } = labCli(['run', 'bottleneck', '--duration', '60s', '--metrics-linger', '1'], env);
    await waitFor(async () => ((await client.get()) as { delayMs: number }).delayMs > 0, {
      what: 'the fault on',
      timeoutMs: 30_000,
    });
    expect(await client.get()).toMatchObject({ delayMs: DELAY_MS });
    // Ctrl-C once loadgen runs and has completed requests: its summary then has something to keep.
    await waitFor(async () => (await loadgenRequests()) > 0, { what: 'loadgen requests', timeoutMs: 30_000 });
    child.kill('SIGINT');
    const { code, output } = await done;
    expect(code, output).toBe(130);
    expect(await client.get()).toMatchObject({ delayMs: 0 });
    const testid = /run (\S+): /.exec(output)?.[1] ?? '';
    await access(join(results, testid, 'summary.json'));
  });
});
