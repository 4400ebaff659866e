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
 * left out: they run once per user). A declared name cannot contain `:`, so a name is never taken
 * for a derived id; a run that declares none still matches a declared one whose loop called the
 * same endpoints (samePattern), so summaries from before a scenario declared its pattern stay
 * comparable with the runs after.
 */

const DERIVED_PREFIX = 'loop:';

/** What the derivation reads of a summary's endpoints. */
export interface PatternEndpoint {
  endpoint: string;
  setup?: boolean;
}

/** The names a derived pattern is made of: the loop's endpoints, sorted, each once. */
function loopEndpoints(endpoints: readonly PatternEndpoint[]): string[] {
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

/**
 * What a run is compared on when either side declares no pattern: its loop's endpoints, as a
 * derived pattern. A run with a derived pattern has it already; a declared one gets it from its
 * endpoints, so a summary written before v3 (derived on read) meets the same traffic declared
 * by a later scenario.
 */
function loopFingerprint(s: Pick<Summary, 'run' | 'endpoints'>): string {
  return isDerivedCallPattern(s.run.callPattern) ? s.run.callPattern : deriveCallPattern(s.endpoints);
}

/**
 * The rule, once: two runs played one call pattern when both declare it by the same name, or,
 * when either declares none, when their loops called the same endpoints. Two different declared
 * names never match, whatever they called.
 */
export function samePattern(a: Pick<Summary, 'run' | 'endpoints'>, b: Pick<Summary, 'run' | 'endpoints'>) {
  const declared = !isDerivedCallPattern(a.run.callPattern) && !isDerivedCallPattern(b.run.callPattern);
  return declared ? a.run.callPattern === b.run.callPattern : loopFingerprint(a) === loopFingerprint(b);
}

/**
 * One group name per run (same order) such that runs of one group played one call pattern, for
 * the run history's series: a declared pattern's name for the runs that declare it, and for a run
 * that declares none, the declared name whose runs called exactly its endpoints (samePattern), or,
 * when no name (or more than one) does, its own derived pattern. So a summary written before v3
 * and the same scenario's later runs, which declare `game`, fall in one group.
 */
export function callPatternGroups(summaries: readonly Pick<Summary, 'run' | 'endpoints'>[]): string[] {
  const namesByFingerprint = new Map<string, Set<string>>();
  for (const s of summaries) {
    if (isDerivedCallPattern(s.run.callPattern)) continue;
    const fingerprint = loopFingerprint(s);
    const names = namesByFingerprint.get(fingerprint) ?? new Set<string>();
    names.add(s.run.callPattern);
    namesByFingerprint.set(fingerprint, names);
  }
  return summaries.map((s) => {
    if (!isDerivedCallPattern(s.run.callPattern)) return s.run.callPattern;
    const names = namesByFingerprint.get(s.run.callPattern);
    return names?.size === 1 ? ([...names][0] as string) : s.run.callPattern;
  });
}

type Comparability = { comparable: true } | { comparable: false; reason: string };

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
 * played the same call pattern (samePattern). When not, `reason` says why in one sentence a
 * report can show.
 */
export function comparability(base: Summary, candidate: Summary): Comparability {
  if (samePattern(base, candidate)) return { comparable: true };
  let reason = `${candidate.run.testid} played ${describe(candidate)}, ${base.run.testid} played ${describe(base)}: another shape of traffic`;
  if (isDerivedCallPattern(base.run.callPattern) || isDerivedCallPattern(candidate.run.callPattern)) {
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
