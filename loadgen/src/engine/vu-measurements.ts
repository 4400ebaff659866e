import {
  type RecordOptions,
  RequestFailedError,
  type Tags,
  type TimeOptions,
  type VuMetrics,
} from '../api/scenario-api.js';
import type { TrendSeries, WindowRecorder } from '../metrics/window-recorder.js';
import { describeError } from './describe-error.js';
import { UserStoppedError } from './vu-http.js';

/**
 * Errors already counted as a failure of a measurement (`vu.time`): the script gets them as they
 * were thrown, and the user's iteration does not count them again as a script error. A WeakSet,
 * so the error objects stay the script's own (no property added, frozen ones too).
 */
const counted = new WeakSet<object>();

/** An error the engine already counted: a measurement's failure, or a request without a response. */
export function alreadyCounted(error: unknown): boolean {
  return (
    error instanceof RequestFailedError || (typeof error === 'object' && error !== null && counted.has(error))
  );
}

function markCounted(error: unknown): unknown {
  // A thrown string or number cannot be remembered: it travels as an Error from here on.
  const e = typeof error === 'object' && error !== null ? error : new Error(String(error));
  counted.add(e);
  return e;
}

/**
 * The kind a failure is counted under: the error's `code` (ECONNREFUSED, a SDK's string code),
 * its cause's (fetch's "fetch failed" keeps the socket's code there), a numeric code with the
 * error's name (ServerError_4212), its name when it is not a plain Error (TimeoutError), else
 * script_error. At most 64 characters: kinds are table rows and Prometheus label values.
 */
export function failureKind(error: unknown): string {
  if (error instanceof RequestFailedError) return error.kind;
  if (typeof error !== 'object' || error === null) return 'script_error';
  const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  const name = typeof e.name === 'string' && e.name !== '' && e.name !== 'Error' ? e.name : undefined;
  let kind = 'script_error';
  if (typeof e.code === 'string' && e.code !== '') kind = e.code;
  else if (typeof e.cause?.code === 'string' && e.cause.code !== '') kind = e.cause.code;
  else if (typeof e.code === 'number' && Number.isFinite(e.code)) kind = `${name ?? 'error'}_${e.code}`;
  else if (name !== undefined) kind = name;
  return kind.slice(0, 64);
}

/** Kinds that are a wait running out: like a request's timeout, they keep the time waited as a sample. */
const TIMEOUT = /time_?out|timedout/i;

/**
 * `vu.time`, `vu.record` and `vu.metrics` for every user of one part: what they measure goes
 * into the part's recorder under the script's names. Nothing is recorded once the run is over
 * (late failures of what the end cut short are not measurements).
 */
export class VuMeasurements {
  readonly metrics: VuMetrics;

  constructor(
    private readonly recorder: WindowRecorder,
    private readonly isClosing: () => boolean,
  ) {
    const { custom, tags: sets } = recorder;
    // A sample with tags counts in its metric and in its tag set's series.
    this.metrics = {
      count: (name, n = 1, tags?: Tags) => {
        if (isClosing()) return;
        const series = sets.seriesOf(name, tags); // first: a bad tag counts nothing
        custom.count(name, n);
        if (series !== undefined) custom.count(series, n);
      },
      rate: (name, ok, tags?: Tags) => {
        if (isClosing()) return;
        const series = sets.seriesOf(name, tags); // first: a bad tag counts nothing
        custom.rate(name, Boolean(ok));
        if (series !== undefined) custom.rate(series, Boolean(ok));
      },
      gauge: (name, value, tags?: Tags) => {
        if (isClosing()) return;
        const series = sets.seriesOf(name, tags); // first: a bad tag counts nothing
        custom.gauge(name, value);
        if (series !== undefined) custom.gauge(series, value);
      },
    };
  }

  /**
   * The series of `tags` of the trend `name` when it declares tags (checked before the trend is
   * claimed, as its first use): looked up beside the trend's own, with no pair built per call.
   */
  private taggedTrend(name: string, tags: Tags | undefined): TrendSeries | undefined {
    const series = this.recorder.tags.seriesOf(name, tags);
    return series === undefined ? undefined : this.recorder.trend(series);
  }

  async time<T>(
    name: string,
    fn: () => T | Promise<T>,
    options: TimeOptions | undefined,
    inSetup: boolean,
  ): Promise<T> {
    const tagged = this.taggedTrend(name, options?.tags);
    const series = this.recorder.trend(name);
    if (!series.inMs) {
      throw new Error(
        `vu.time(${JSON.stringify(name)}): options.metrics declares it in ${series.unit}; vu.time measures ms (vu.record takes other units)`,
      );
    }
    if (typeof fn !== 'function') {
      throw new TypeError(`vu.time(${JSON.stringify(name)}, fn): fn must be a function, got ${typeof fn}`);
    }
    if (inSetup) this.recorder.markSetup(name);
    const t0 = performance.now();
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      throw this.failed(series, tagged, error, t0);
    }
    if (!this.isClosing()) {
      const ms = performance.now() - t0;
      series.record(ms);
      tagged?.record(ms);
    }
    return result;
  }

  private failed(series: TrendSeries, tagged: TrendSeries | undefined, error: unknown, t0: number): unknown {
    // A stopped user's wait was cut short by the run, not failed; after the end nothing counts.
    if (error instanceof UserStoppedError || this.isClosing()) return error;
    const kind = failureKind(error);
    // A timeout keeps the time it waited, as a request's does: the slowest outcomes stay in the
    // percentiles. Anything else that failed fast would make a broken operation look quick.
    const waited = TIMEOUT.test(kind) ? performance.now() - t0 : undefined;
    const message = describeError(error);
    series.fail(kind, message, waited);
    tagged?.fail(kind, message, waited);
    return markCounted(error);
  }

  record(name: string, value: number | null, options: RecordOptions | undefined, inSetup: boolean): void {
    const tagged = this.taggedTrend(name, options?.tags);
    const series = this.recorder.trend(name);
    const error = options?.error;
    const failed = error !== undefined && error !== false;
    // NaN or Infinity (a division by 0, a missing field's arithmetic) would be a bogus sample.
    if (value === null ? !failed : typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(
        `vu.record(${JSON.stringify(name)}, ${String(value)}): the value must be a finite number (null only with { error }, a failure without a value)`,
      );
    }
    if (inSetup) this.recorder.markSetup(name);
    if (this.isClosing()) return;
    if (!failed) {
      series.record(value as number);
      tagged?.record(value as number);
      return;
    }
    const kind =
      error === true
        ? 'failed'
        : typeof error === 'string'
          ? error.slice(0, 64) || 'failed'
          : failureKind(error);
    const message = error instanceof Error ? describeError(error) : `vu.record: ${kind}`;
    series.fail(kind, message, value ?? undefined);
    tagged?.fail(kind, message, value ?? undefined);
  }
}
