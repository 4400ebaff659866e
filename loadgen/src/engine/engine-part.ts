import { setTimeout as delay } from 'node:timers/promises';
import type WebSocket from 'ws';
import { ThreadHealthSampler } from '../metrics/thread-health.js';
import { WindowRecorder, type WindowReport } from '../metrics/window-recorder.js';
import { ClosedModel } from './closed-model.js';
import type { EngineConfig } from './engine-config.js';
import { OpenModel } from './open-model.js';
import { OriginClients } from './origin-clients.js';
import { UserCountSchedule } from './profile.js';
import { localCount, type PartShare } from './segment.js';
import { type RunnableScenario, VirtualUser, type VuContext } from './virtual-user.js';
import { VuMeasurements } from './vu-measurements.js';

/** What a part needs besides the run config; plain data, so it can cross into a worker. */
export interface PartSpec {
  config: EngineConfig;
  share: PartShare;
  thread: number;
  /** Unique per run and segment, e.g. lg_3f9a2c1b_0; users' tags append _<thread>_<n>. */
  tagPrefix: string;
  /** This part's rows of the scenario's data file (no other part has them), if it has one. */
  rows?: readonly unknown[];
}

/**
 * One share of the load, in this thread: its HTTP pool, its users, its recorder. It posts one
 * WindowReport per window (aligned on the common start time) and a final partial one.
 */
export class EnginePart {
  private readonly recorder: WindowRecorder;
  private readonly clients: OriginClients;
  /** Every socket of the part's users, connecting or open: the run's end closes what is left. */
  private readonly sockets = new Set<WebSocket>();
  private readonly closed: ClosedModel | undefined;
  private readonly open: OpenModel | undefined;
  private readonly health: ThreadHealthSampler | undefined;
  private closing = false;
  private stopRequested = false;
  private started = false;
  private wakeStop: (() => void) | undefined;

  constructor(
    private readonly spec: PartSpec,
    scenario: RunnableScenario,
    private readonly emit: (report: WindowReport) => void,
  ) {
    const { config, share, thread, tagPrefix, rows } = spec;
    this.recorder = new WindowRecorder(config.metrics);
    const model = config.model;
    const users =
      model.type === 'closed' ? localCount(model.users, share) : Math.max(1, localCount(model.maxVUs, share));
    this.clients = new OriginClients(config.httpClient, config.target, {
      connections: Math.max(1, config.connections ?? users),
      timeoutMs: config.timeoutSec * 1000,
      // Closed model: one connection per user, as a browser or Locust user has its own. Above
      // 1,000 users they share a pool of connections instead, to bound memory (an earlier session
      // measured undici at 5,000 users: 288 MB peak RSS with a Client per user, 166 MB pooled).
      sticky: model.type === 'closed' && users <= 1000,
      tls: config.http.tls,
    });
    const isClosing = () => this.closing;
    const ctx: VuContext = {
      clients: this.clients,
      http: config.http,
      recorder: this.recorder,
      measure: new VuMeasurements(this.recorder, isClosing),
      scenario,
      isClosing,
      target: config.target,
      timeoutMs: config.timeoutSec * 1000,
      sockets: this.sockets,
    };
    // Local user n is global user offset + n * stride: ids are unique across threads and segments.
    const createUser = (n: number) =>
      new VirtualUser(ctx, {
        id: share.offset + n * share.stride,
        tag: `${tagPrefix}_${thread}_${n}`,
        slot: n,
        data: rows === undefined || rows.length === 0 ? undefined : rows[n % rows.length],
      });
    if (model.type === 'closed') {
      this.closed = new ClosedModel(
        new UserCountSchedule(config.profile, model.spawnRate),
        share,
        createUser,
      );
    } else {
      this.open = new OpenModel({
        profile: config.profile,
        share,
        preAllocatedVUs: Math.max(1, localCount(model.preAllocatedVUs, share)),
        maxVUs: Math.max(1, localCount(model.maxVUs, share)),
        durationSec: config.durationSec,
        recorder: this.recorder,
        createUser,
      });
    }
    if (config.sampleHealth !== false) this.health = new ThreadHealthSampler(thread);
  }

  /**
   * Steering (closed model): from `atSec` seconds after the start on, `users` users of the whole
   * run (this part runs its share), started at `spawnRate` per second; what is left of the profile
   * is replaced by that constant.
   */
  setUsers(atSec: number, users: number, spawnRate: number): void {
    this.closed?.steer(atSec, users, spawnRate);
  }

  /** Steering (open model): from `atSec` on, `rate` iterations per second of the whole run. */
  setRate(atSec: number, rate: number): void {
    this.open?.steer(atSec, rate);
  }

  get activeUsers(): number {
    return this.closed?.activeUsers ?? this.open?.activeUsers ?? 0;
  }

  /** Active users whose setup has completed. */
  get loopUsers(): number {
    return this.closed?.loopUsers ?? this.open?.loopUsers ?? 0;
  }

  async prepare(): Promise<void> {
    await this.open?.prepare();
  }

  /** Stop early (SIGINT): users stop after their request in flight. */
  stop(): void {
    this.stopRequested = true;
    this.wakeStop?.();
    // Before run(), users may be stuck in setup (prepare): stop them now, or prepare never ends.
    if (!this.started) this.open?.stopAll();
  }

  /** Run from the common start (epoch ms) to the end of the duration or stop(). */
  async run(startEpochMs: number): Promise<void> {
    const { durationSec, windowSec, gracefulStopSec } = this.spec.config;
    const startPerf = startEpochMs - performance.timeOrigin;
    const endPerf = startPerf + durationSec * 1000;
    const windowMs = windowSec * 1000;
    this.started = true;
    const wait = startPerf - performance.now();
    // A stop before the start (Ctrl-C while waiting for --start-at) ends the wait at once.
    if (wait > 0 && !this.stopRequested) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wakeStop = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    this.open?.start(startPerf);
    this.health?.start();

    let window = 0;
    const tick = 100;
    // The last window is flushed after the loop, with the responses of the grace period.
    const lastIndex = Math.max(0, Math.ceil((durationSec * 1000) / windowMs) - 1);
    for (;;) {
      const now = performance.now();
      // Flush every boundary passed before looking at the end: a wake-up late across a boundary
      // and the end (a blocked event loop) would otherwise fold the unflushed window into the last.
      while (window < lastIndex && now >= startPerf + (window + 1) * windowMs) {
        this.emit(this.flush(window, this.activeUsers, this.loopUsers));
        window++;
      }
      if (this.stopRequested || now >= endPerf) break;
      this.closed?.adjust((now - startPerf) / 1000);
      const nextBoundary = startPerf + (window + 1) * windowMs;
      const sleep = Math.max(1, Math.min(tick, nextBoundary - now, endPerf - now));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, sleep);
        this.wakeStop = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }

    // Duration over (or interrupted): no new work; in-flight requests may finish for a while.
    const usersAtEnd = this.activeUsers;
    const loopUsersAtEnd = this.loopUsers;
    const socketsAtEnd = this.recorder.sockets.connected;
    // Both models: users stop after the request in flight (an open-model game iteration with think
    // time lasts seconds; finishing them all would pile their requests into the last window).
    this.open?.stopAll();
    this.closed?.stopAll();
    const settled = Promise.all([this.closed?.settled(), this.open?.settled()]);
    const graceMs = this.stopRequested ? 1000 : gracefulStopSec * 1000;
    const grace = new AbortController();
    await Promise.race([settled, delay(graceMs, undefined, { signal: grace.signal }).catch(() => undefined)]);
    grace.abort();
    this.closing = true;
    this.open?.stopAll();
    // Sockets a user has not closed by now (its teardown still running, a handshake in flight)
    // would keep the process alive: cut them.
    for (const ws of this.sockets) ws.terminate();
    await this.clients.destroy().catch(() => undefined);
    await settled;
    // Responses that finished during the grace period belong to the last window of the run.
    this.emit(this.flush(Math.min(window, lastIndex), usersAtEnd, loopUsersAtEnd, socketsAtEnd));
    this.health?.stop();
  }

  /** The recorder's window, with the users in their loop and this thread's health over it. */
  private flush(
    index: number,
    activeUsers: number,
    loopUsers: number,
    connectedAtEnd?: number,
  ): WindowReport {
    const report: WindowReport = { ...this.recorder.flush(index, activeUsers, connectedAtEnd), loopUsers };
    if (this.health !== undefined) report.health = this.health.sample();
    return report;
  }
}
