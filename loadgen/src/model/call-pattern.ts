import { createHash } from 'node:crypto';
import type { Summary } from './summary-schema.js';

/**
 * The call pattern a run played: the shape of its traffic (which endpoints a user's loop calls,
 * in what mix), whatever the load model, the number of users or the fault. Two runs of one call
 * pattern are comparable: a delta between them means the target changed, not the traffic. The
 * report colours deltas only between comparable runs, and the run history groups runs by it.
 *
 * A scenario declares its pattern (`options.pattern`: every game preset says `game`, the realtime
 * ones `match`); a run of a scenario that declares none, and a summary written before v3, gets one
 * derived from what the run did: `loop:` and a hash of its loop's endpoint names (setup endpoints
 * left out: they run once per user). A declared name cannot contain `:`, so the two never meet.
 */

const DERIVED_PREFIX = 'loop:';

/** What the derivation reads of a summary's endpoints. */
export interface PatternEndpoint {
  endpoint: string;
  setup?: boolean;
}

/** The names a derived pattern is made of: the loop's endpoints, sorted, each once. */
export function loopEndpoints(endpoints: readonly PatternEndpoint[]): string[] {
  return [...new Set(endpoints.filter((e) => e.setup !== true).map((e) => e.endpoint))].sort();
}

/**
 * `loop:` and 10 hex digits of the SHA-256 of the loop's endpoint names: the same set of names,
 * in any order, gives the same id. A branch a short run never took changes it: declare the
 * pattern (`options.pattern`) when that matters.
 */
export function deriveCallPattern(endpoints: readonly PatternEndpoint[]): string {
  const hash = createHash('sha256').update(loopEndpoints(endpoints).join('\n')).digest('hex');
  return `${DERIVED_PREFIX}${hash.slice(0, 10)}`;
}

export function isDerivedCallPattern(pattern: string): boolean {
  return pattern.startsWith(DERIVED_PREFIX);
}

export type Comparability = { comparable: true } | { comparable: false; reason: string };

function describe(s: Summary): string {
  const p = s.run.callPattern;
  return isDerivedCallPattern(p)
    ? `an undeclared call pattern (${p}, from its loop's endpoints)`
    : `call pattern "${p}"`;
}

/** Up to three names, then how many more. */
function few(names: string[]): string {
  return names.length <= 3
    ? names.join(', ')
    : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * Whether a delta of `candidate` against `base` says something about the target: both runs
 * played the same call pattern. When not, `reason` says why in one sentence a report can show.
 */
export function comparability(base: Summary, candidate: Summary): Comparability {
  if (base.run.callPattern === candidate.run.callPattern) return { comparable: true };
  let reason = `${candidate.run.testid} played ${describe(candidate)}, ${base.run.testid} played ${describe(base)}: another shape of traffic`;
  if (isDerivedCallPattern(base.run.callPattern) && isDerivedCallPattern(candidate.run.callPattern)) {
    const a = loopEndpoints(base.endpoints);
    const b = loopEndpoints(candidate.endpoints);
    const onlyB = b.filter((e) => !a.includes(e));
    const onlyA = a.filter((e) => !b.includes(e));
    const diff = [
      onlyB.length > 0 ? `only ${candidate.run.testid} calls ${few(onlyB)}` : '',
      onlyA.length > 0 ? `only ${base.run.testid} calls ${few(onlyA)}` : '',
    ].filter((d) => d !== '');
    if (diff.length > 0) reason += ` (${diff.join('; ')})`;
  }
  return { comparable: false, reason };
}
