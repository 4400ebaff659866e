import type { WindowRecorder } from '../metrics/window-recorder.js';
import { type Profile, ProfileCurve, steerProfile } from './profile.js';
import type { PartShare } from './segment.js';
import type { VirtualUser } from './virtual-user.js';

interface OpenModelOptions {
  /** The arrival rate over time (iterations per second of the whole run). */
  profile: Profile;
  share: PartShare;
  preAllocatedVUs: number;
  maxVUs: number;
  durationSec: number;
  recorder: WindowRecorder;
  createUser: (localIndex: number) => VirtualUser;
}

/**
 * Open model (k6 ramping-arrival-rate, wrk2 -R): iteration k of the whole run starts at the
 * time the rate curve's integral reaches k, whatever the responses do. An iteration finding no
 * free user while maxVUs are busy is dropped and counted.
 */
export class OpenModel {
  private readonly free: VirtualUser[] = [];
  private readonly all: VirtualUser[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private busy = 0;
  /** Busy users created on demand that are still in their setup. */
  private settingUp = 0;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private startPerf = 0;
  private started = false;
  private profile: Profile;
  private curve: ProfileCurve;

  constructor(private readonly o: OpenModelOptions) {
    this.profile = o.profile;
    this.curve = new ProfileCurve(o.profile);
  }

  get activeUsers(): number {
    return this.busy;
  }

  /** Busy users past their setup: in an iteration. */
  get loopUsers(): number {
    return this.busy - this.settingUp;
  }

  /**
   * Create the pre-allocated users and run their setup before the clock starts. A user whose setup
   * fails goes on trying it during the run (busy, in setup) and takes arrivals once it completes:
   * a setup that never succeeds must not hold the start, and so the end of the run, back forever.
   */
  async prepare(): Promise<void> {
    const users = Array.from({ length: this.o.preAllocatedVUs }, () => this.newUser());
    for (let i = 0; i < users.length; i += 50) {
      await Promise.all(users.slice(i, i + 50).map((vu) => this.prepareUser(vu)));
    }
  }

  /** Resolves when the user's setup has completed or failed once. */
  private async prepareUser(vu: VirtualUser): Promise<void> {
    let failedOnce = () => {};
    const failed = new Promise<'failed'>((resolve) => {
      failedOnce = () => resolve('failed');
    });
    const setup = vu.setup(() => failedOnce());
    const first = await Promise.race([setup, failed]);
    if (first === 'failed') this.occupy(vu, () => this.settingUpWhile(setup).then(() => undefined));
    else if (first) this.free.push(vu);
  }

  private newUser(): VirtualUser {
    const vu = this.o.createUser(this.all.length);
    this.all.push(vu);
    return vu;
  }

  start(startPerf: number): void {
    this.startPerf = startPerf;
    this.started = true;
    this.pump();
  }

  /** The local j-th arrival is the global arrival offset + j * stride. */
  private dueAt(j: number): number | undefined {
    const t = this.curve.timeOfArea(this.o.share.offset + j * this.o.share.stride);
    return t === undefined || t >= this.o.durationSec ? undefined : this.startPerf + t * 1000;
  }

  private pump(): void {
    if (this.stopped) return;
    const now = performance.now();
    let due = this.dueAt(this.next);
    while (due !== undefined && due <= now) {
      this.dispatch(due);
      this.next++;
      due = this.dueAt(this.next);
    }
    if (due !== undefined) this.timer = setTimeout(() => this.pump(), Math.max(0, due - performance.now()));
  }

  private dispatch(intendedStart: number): void {
    let vu = this.free.pop();
    let needsSetup = false;
    if (vu === undefined) {
      if (this.all.length >= this.o.maxVUs) {
        this.o.recorder.recordDropped();
        return;
      }
      vu = this.newUser();
      needsSetup = true;
    }
    const user = vu;
    this.occupy(user, async () => {
      // A user created on demand sets up first, measured as setup; its iteration then counts from
      // the later of its scheduled start and the end of its setup.
      if (needsSetup && !(await this.settingUpWhile(user.setup()))) return;
      await user.iterate(needsSetup ? Math.max(intendedStart, performance.now()) : intendedStart);
    });
  }

  /** The user is busy while `work` runs, then free again unless it was stopped. */
  private occupy(user: VirtualUser, work: () => Promise<void>): void {
    this.busy++;
    const run = work();
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      this.busy--;
      if (user.active) this.free.push(user);
    });
  }

  /** A busy user counts as setting up until its setup ends. */
  private settingUpWhile(setup: Promise<boolean>): Promise<boolean> {
    this.settingUp++;
    return setup.finally(() => this.settingUp--);
  }

  /**
   * From `atSec` on, `rate` iterations per second (of the whole run). The arrivals up to `atSec`
   * are the same as before, so the numbering every thread and segment shares stays whole; any
   * arrival the new rate puts before now goes at once.
   */
  steer(atSec: number, rate: number): void {
    this.profile = steerProfile(this.profile, atSec, rate);
    this.curve = new ProfileCurve(this.profile);
    if (this.stopped || !this.started) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.pump();
  }

  /** No more arrivals; users finish the iteration they are in. */
  stopArrivals(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  stopAll(): void {
    this.stopArrivals();
    for (const vu of this.all) vu.stop();
  }

  /** Every iteration in flight has ended, then every user's teardown. */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
    await Promise.all(this.all.map((vu) => vu.teardown()));
  }
}
