/**
 * The one error type routes throw. `code` is stable (clients and tests match on it); the error
 * middleware maps it to its HTTP status and the JSON envelope `{error: {code, message, details?}}`.
 */
const ERROR_STATUS = {
  invalid_json: 400,
  invalid_body: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  username_taken: 409,
  session_ended: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  score_limit_reached: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

type Dependency = 'mysql' | 'redis';

/**
 * A request could not be served because a dependency it needs is unreachable or could not hand
 * out a connection in time: an outage, not a defect. The data layer raises it (having
 * classified the driver's error once, where the driver is wrapped); the error middleware answers
 * it with `503 unavailable` and `Retry-After`. It is not an AppError because the data layer
 * knows nothing of HTTP.
 */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
  constructor(
    readonly dependency: Dependency,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
