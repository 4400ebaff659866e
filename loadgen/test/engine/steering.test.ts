import { describe, expect, it } from 'vitest';
import { expandProfile, ProfileCurve, steerProfile, UserCountSchedule } from '../../src/engine/profile.js';

describe('steering a profile', () => {
  it('keeps the curve and its area up to the change, then holds the new value', () => {
    const ramp = expandProfile({ type: 'ramp', start: 0, stages: [{ duration: 10, target: 100 }] }, 100, 30);
    const steered = new ProfileCurve(steerProfile(ramp, 4, 20));
    const before = new ProfileCurve(ramp);
    for (const t of [0, 1, 2.5, 3.99]) expect(steered.valueAt(t)).toBeCloseTo(before.valueAt(t), 9);
    for (const t of [4, 5, 10, 60]) expect(steered.valueAt(t)).toBe(20);
    // The arrivals of an open model up to the change are the same: area 0..4 s = 4 * 40 / 2 = 80.
    expect(steered.timeOfArea(80)).toBeCloseTo(4, 6);
    expect(before.timeOfArea(80)).toBeCloseTo(4, 6);
    // Then 20 a second: arrival 80 + 20 k at 4 + k s.
    expect(steered.timeOfArea(120)).toBeCloseTo(6, 6);
  });

  it('replaces the rest of a step profile, jumps included, by the constant', () => {
    const step = expandProfile({ type: 'step', levels: [10, 30, 50], stepDuration: 5 }, 50, 15);
    const steered = new ProfileCurve(steerProfile(step, 7, 5));
    expect([0, 4.9, 5, 6.9].map((t) => steered.valueAt(t))).toEqual([10, 10, 30, 30]);
    expect([7, 10, 14, 100].map((t) => steered.valueAt(t))).toEqual([5, 5, 5, 5]);
  });

  it('gives every thread the same global user count, however late the change reached it', () => {
    const profile = expandProfile({ type: 'constant' }, 5, 60);
    const early = new UserCountSchedule(profile, 1e9);
    const late = new UserCountSchedule(profile, 1e9);
    expect(early.countAt(3)).toBe(5);
    expect(late.countAt(3.4)).toBe(5);
    // From 3.0 s on, 20 users at 10 per second: one thread hears of it at 3.0 s, the other at 3.4 s.
    early.steer(3, 20, 10);
    const a = [3.05, 3.4, 3.5, 4, 4.6, 10].map((t) => early.countAt(t));
    late.steer(3, 20, 10);
    const b = [3.4, 3.5, 4, 4.6, 10].map((t) => late.countAt(t));
    expect(a).toEqual([5, 9, 10, 15, 20, 20]);
    expect(b).toEqual(a.slice(1));
    // Lower: the users above the new count stop at once, whatever the spawn rate.
    early.steer(12, 2, 1);
    expect(early.countAt(12)).toBe(2);
  });
});
