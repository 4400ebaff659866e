import { LabError } from '../errors.js';
import type { FaultClient, FaultState } from './fault-client.js';

type FaultPlan =
  | { kind: 'toggled'; previous: FaultState; applied: FaultState }
  | { kind: 'already-on'; current: FaultState }
  | { kind: 'from-env'; delayMs: number };

/**
 * Turns the fault on for the duration of `body` and puts the previous setting back afterwards,
 * whatever happens in `body` (error, Ctrl-C: the caller's `body` returns once loadgen exited).
 * A fault that is already on (BOTTLENECK_DELAY_MS at start-up, or an earlier toggle) is left as
 * it is; without the admin endpoint the run goes ahead only when /metrics shows a fault.
 */
export async function withFault<T>(
  client: FaultClient,
  wanted: FaultState,
  log: (line: string) => void,
  body: (plan: FaultPlan) => Promise<T>,
): Promise<T> {
  const current = await client.get();
  if (current === 'disabled') {
    const delayMs = await client.reportedDelayMs();
    if (delayMs <= 0) {
      throw new LabError(
        'LAB_FAULT_TOGGLE_FAILED',
        'the fault is off and game-api has no admin endpoint (no ADMIN_TOKEN): start it with BOTTLENECK_DELAY_MS=1000, or with ADMIN_TOKEN so this script can toggle it',
      );
    }
    log(`fault: game-api was started with a ${delayMs} ms fault (no admin endpoint); running with it`);
    return body({ kind: 'from-env', delayMs });
  }
  if (current.delayMs > 0) {
    log(
      `fault: already on (${current.delayMs} ms on ${current.route}, ${current.mode} mode); leaving it as it is`,
    );
    return body({ kind: 'already-on', current });
  }
  const applied = await client.set(wanted);
  log(`fault: on (${applied.delayMs} ms on ${applied.route}, ${applied.mode} mode) for this run`);
  try {
    return await body({ kind: 'toggled', previous: current, applied });
  } finally {
    const restored = await client.set(current);
    log(`fault: restored (${restored.delayMs} ms on ${restored.route}, ${restored.mode} mode)`);
  }
}
