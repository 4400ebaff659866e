import type { SteeringChange } from './timeline-schema.js';

/**
 * A steering change as every view writes it (the dashboard's markers and messages, `loadgen
 * control`, the HTML report's charts and parameters): `users 20 @ 5/s`, `rate 50/s`, `stop`;
 * in a merged summary, the segment it steered.
 */
export function steeringLabel(
  c: Pick<SteeringChange, 'action' | 'users' | 'spawnRate' | 'rate' | 'segment'>,
): string {
  const segment = c.segment === undefined ? '' : ` (segment ${c.segment})`;
  if (c.action === 'users') return `users ${c.users} @ ${c.spawnRate}/s${segment}`;
  if (c.action === 'rate') return `rate ${c.rate}/s${segment}`;
  return `stop${segment}`;
}
