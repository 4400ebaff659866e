import { z } from 'zod';

/** The ways a run can be steered while it goes (the dashboard, POST /api/control, `loadgen control`). */
const STEERING_ACTIONS = ['users', 'rate', 'stop'] as const;
/** Who asked for a change: the dashboard page, `loadgen control`, or any other HTTP client. */
const STEERING_SOURCES = ['page', 'cli', 'http'] as const;
export type SteeringSource = (typeof STEERING_SOURCES)[number];

/**
 * One change made to a running run. From `t` on, what was left of the profile is replaced by a
 * constant at the new value (`users` at `spawnRate`, or `rate`); `stop` ends the run as SIGINT does.
 */
export const steeringChangeSchema = z.object({
  /** Seconds from the run's start (t = 0 of the time series) to the change. */
  t: z.number().nonnegative(),
  action: z.enum(STEERING_ACTIONS),
  /** Closed model: users of the whole run from t on (a segment runs its share of them). */
  users: z.number().int().nonnegative().optional(),
  /** Closed model: users started per second to reach `users`. */
  spawnRate: z.number().positive().optional(),
  /** Open model: iterations per second of the whole run from t on. */
  rate: z.number().nonnegative().optional(),
  source: z.enum(STEERING_SOURCES),
  /** The segment steered; only in a merged summary (each process of a segmented run is steered on its own). */
  segment: z.number().int().nonnegative().optional(),
});
export type SteeringChange = z.infer<typeof steeringChangeSchema>;
