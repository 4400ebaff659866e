import { z } from 'zod';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** "90s", "1m30s", "500ms", "2h" or a bare number of seconds -> seconds; undefined when invalid. */
export function parseDurationSec(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (UNITS[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/**
 * A duration a setting may take, in seconds: more than 0 (a timeout, a run's length), or 0 too with
 * `allowZero` (a linger, a delay: none at all); undefined when it is neither.
 */
export function durationSecOf(input: string | number, { allowZero = false } = {}): number | undefined {
  const sec = parseDurationSec(input);
  return sec === undefined || (sec === 0 && !allowZero) ? undefined : sec;
}

/** A zod field accepting "60s"-style strings or seconds, output in seconds. */
export const durationField = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const sec = parseDurationSec(v);
  if (sec === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (try 60s, 5m, 1m30s)` });
    return z.NEVER;
  }
  return sec;
});
