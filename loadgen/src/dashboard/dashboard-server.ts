import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadgenError } from '../errors.js';
import type { RunSoFar, WindowLatency } from '../metrics/run-aggregator.js';
import { steeringLabel } from '../model/steering-label.js';
import type { Summary, TimeWindow } from '../model/summary-schema.js';
import type { SteeringSource } from '../model/timeline-schema.js';
import type { ChartAssets } from '../report/chart-library.js';
import { renderReport } from '../report/report-page.js';
import type { RunControl } from '../run/run-controller.js';
import type { RunProgress } from '../run/run-scenario.js';
import { parseSteeringRequest } from '../run/steering-request.js';
import { checkAccess } from './dashboard-access.js';
import { type DashboardAddress, urlHost } from './dashboard-address.js';
import { renderDashboardPage } from './dashboard-page.js';
import { EventStream } from './event-stream.js';
import { type LiveRunMeta, LiveRunState, labelled } from './live-state.js';

export interface DashboardOptions {
  address: DashboardAddress;
  /** The run's steering (the CLI's RunController, bound to the run by runScenario). */
  control: RunControl;
  meta: LiveRunMeta;
  /** uPlot, inlined in the page: it works offline. */
  assets: ChartAssets;
  /** Required of every request when set (off loopback). */
  token?: string;
}

/** The live dashboard: a RunProgress the run feeds window by window, and an HTTP server. */
export interface Dashboard extends RunProgress {
  /** The page's URL (with ?token= when one is needed): print it, open it. */
  readonly url: string;
  /** The run's summary: the page shows the final state and offers the report. */
  end(summary: Summary): void;
  /** Pages connected to the live stream (for tests and the bench). */
  readonly subscribers: number;
  close(): Promise<void>;
}

/** Control bodies are a few numbers: anything bigger is not one. */
const MAX_BODY = 4096;

const json = (res: ServerResponse, status: number, body: unknown) =>
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(`${JSON.stringify(body)}\n`);

const SOURCES: readonly SteeringSource[] = ['page', 'cli'];

/** The body of a control request, read up to MAX_BODY bytes. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Start the dashboard: GET / the page, /api/state everything so far, /events the live
 * stream (SSE), /api/endpoints.csv the endpoint table, /report the run's HTML report once it
 * ended; POST /api/control a steering change (JSON; 400 with a message when it is not one, the
 * run going on unchanged). Listening resolves before the run starts, so its URL prints first.
 */
export async function startDashboard(o: DashboardOptions): Promise<Dashboard> {
  const state = new LiveRunState(o.meta);
  const stream = new EventStream();
  let page: string | undefined;
  let report: string | undefined;
  let port = o.address.port;
  // The run's steering state, its changes labelled as every view writes them.
  const status = () => {
    const s = o.control.status();
    return { ...s, timeline: labelled(s.timeline) };
  };

  const control = async (req: IncomingMessage, res: ServerResponse) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return json(res, 415, { error: 'send the change as JSON (content-type: application/json)' });
    const text = await readBody(req);
    if (text === undefined) return json(res, 413, { error: `a change is at most ${MAX_BODY} bytes` });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(res, 400, {
        error: 'the body is not JSON: send {"users": 20}, {"rate": 50} or {"stop": true}',
      });
    }
    const parsed = parseSteeringRequest(body);
    if (!parsed.ok) return json(res, 400, { error: parsed.message });
    const header = String(req.headers['x-loadgen-source'] ?? '');
    const source = SOURCES.find((s) => s === header) ?? 'http';
    const outcome = o.control.steer(parsed.request, source);
    if (!outcome.ok) return json(res, outcome.reason === 'invalid' ? 400 : 409, { error: outcome.message });
    const change = { ...outcome.change, label: steeringLabel(outcome.change) };
    stream.send('steer', { change, status: status() });
    return json(res, 200, { change, status: status() });
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    switch (url.pathname) {
      case '/':
        if (!get) break;
        page ??= renderDashboardPage(o.meta, o.assets);
        return res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(page);
      case '/api/state':
        if (!get) break;
        return json(res, 200, { ...state.snapshot(), status: status() });
      case '/events':
        if (!get) break;
        return stream.open(req, res);
      case '/api/endpoints.csv': {
        if (!get) break;
        const csv = state.csv();
        if (csv === undefined)
          return json(res, 409, { error: 'no window has closed yet: try again in a second' });
        return res
          .writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${o.meta.testid.replace(/[^\w.-]/g, '_')}-endpoints.csv"`,
          })
          .end(csv);
      }
      case '/report':
        if (!get) break;
        if (state.final === undefined)
          return json(res, 409, { error: 'the report exists once the run has ended' });
        report ??= renderReport([state.final], {
          assets: o.assets,
          title: `Load test report: ${o.meta.testid}`,
        });
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(report);
      case '/api/control':
        if (req.method !== 'POST') break;
        return control(req, res);
      default:
        return json(res, 404, { error: `no ${url.pathname} here: open / for the dashboard` });
    }
    return json(res, 405, { error: `${req.method} is not taken by ${url.pathname}` });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const access = checkAccess(req, url, { token: o.token, port });
    if (!access.ok) return json(res, access.status, { error: access.message });
    route(req, res, url).catch((error: Error) => {
      if (!res.headersSent) json(res, 500, { error: error.message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LoadgenError(
          'LG_USAGE',
          `--dashboard ${o.address.host}:${o.address.port}: ${
            error.code === 'EADDRINUSE'
              ? 'already in use (another run has its dashboard there? --dashboard=127.0.0.1:0 takes any free port)'
              : error.code === 'EADDRNOTAVAIL'
                ? 'not an address of this machine'
                : error.message
          }`,
        ),
      ),
    );
    server.listen(o.address.port, o.address.host, resolve);
  });
  port = (server.address() as AddressInfo).port;
  const query = o.token === undefined ? '' : `?token=${encodeURIComponent(o.token)}`;

  return {
    url: `http://${urlHost(o.address.host)}:${port}/${query}`,
    get subscribers() {
      return stream.size;
    },
    update(w: TimeWindow, latest: WindowLatency, run: RunSoFar, soFar: () => Summary) {
      stream.send('window', { ...state.addWindow(w, latest, run, soFar()), status: status() });
    },
    finish() {},
    end(summary: Summary) {
      stream.send('end', { ...state.finish(summary), status: status() });
    },
    close: async () => {
      stream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
