import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './stack-error.js';

export interface WaitForOptions {
  /** What is awaited, for the message when time runs out ("game-api ready"). */
  what?: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Pause between two checks; default 100 ms. */
  intervalMs?: number;
  /**
   * Asked after every miss: a reason to stop waiting now (what it waits on has exited), or
   * undefined to go on. The reason becomes the error's message.
   */
  abandonIf?: () => string | undefined;
}

type Done<T> = Exclude<T, undefined | null | false>;

/**
 * Checks `check` until it returns something other than undefined, null or false, and resolves
 * with that. A check that throws counts as "not yet" (a server that does not answer yet); its
 * last error is in the message when time runs out (STACK_WAIT_FAILED).
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Done<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value as Done<T>;
    } catch (err) {
      lastError = err;
    }
    const abandoned = options.abandonIf?.();
    if (abandoned !== undefined) throw new StackError('STACK_WAIT_FAILED', abandoned);
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new StackError(
        'STACK_WAIT_FAILED',
        `${options.what ?? 'condition'} not met within ${timeoutMs} ms${why}`,
      );
    }
    await sleep(options.intervalMs ?? 100);
  }
}
