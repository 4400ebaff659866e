import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { WindowGenerator } from '../model/generator-schema.js';

/**
 * How one thread of the generator fared during one window: a thread whose event loop is busy all
 * the time, or whose timers fire late, adds its own queueing to every latency it measures
 * (src/model/generator-saturation.ts judges it). Figures of the process (CPU, RSS) are sampled by each thread at its flush.
 */
export interface ThreadHealthReport {
  thread: number;
  /** Share of the window this thread's event loop spent running code (0..1; its CPU, at most one core). */
  busy: number;
  /** Event-loop delay: how late a 10 ms timer fired, beyond its 10 ms (ms). */
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** The whole process's CPU time over the window's wall time (1 = one core's worth). */
  cpu: number;
  /** The process's resident set size at the flush (MB). */
  rssMb: number;
}

/** monitorEventLoopDelay's sampling period; its histogram holds whole periods, this much included. */
const RESOLUTION_MS = 10;
const round = (v: number, digits: number): number => Number(v.toFixed(digits));

/**
 * Samples a thread's event-loop delay (perf_hooks.monitorEventLoopDelay), its busy share
 * (performance.eventLoopUtilization, per thread) and the process's CPU and RSS, once per window.
 * What it costs is measured by the `health` benchmark (bench/benchmarks/health.ts).
 */
export class ThreadHealthSampler {
  private readonly delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private elu: EventLoopUtilization = performance.eventLoopUtilization();
  private cpu = process.cpuUsage();
  private at = performance.now();

  constructor(private readonly thread: number) {}

  /** Start a fresh window now (the run's start: setup before it is not the run's). */
  start(): void {
    this.delay.enable();
    this.delay.reset();
    this.elu = performance.eventLoopUtilization();
    this.cpu = process.cpuUsage();
    this.at = performance.now();
  }

  /** The window since the last sample (or start), then a fresh one. */
  sample(): ThreadHealthReport {
    const now = performance.now();
    const elu = performance.eventLoopUtilization(this.elu);
    const cpu = process.cpuUsage(this.cpu);
    const wallUs = Math.max(1, (now - this.at) * 1000);
    // No timer fired in the whole window: the loop was held all of it (one long task), so every
    // response that came in it waited up to that long.
    const stuckMs = now - this.at;
    const late = (ns: number) => (this.delay.count === 0 ? stuckMs : Math.max(0, ns / 1e6 - RESOLUTION_MS));
    const report: ThreadHealthReport = {
      thread: this.thread,
      busy: round(Math.min(1, elu.utilization), 3),
      loopP50Ms: round(late(this.delay.percentile(50)), 2),
      loopP99Ms: round(late(this.delay.percentile(99)), 2),
      loopMaxMs: round(late(this.delay.max), 2),
      cpu: round((cpu.user + cpu.system) / wallUs, 3),
      rssMb: round(process.memoryUsage.rss() / 1048576, 1),
    };
    this.delay.reset();
    this.elu = performance.eventLoopUtilization();
    this.cpu = process.cpuUsage();
    this.at = now;
    return report;
  }

  stop(): void {
    this.delay.disable();
  }
}

/** The threads' health reports of one window as the summary keeps them: the process once, each thread. */
export function windowGeneratorOf(health: ThreadHealthReport[]): WindowGenerator | undefined {
  if (health.length === 0) return undefined;
  return {
    // Every thread samples the process's CPU and RSS at its own flush: the highest of them.
    cpu: Math.max(...health.map((h) => h.cpu)),
    rssMb: Math.max(...health.map((h) => h.rssMb)),
    threads: [...health]
      .sort((a, b) => a.thread - b.thread)
      .map(({ thread, busy, loopP50Ms, loopP99Ms, loopMaxMs }) => ({
        thread,
        busy,
        loopP50Ms,
        loopP99Ms,
        loopMaxMs,
      })),
  };
}
