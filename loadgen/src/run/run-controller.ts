import type { ResolvedModel } from '../engine/engine-config.js';
import { type Profile, ProfileCurve, steerProfile } from '../engine/profile.js';
import type { SegmentSpec } from '../engine/segment.js';
import type { SteeringChange, SteeringSource } from '../model/timeline-schema.js';
import type { SteeringRequest } from './steering-request.js';

/** What runScenario lends the controller while the run goes: the parts' steering and its stop. */
interface SteeringBinding {
  model: ResolvedModel;
  profile: Profile;
  durationSec: number;
  threads: number;
  segment: SegmentSpec;
  /** The common start (epoch ms) once the users are set going; undefined while they set up. */
  startEpochMs(): number | undefined;
  /** Every part: the whole run's users from atSec on. */
  setUsers(atSec: number, users: number, spawnRate: number): void;
  setRate(atSec: number, rate: number): void;
  /** The same path as SIGINT: users stop, the summary is marked interrupted. */
  stop(): void;
}

type RunPhase = 'waiting' | 'starting' | 'running' | 'ended';

/** What a page or `loadgen control` is told about the run's steering. */
export interface SteeringStatus {
  phase: RunPhase;
  model?: ResolvedModel['type'];
  /** The current target: the profile's value now (whole run), users or iterations per second. */
  target?: number;
  /** Closed model: the spawn rate a change of users uses unless it gives its own. */
  spawnRate?: number;
  threads?: number;
  segment?: SegmentSpec;
  timeline: SteeringChange[];
}

export type SteeringOutcome =
  | { ok: true; change: SteeringChange }
  | { ok: false; reason: 'invalid' | 'not-running'; message: string };

/** The control interface a run exposes (the dashboard and `loadgen control` go through it). */
export interface RunControl {
  status(): SteeringStatus;
  steer(request: SteeringRequest, source: SteeringSource): SteeringOutcome;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Created by the caller (the CLI) and injected into runScenario, which binds it to the run's
 * parts while they go; the dashboard calls it. Every change is recorded in the timeline the
 * summary keeps, with the time it took effect (seconds since the start, the windows' clock).
 */
export class RunController implements RunControl {
  private binding: SteeringBinding | undefined;
  private profile: Profile | undefined;
  private spawnRate = 0;
  private ended = false;
  private stopped = false;
  readonly timeline: SteeringChange[] = [];

  /** runScenario: the run's parts can be steered from now on. */
  attach(binding: SteeringBinding): void {
    this.binding = binding;
    this.profile = binding.profile;
    this.spawnRate = binding.model.type === 'closed' ? binding.model.spawnRate : 0;
  }

  /** runScenario: the users are done; later changes are refused. */
  end(): void {
    this.ended = true;
  }

  private secondsSinceStart(): number | undefined {
    const start = this.binding?.startEpochMs();
    return start === undefined ? undefined : (performance.timeOrigin + performance.now() - start) / 1000;
  }

  private phase(): RunPhase {
    const b = this.binding;
    if (b === undefined) return 'waiting';
    const t = this.secondsSinceStart();
    if (this.ended || this.stopped || (t !== undefined && t >= b.durationSec)) return 'ended';
    return t === undefined || t < 0 ? 'starting' : 'running';
  }

  status(): SteeringStatus {
    const b = this.binding;
    const base = { phase: this.phase(), timeline: [...this.timeline] };
    if (b === undefined || this.profile === undefined) return base;
    const t = Math.max(0, this.secondsSinceStart() ?? 0);
    return {
      ...base,
      model: b.model.type,
      target: round(new ProfileCurve(this.profile).valueAt(t)),
      ...(b.model.type === 'closed' ? { spawnRate: this.spawnRate } : {}),
      threads: b.threads,
      segment: b.segment,
    };
  }

  steer(request: SteeringRequest, source: SteeringSource): SteeringOutcome {
    const b = this.binding;
    const phase = this.phase();
    // A stop is taken while users set up too (a broken target may never let them finish), as SIGINT is.
    const stopping = 'stop' in request && phase === 'starting';
    if (b === undefined || (phase !== 'running' && !stopping)) {
      const why =
        phase === 'ended'
          ? 'the run has ended'
          : 'the run has not started yet (its users are setting up); try again in a moment';
      return { ok: false, reason: 'not-running', message: why };
    }
    const t = round(Math.max(0, this.secondsSinceStart() ?? 0));
    if ('stop' in request) {
      this.stopped = true;
      return this.record({ t, action: 'stop', source }, () => b.stop());
    }
    const model = b.model.type;
    if ('users' in request) {
      if (model !== 'closed')
        return invalid('this run uses the open model: set its rate ({"rate": n}), not users');
      const spawnRate = request.spawnRate ?? this.spawnRate;
      this.spawnRate = spawnRate;
      this.profile = steerProfile(this.profile as Profile, t, request.users);
      return this.record({ t, action: 'users', users: request.users, spawnRate, source }, () =>
        b.setUsers(t, request.users, spawnRate),
      );
    }
    if (model !== 'open')
      return invalid('this run uses the closed model: set its users ({"users": n}), not a rate');
    this.profile = steerProfile(this.profile as Profile, t, request.rate);
    return this.record({ t, action: 'rate', rate: request.rate, source }, () => b.setRate(t, request.rate));
  }

  private record(change: SteeringChange, apply: () => void): SteeringOutcome {
    this.timeline.push(change);
    apply();
    return { ok: true, change };
  }
}

const invalid = (message: string): SteeringOutcome => ({ ok: false, reason: 'invalid', message });
