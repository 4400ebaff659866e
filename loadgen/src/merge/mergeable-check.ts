import { LoadgenError } from '../errors.js';
import { endpointKindText, metricKindText, NameKinds } from '../model/name-kinds.js';
import type { Summary } from '../model/summary-schema.js';

const refuse = (message: string): never => {
  throw new LoadgenError('LG_MERGE_REFUSED', `merge refused: ${message}`);
};

/**
 * What makes inputs one run, checked before anything is added: a merge of two different runs, or
 * of one segment twice, would give figures that look right and are not.
 */
export function checkMergeable(summaries: Summary[], sources: string[], allowPartial: boolean): number[] {
  const first = summaries[0] as Summary;
  const name = (i: number) => sources[i] ?? `#${i + 1}`;
  const seg = (s: Summary) => `${s.run.segment.index}/${s.run.segment.count}`;
  summaries.forEach((s, i) => {
    const r = s.run;
    if (r.testid !== first.run.testid)
      refuse(`${name(i)} is run "${r.testid}", ${name(0)} is run "${first.run.testid}" (one run at a time)`);
    if (r.scenario.name !== first.run.scenario.name || r.scenario.label !== first.run.scenario.label)
      refuse(
        `${name(i)} ran scenario ${r.scenario.name} (${r.scenario.label}), ${name(0)} ran ${first.run.scenario.name} (${first.run.scenario.label})`,
      );
    if (r.windowSec !== first.run.windowSec)
      refuse(`${name(i)} has ${r.windowSec} s windows, ${name(0)} has ${first.run.windowSec} s windows`);
    if (r.segment.count !== first.run.segment.count)
      refuse(
        `${name(i)} is segment ${seg(s)}, ${name(0)} is segment ${seg(first)}: different segment counts`,
      );
  });
  // A name must be the same thing in every segment: a counter is not added to a rate, nor a trend
  // in players to one in ms.
  const kinds = new NameKinds();
  summaries.forEach((s, i) => {
    const parts = [
      ...s.endpoints.map((e) => [e.endpoint, endpointKindText(e)] as const),
      ...(s.metrics ?? []).map((m) => [m.name, metricKindText(m)] as const),
    ];
    for (const [metric, kind] of parts) {
      const clash = kinds.note(metric, kind, name(i));
      if (clash !== undefined) {
        refuse(
          `"${clash.name}" is ${clash.was} in ${clash.wasIn} and ${clash.is} in ${name(i)}: their figures cannot be added (the segments must run the same scenario)`,
        );
      }
    }
  });
  const seen = new Map<number, number>();
  summaries.forEach((s, i) => {
    const twice = seen.get(s.run.segment.index);
    if (twice !== undefined) refuse(`${name(twice)} and ${name(i)} are both segment ${seg(s)}`);
    seen.set(s.run.segment.index, i);
  });
  const n = first.run.segment.count;
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0 && !allowPartial) {
    refuse(
      `segment${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} of run "${first.run.testid}" missing (--allow-partial merges what is there and marks the result partial)`,
    );
  }
  return missing;
}
