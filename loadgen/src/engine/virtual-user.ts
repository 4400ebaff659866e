import type { RecordOptions, ScenarioDefinition, TimeOptions, Vu, VuMetrics } from '../api/scenario-api.js';
import type { WindowRecorder } from '../metrics/window-recorder.js';
import { describeError } from './describe-error.js';
import { UserStoppedError, type VuHttpContext, VuHttpSession } from './vu-http.js';
import { alreadyCounted, type VuMeasurements } from './vu-measurements.js';
import { VuSocketIoSession } from './vu-socketio.js';
import { type VuWsContext, VuWsSession } from './vu-ws.js';

/** A scenario as the engine runs it: `tasks` already folded into `iteration`. */
/** What the engine runs of a scenario: its user functions (the options were read before the run). */
export type RunnableScenario = Pick<ScenarioDefinition<unknown, unknown>, 'state' | 'setup' | 'teardown'> & {
  iteration(vu: Vu<unknown, unknown>): Promise<void> | void;
};

/** What every virtual user of one part shares. */
export interface VuContext extends VuHttpContext, VuWsContext {
  recorder: WindowRecorder;
  scenario: RunnableScenario;
  /** vu.time, vu.record and vu.metrics, shared by the part's users. */
  measure: VuMeasurements;
}

/** Where a user of a part stands in the whole run. */
interface VuIdentity {
  /** Unique in the run (the global user index of the part's share). */
  id: number;
  /** Unique across runs, segments and machines. */
  tag: string;
  /** This part's connection slot for the user (closed model: one connection per user). */
  slot: number;
  data: unknown;
}

/**
 * One virtual user: its HTTP session, its state, and the scenario's setup, iteration and
 * teardown run for it. Whatever the scenario's code throws fails that phase and is counted as a
 * script_error; it never reaches the engine.
 */
export class VirtualUser implements Vu<unknown, unknown> {
  readonly id: number;
  readonly tag: string;
  readonly data: unknown;
  readonly target: string;
  readonly http: VuHttpSession;
  readonly ws: VuWsSession;
  readonly socketio: VuSocketIoSession;
  state: unknown;
  iteration = 0;
  private isActive = true;
  private ready = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: VuContext,
    who: VuIdentity,
  ) {
    this.id = who.id;
    this.tag = who.tag;
    this.data = who.data;
    this.target = ctx.target;
    this.http = new VuHttpSession(ctx, who.slot, () => this.isActive);
    this.ws = new VuWsSession(ctx, this.http, () => this.isActive);
    this.socketio = new VuSocketIoSession(ctx, this.http, this.ws);
    this.state = ctx.scenario.state?.({ id: who.id, tag: who.tag, data: who.data }) ?? {};
  }

  get active(): boolean {
    return this.isActive;
  }

  /** Its setup has completed (or it has none): the user is in its loop. */
  get inLoop(): boolean {
    return this.ready;
  }

  think(min: number, max?: number): Promise<void> {
    return this.sleep(max === undefined || max <= min ? min : min + Math.random() * (max - min));
  }

  check(label: string, condition: boolean): boolean {
    const passed = Boolean(condition);
    this.ctx.recorder.recordCheck(label, passed);
    return passed;
  }

  time<T>(name: string, fn: () => T | Promise<T>, options?: TimeOptions): Promise<T> {
    // As a request: a stopped user's iteration starts nothing more (its setup and teardown may).
    if (this.http.phase === 'iteration' && !this.isActive) return Promise.reject(new UserStoppedError());
    return this.ctx.measure.time(name, fn, options, this.http.phase === 'setup');
  }

  record(name: string, value: number | null, options?: RecordOptions): void {
    this.ctx.measure.record(name, value, options, this.http.phase === 'setup');
  }

  get metrics(): VuMetrics {
    return this.ctx.measure.metrics;
  }

  /** Pause (closed model backs off after a failed iteration, so a dead target is not spun on). */
  pause(seconds: number): Promise<void> {
    return this.sleep(seconds);
  }

  /** Stop after the request in flight; cut a think time or a wait for a pushed message short. */
  stop(): void {
    this.isActive = false;
    this.wake?.();
    this.ws.interrupt();
  }

  private sleep(seconds: number): Promise<void> {
    if (!(seconds > 0) || !this.isActive) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * The scenario's setup, tried again every second until it completes or the user is stopped
   * (SIGINT, the end of the run). Resolves true once the user is ready for its loop.
   * `onFailure` hears of each failed attempt (the open model starts its run after the first).
   */
  async setup(onFailure?: () => void): Promise<boolean> {
    const setup = this.ctx.scenario.setup;
    if (this.ready || setup === undefined) {
      this.ready = true;
      return true;
    }
    this.http.phase = 'setup';
    while (this.isActive && !this.ready) {
      this.ctx.recorder.recordSetupAttempt();
      try {
        await setup(this);
        this.ready = true;
      } catch (error) {
        this.failed('setup', error);
        onFailure?.();
        await this.sleep(1);
      }
    }
    this.http.phase = 'iteration';
    return this.ready;
  }

  /**
   * One iteration. `intendedStart` (performance.now() ms) is when the open model scheduled it: the
   * first request counts from there. Resolves false when the iteration failed.
   */
  async iterate(intendedStart?: number): Promise<boolean> {
    this.ctx.recorder.recordIteration();
    this.http.startAt = intendedStart;
    try {
      await this.ctx.scenario.iteration(this);
      return true;
    } catch (error) {
      this.failed('iteration', error);
      return false;
    } finally {
      this.http.startAt = undefined;
      this.iteration++;
    }
  }

  /**
   * The scenario's teardown, for a user whose setup completed; then the sockets the user still
   * has are closed (whether or not its setup completed), so a stopped user holds none.
   */
  async teardown(): Promise<void> {
    const teardown = this.ctx.scenario.teardown;
    if (this.ready && teardown !== undefined && !this.ctx.isClosing()) {
      this.http.phase = 'teardown';
      this.ctx.recorder.recordTeardown();
      try {
        await teardown(this);
      } catch (error) {
        this.failed('teardown', error);
      }
    }
    await this.ws.closeAll();
  }

  private failed(phase: string, error: unknown): void {
    // A request without response or a measurement's failure is counted already; a stopped user
    // or a closing run is no failure.
    if (alreadyCounted(error) || error instanceof UserStoppedError) return;
    if (this.ctx.isClosing()) return;
    this.ctx.recorder.recordScriptError(phase, describeError(error));
  }
}
