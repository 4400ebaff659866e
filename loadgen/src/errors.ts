/** Stable error codes; the CLI maps each to one exit code (see src/cli/exit-codes.ts). */
export type LoadgenErrorCode =
  | 'LG_USAGE'
  | 'LG_SCENARIO_INVALID'
  | 'LG_SUMMARY_INVALID'
  | 'LG_MERGE_REFUSED'
  | 'LG_TARGET_UNREACHABLE'
  | 'LG_IO';

/** The one error base class of loadgen: `code` is stable, `message` is one line for a person. */
export class LoadgenError extends Error {
  readonly code: LoadgenErrorCode;

  constructor(code: LoadgenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LoadgenError';
    this.code = code;
  }
}
