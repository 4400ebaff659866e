import { parse } from 'content-type';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

/**
 * Refuses a JSON body declared in any charset but UTF-8 with 415, as the README says.
 * express.json alone decodes every `utf-*` charset it is given (UTF-7, UTF-16), so a body in a
 * charset the API does not speak would be read, not refused. No charset means UTF-8 (RFC 8259).
 */
export function jsonCharsetUtf8Only(): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers['content-type'];
    // Not a JSON body: express.json leaves it alone and the route answers 415 for a missing body.
    if (header === undefined || !req.is('application/json')) return next();
    const charset = parse(header).parameters.charset;
    if (charset === undefined || charset.toLowerCase() === 'utf-8') return next();
    next(
      new AppError(
        'unsupported_media_type',
        `unsupported charset ${JSON.stringify(charset)}: send the JSON body as UTF-8 (Content-Type: application/json or application/json; charset=utf-8)`,
      ),
    );
  };
}
