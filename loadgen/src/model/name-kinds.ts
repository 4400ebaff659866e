import type { CustomMetric, WindowMetric } from './custom-metric-schema.js';

/**
 * What a measured name is in one part of a run (a thread's window, a segment's summary): parts
 * check their own names (metrics/metric-names.ts), not each other's, so a script that counts
 * `score` in one thread and rates it in another, or two segments whose scenarios declare a trend
 * in different units, give figures that cannot be added. Those who add parts (the run's
 * aggregator, `merge`) refuse them with what each part said the name was.
 */

/** An endpoint's name: an HTTP endpoint, a socket figure, or a custom trend in its unit. */
export function endpointKindText(e: { kind?: 'ws' | 'custom' | 'http'; unit?: string }): string {
  if (e.kind === 'custom') return `a trend in ${e.unit ?? 'ms'}`;
  return e.kind === 'ws' ? 'a socket figure' : 'an HTTP endpoint';
}

/** A custom counter, rate or gauge, from its summary entry or its window figures. */
export function metricKindText(m: CustomMetric | WindowMetric): string {
  if ('type' in m) return `a ${m.type}`;
  if ('count' in m) return 'a counter';
  return 'passes' in m ? 'a rate' : 'a gauge';
}

/** A name two parts disagree on: what it was in the first part that had it, and what it is now. */
export interface NameClash {
  name: string;
  was: string;
  wasIn: string;
  is: string;
}

/** The names seen so far, each with what it is and the first part it was seen in. */
export class NameKinds {
  private readonly seen = new Map<string, { kind: string; part: string }>();

  /** Note that `name` is `kind` in `part`; the clash when an earlier part said otherwise. */
  note(name: string, kind: string, part: string): NameClash | undefined {
    const known = this.seen.get(name);
    if (known === undefined) {
      this.seen.set(name, { kind, part });
      return undefined;
    }
    return known.kind === kind ? undefined : { name, was: known.kind, wasIn: known.part, is: kind };
  }
}
