import { LoadgenError } from '../errors.js';

/**
 * `--start-at`: an ISO 8601 time with a date and a time zone (`2026-11-24T16:30:00Z`,
 * `...+01:00`) or epoch milliseconds (`1795537800000`, what `date +%s%3N` prints). A time zone is
 * required because the instant is shared by machines whose local zones may differ. More than
 * `toleranceMs` in the past (at `nowMs`) is an error: starting anyway would skew the segments.
 */
export function parseStartAt(text: string, nowMs: number, toleranceMs: number): number {
  const value = text.trim();
  let ms: number;
  if (/^\d{10,}$/.test(value)) ms = Number(value);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value))
    ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new LoadgenError(
      'LG_USAGE',
      `--start-at "${text}" must be an ISO time with a zone (2026-11-24T16:30:00Z) or epoch ms (date +%s%3N)`,
    );
  }
  if (nowMs - ms > toleranceMs) {
    throw new LoadgenError(
      'LG_USAGE',
      `--start-at ${new Date(ms).toISOString()} is ${((nowMs - ms) / 1000).toFixed(1)} s in the past; give a time ahead of every segment's start`,
    );
  }
  return ms;
}
