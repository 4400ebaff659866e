import { setTimeout as sleep } from 'node:timers/promises';
import { Histogram, Registry } from 'prom-client';
import { startTestServer } from '../../helpers/test-server.js';

/** Where an injected delay is spent: inside the timed handler, or before the server starts timing. */
export type DelayPlace = 'inside' | 'before';

export interface GameLikeServer {
  url: string;
  /** Delay one route (`GET /api/users`) by `ms`; 0 turns it off. */
  setDelay: (route: string, ms: number, place?: DelayPlace) => void;
  close: () => Promise<void>;
}

const ROUTES = new Set(['GET /api/me', 'GET /api/users', 'GET /api/leaderboard']);

/**
 * loadgen's test server answering game-api's read routes and exposing game-api's server-side
 * histogram (http_server_request_duration_seconds, same labels), so loadgen's summaries get a
 * `server` section. A delay can be injected into one route inside the timed handler (as
 * game-api's fault toggle does) or before the timer starts (time the server never sees).
 */
export async function startGameLikeServer(): Promise<GameLikeServer> {
  const registry = new Registry();
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    registers: [registry],
  });
  const fault = { route: '', ms: 0, place: 'inside' as DelayPlace };

  const server = await startTestServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = `${req.method} ${path}`;
    if (route === 'GET /metrics') {
      void registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      return true;
    }
    const delay = fault.ms > 0 && fault.route === route ? fault.ms : 0;
    void (async () => {
      if (delay > 0 && fault.place === 'before') await sleep(delay);
      const end = duration.startTimer({ http_request_method: req.method ?? '', http_route: path });
      if (delay > 0 && fault.place === 'inside') await sleep(delay);
      const known = ROUTES.has(route);
      res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
      res.end(known ? '{"ok":true}' : '{"error":{"code":"not_found"}}');
      end({ http_response_status_code: known ? 200 : 404 });
    })();
    return true;
  });
  return {
    url: server.url,
    setDelay: (route, ms, place = 'inside') => {
      fault.route = route;
      fault.ms = ms;
      fault.place = place;
    },
    close: server.close,
  };
}
