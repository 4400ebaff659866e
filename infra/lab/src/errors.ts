import { StackError, type StackErrorCode } from '@game-load-lab/local-stack';
import { LAB_EXIT } from './exit-codes.js';

/** Stable codes; the CLI maps them to one-line messages and the exit codes of src/exit-codes.ts. */
const labErrorCodes = {
  LAB_BAD_INPUT: LAB_EXIT.badInput,
  LAB_TARGET_UNREACHABLE: LAB_EXIT.targetUnreachable,
  LAB_NOT_RUNNING: LAB_EXIT.notRunning,
  LAB_TOOL_MISSING: LAB_EXIT.toolMissing,
  LAB_FAULT_TOGGLE_FAILED: LAB_EXIT.faultToggleFailed,
  LAB_RUN_FAILED: LAB_EXIT.runFailed,
  LAB_START_FAILED: LAB_EXIT.startFailed,
} as const;

type LabErrorCode = keyof typeof labErrorCodes;

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

/** The lab's code for each of @game-load-lab/local-stack's, so a service that fails to start exits as before. */
const fromStack: Record<StackErrorCode, LabErrorCode> = {
  STACK_TOOL_MISSING: 'LAB_TOOL_MISSING',
  STACK_START_FAILED: 'LAB_START_FAILED',
  STACK_WAIT_FAILED: 'LAB_START_FAILED',
};

/** `err` as a LabError when local-stack threw it; anything else unchanged. */
export function labErrorFrom(err: unknown): unknown {
  if (err instanceof StackError) return new LabError(fromStack[err.code], err.message, { cause: err });
  return err;
}
