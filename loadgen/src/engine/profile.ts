import type { ProfileInput } from '../api/options-schema.js';

interface Stage {
  /** Seconds. */
  duration: number;
  target: number;
}

/** The profile as the summary records it: a start value and linear stages (0 s = a jump). */
export interface Profile {
  type: ProfileInput['type'];
  start: number;
  stages: Stage[];
}

/**
 * Expand a profile into linear stages. `base` is the model's users or rate (used by constant);
 * `durationSec` bounds the repeating burst profile. After its last stage a profile holds its
 * last value, so `--duration` longer than the profile simply keeps going.
 */
export function expandProfile(input: ProfileInput, base: number, durationSec: number): Profile {
  switch (input.type) {
    case 'constant':
      return { type: 'constant', start: base, stages: [{ duration: durationSec, target: base }] };
    case 'ramp':
      return { type: 'ramp', start: input.start ?? 0, stages: input.stages.map((s) => ({ ...s })) };
    case 'step':
      return {
        type: 'step',
        start: 0,
        stages: input.levels.flatMap((level) => [
          { duration: 0, target: level },
          { duration: input.stepDuration, target: level },
        ]),
      };
    case 'spike':
      return {
        type: 'spike',
        start: input.base,
        stages: [
          { duration: input.at, target: input.base },
          { duration: 0, target: input.peak },
          { duration: input.hold, target: input.peak },
          { duration: 0, target: input.base },
        ],
      };
    case 'burst': {
      const stages: Stage[] = [];
      let t = 0;
      while (t < durationSec && input.every > 0) {
        stages.push({ duration: input.every, target: input.base });
        stages.push({ duration: 0, target: input.peak }, { duration: input.length, target: input.peak });
        stages.push({ duration: 0, target: input.base });
        t += input.every + input.length;
      }
      return { type: 'burst', start: input.base, stages };
    }
  }
}

/** Multiply every value so the profile's peak equals `peak` (for --users / --rate overrides). */
export function scaleProfile(profile: Profile, peak: number): Profile {
  const current = profilePeak(profile);
  if (current === 0) return profile;
  const k = peak / current;
  return {
    ...profile,
    start: profile.start * k,
    stages: profile.stages.map((s) => ({ duration: s.duration, target: s.target * k })),
  };
}

function profilePeak(profile: Profile): number {
  return Math.max(profile.start, ...profile.stages.map((s) => s.target));
}

export function profileLength(profile: Profile): number {
  return profile.stages.reduce((sum, s) => sum + s.duration, 0);
}

/**
 * The profile as it ran up to `atSec`, then a jump to `value` held to the end: what a steering
 * change (from the dashboard or `loadgen control`) does to what is left of the profile. Up to
 * `atSec` the curve, and so every count and arrival already scheduled, is the same as before.
 */
export function steerProfile(profile: Profile, atSec: number, value: number): Profile {
  const at = Math.max(0, atSec);
  const curve = new ProfileCurve(profile);
  const stages: Stage[] = [];
  let t = 0;
  for (const s of profile.stages) {
    if (t + s.duration > at || (s.duration === 0 && t >= at)) break;
    stages.push({ ...s });
    t += s.duration;
  }
  if (at > t) stages.push({ duration: at - t, target: curve.valueAt(at) });
  stages.push({ duration: 0, target: value });
  return { ...profile, stages };
}

interface Segment {
  t0: number;
  t1: number;
  v0: number;
  v1: number;
  /** Integral of the value from 0 to t0. */
  area0: number;
}

function segmentsOf(profile: Profile): Segment[] {
  const out: Segment[] = [];
  let t = 0;
  let v = profile.start;
  let area = 0;
  for (const s of profile.stages) {
    if (s.duration > 0) {
      out.push({ t0: t, t1: t + s.duration, v0: v, v1: s.target, area0: area });
      area += ((v + s.target) / 2) * s.duration;
      t += s.duration;
    }
    v = s.target;
  }
  out.push({ t0: t, t1: Number.POSITIVE_INFINITY, v0: v, v1: v, area0: area });
  return out;
}

/** The profile's value at `t` seconds (linear inside a stage). */
export class ProfileCurve {
  private readonly segments: Segment[];
  private cursor = 0;

  constructor(profile: Profile) {
    this.segments = segmentsOf(profile);
  }

  valueAt(t: number): number {
    const seg = this.seek(t);
    if (seg.t1 === Number.POSITIVE_INFINITY || seg.v0 === seg.v1) return seg.v0;
    return seg.v0 + ((seg.v1 - seg.v0) * (t - seg.t0)) / (seg.t1 - seg.t0);
  }

  private seek(t: number): Segment {
    if (t < (this.segments[this.cursor] as Segment).t0) this.cursor = 0;
    while (t >= (this.segments[this.cursor] as Segment).t1) this.cursor++;
    return this.segments[this.cursor] as Segment;
  }

  /**
   * Seconds at which the integral of the curve reaches `area` (the k-th arrival of an open
   * model is at area = k), or undefined if it never does (the rate drops to 0 for good).
   */
  timeOfArea(area: number): number | undefined {
    let i = this.cursor;
    if (area < (this.segments[i] as Segment).area0) i = 0;
    for (; i < this.segments.length; i++) {
      const s = this.segments[i] as Segment;
      const next = this.segments[i + 1];
      if (next !== undefined && area >= next.area0) continue;
      const x = area - s.area0;
      if (s.t1 === Number.POSITIVE_INFINITY || s.v0 === s.v1) {
        if (s.v0 <= 0) return undefined;
        this.cursor = i;
        return s.t0 + x / s.v0;
      }
      const a = (s.v1 - s.v0) / (2 * (s.t1 - s.t0));
      const dt = (-s.v0 + Math.sqrt(s.v0 * s.v0 + 4 * a * x)) / (2 * a);
      this.cursor = i;
      return s.t0 + dt;
    }
    return undefined;
  }
}

/**
 * Closed-model user count over time: the profile's value, reached no faster than the spawn
 * rate. Evaluated on a fixed 10 ms grid from t = 0 so every segment and thread computes the
 * very same global count (they must, for `--segment` shares to add up exactly).
 */
export class UserCountSchedule {
  private static readonly STEP = 0.01;
  private curve: ProfileCurve;
  /** Spawn rates from a time on (seconds), oldest first: the start's, then each steering change's. */
  private readonly spawnRates: { from: number; rate: number }[];
  private tick = 0;
  private level = 0;

  constructor(
    private profile: Profile,
    spawnRate: number,
  ) {
    this.curve = new ProfileCurve(profile);
    this.spawnRates = [{ from: 0, rate: spawnRate }];
  }

  /**
   * From `atSec` on, hold `users`, reached at `spawnRate` users/s. The count is computed again from
   * t = 0, so every thread and segment given the same change at the same `atSec` keeps computing
   * the very same global count, however late the change reached it.
   */
  steer(atSec: number, users: number, spawnRate: number): void {
    this.profile = steerProfile(this.profile, atSec, users);
    this.curve = new ProfileCurve(this.profile);
    this.spawnRates.push({ from: atSec, rate: spawnRate });
    this.spawnRates.sort((a, b) => a.from - b.from);
    this.tick = 0;
    this.level = 0;
  }

  private spawnRateAt(t: number): number {
    let rate = (this.spawnRates[0] as { rate: number }).rate;
    for (const r of this.spawnRates) if (r.from <= t) rate = r.rate;
    return rate;
  }

  /**
   * Global number of users that should be running at `t` seconds (call with rising t). Each 10 ms
   * step's users start at the step's beginning: at t = 0 the first step's users already run.
   */
  countAt(t: number): number {
    const target = Math.floor(t / UserCountSchedule.STEP) + 1;
    if (target < this.tick) {
      this.tick = 0;
      this.level = 0;
    }
    const steered = this.spawnRates.length > 1;
    let maxStep = this.spawnRateAt(0) * UserCountSchedule.STEP;
    while (this.tick < target) {
      this.tick++;
      if (steered) maxStep = this.spawnRateAt(this.tick * UserCountSchedule.STEP) * UserCountSchedule.STEP;
      const want = this.curve.valueAt(this.tick * UserCountSchedule.STEP);
      this.level = want <= this.level ? want : Math.min(want, this.level + maxStep);
    }
    return Math.floor(this.level + 1e-9);
  }
}
