/**
 * Stable codes of what can go wrong starting the stack; a caller maps them to its own (the lab
 * to its exit codes, infra/lab/src/errors.ts).
 */
export type StackErrorCode =
  /** A program the stack needs is not installed, or a build is missing. */
  | 'STACK_TOOL_MISSING'
  /** A service exited or did not become ready in time; the message has the tail of its output. */
  | 'STACK_START_FAILED'
  /** A condition awaited with waitFor() did not hold in time, or what it awaited went away. */
  | 'STACK_WAIT_FAILED';

export class StackError extends Error {
  readonly code: StackErrorCode;

  constructor(code: StackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackError';
    this.code = code;
  }
}
