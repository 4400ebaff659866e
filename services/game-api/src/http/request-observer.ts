import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';

/**
 * Times every request once and, when it finishes, records it in
 * `http_server_request_duration_seconds` under its route template (never the raw path, which
 * would explode the label set) and logs it: 5xx as error, 4xx as info, the rest at debug so a
 * load test at LOG_LEVEL=info does not pay for a log line per request. A 503 is a dependency
 * outage, which the data layer logs once when it starts and once when it ends, so it logs at
 * debug too: an error line per refused request would bury those two. Logs never carry
 * bodies, tokens or headers.
 */
export function requestObserver(metrics: Pick<Metrics, 'httpDuration'>, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = req.route ? (req.route.path as string) : 'unmatched';
      const status = res.statusCode;
      metrics.httpDuration.observe(
        { http_request_method: req.method, http_route: route, http_response_status_code: String(status) },
        seconds,
      );
      const level = status === 503 ? 'debug' : status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (logger.isLevelEnabled(level)) {
        logger[level]({ method: req.method, route, status, ms: Math.round(seconds * 1e4) / 10 }, 'request');
      }
    });
    next();
  };
}
