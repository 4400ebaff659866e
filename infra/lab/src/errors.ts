/** Stable codes; the CLI maps them to one-line messages and these exit codes (docs/lab.md). */
export const labErrorCodes = {
  LAB_BAD_INPUT: 2,
  LAB_TOOL_MISSING: 3,
  LAB_START_FAILED: 4,
  LAB_NOT_RUNNING: 5,
  LAB_TARGET_UNREACHABLE: 6,
  LAB_FAULT_TOGGLE_FAILED: 7,
  LAB_RUN_FAILED: 8,
} as const;

export type LabErrorCode = keyof typeof labErrorCodes;

export class LabError extends Error {
  readonly code: LabErrorCode;

  constructor(code: LabErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabError';
    this.code = code;
  }

  get exitCode(): number {
    return labErrorCodes[this.code];
  }
}
