import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, DependencyUnavailableError, type ErrorCode } from '../errors.js';

/** Seconds a client is told to wait after a dependency outage: about what a MySQL restart takes. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** body-parser marks its errors with a `type`; each maps to a stable code. */
const BODY_PARSER_ERRORS: Record<string, [ErrorCode, string]> = {
  'entity.parse.failed': ['invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': ['payload_too_large', 'the request body is larger than allowed'],
  'encoding.unsupported': ['unsupported_media_type', 'unsupported content encoding'],
  'charset.unsupported': ['unsupported_media_type', 'unsupported charset'],
  'request.aborted': ['invalid_body', 'the request was aborted'],
  'request.size.invalid': ['invalid_body', 'the request body does not match its Content-Length'],
};

/**
 * The body-parser errors without a `type`: a body that does not decode as its Content-Encoding
 * (gzip that is not gzip, a truncated deflate stream) reaches us as zlib's own error, which
 * body-parser marks as an exposed http-error with status 400.
 */
function bodyParserError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, expose } = err as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof type === 'string' && type in BODY_PARSER_ERRORS) {
    const [code, message] = BODY_PARSER_ERRORS[type]!;
    return new AppError(code, message);
  }
  if (status === 400 && expose === true) {
    return new AppError('invalid_body', 'the request body does not decode as its Content-Encoding');
  }
  return undefined;
}

export const notFound: RequestHandler = (req) => {
  throw new AppError('not_found', `no route for ${req.method} ${req.path}`);
};

/** The one place errors become responses: `{error: {code, message, details?}}`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let appError: AppError | undefined;
    if (err instanceof DependencyUnavailableError) {
      // An outage, not a defect: no log line per request (the data layer logs the outage once).
      appError = new AppError('unavailable', `${err.dependency} is unavailable; retry later`, undefined, {
        'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
      });
    } else {
      appError = err instanceof AppError ? err : bodyParserError(err);
    }
    if (!appError) {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      appError = new AppError('internal', 'internal server error');
    }
    if (appError.headers) res.set(appError.headers);
    const body: { code: string; message: string; details?: unknown } = {
      code: appError.code,
      message: appError.message,
    };
    if (appError.details !== undefined) body.details = appError.details;
    res.status(appError.status).json({ error: body });
  };
}
