import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's default security headers, computed once by running helmet() against a recorder and
 * then set in one step per request. Same headers and values as `app.use(helmet())`, without its
 * thirteen chained middlewares (and their next() hops) on every request. helmet's defaults do
 * not depend on the request; tests compare the headers with those of `app.use(helmet())`.
 */
export function securityHeaders(): RequestHandler {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, Array.isArray(value) ? value.join(', ') : String(value)]);
      return recorder;
    },
    removeHeader() {},
  };
  let finished = false;
  helmet()({} as Request, recorder as unknown as Response, () => {
    finished = true;
  });
  if (!finished || headers.length === 0) throw new Error('helmet() did not run synchronously');
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
