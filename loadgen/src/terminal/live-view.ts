import type { RunSoFar, WindowLatency } from '../metrics/run-aggregator.js';
import { windowSaturated } from '../model/generator-saturation.js';
import type { WindowGenerator } from '../model/generator-schema.js';
import type { TimeWindow } from '../model/summary-schema.js';

interface LiveOutput {
  write(text: string): void;
  isTTY: boolean;
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const pct = (errors: number, requests: number): string =>
  `${(requests === 0 ? 0 : (100 * errors) / requests).toFixed(2)}%`;

/**
 * The generator's own health in the window: its busiest thread and the worst event-loop delay p99,
 * marked `!` when the window passes the saturation rule (loadgen/README.md "Generator health").
 */
function generatorPart(g: WindowGenerator | undefined): string {
  if (g === undefined) return '';
  const busy = Math.max(0, ...g.threads.map((t) => t.busy));
  const loop = Math.max(0, ...g.threads.map((t) => t.loopP99Ms));
  return ` | gen busy ${Math.round(busy * 100)}%  loop p99 ${fmt(loop)} ms${windowSaturated(g) ? ' !' : ''}`;
}

/**
 * The run so far beside the latest window. The window alone hides what happened between two
 * printed lines (a plain line comes every 5 s, a 1 s server freeze lasts one window); the run so
 * far keeps it, in its p99 and above all in its max.
 */
function statusLine(w: TimeWindow, latest: WindowLatency, run: RunSoFar, windowSec: number): string {
  const rps = Math.round(w.requests / windowSec);
  // Sockets, once a user has tried one: open now and at most, and messages per second both ways.
  const ws = w.ws;
  const sockets =
    ws === undefined ? '' : `  sockets ${ws.connected} (peak ${run.peakConnected ?? ws.connectedPeak})`;
  const msgs = ws === undefined ? '' : `  ${Math.round((ws.sent + ws.received) / windowSec)} msg/s`;
  // What the script measured itself (vu.time, vu.record) and what its code threw, once there is any.
  const custom =
    run.custom === undefined
      ? ''
      : ` | measured ${run.custom.count} (errors ${pct(run.custom.errors, run.custom.count)})`;
  const thrown = (run.scriptErrors ?? 0) === 0 ? '' : `  script errors ${run.scriptErrors}`;
  // A game driven only through its SDK makes no HTTP request: its line is what it measured.
  const http =
    run.requests === 0 && run.custom !== undefined
      ? ''
      : ` | run ${run.requests} req  p50 ${fmt(run.p50)}  p95 ${fmt(run.p95)}  p99 ${fmt(run.p99)}  max ${fmt(run.max)} ms  errors ${pct(run.errors, run.requests)}` +
        ` | last ${windowSec}s ${rps} req/s${msgs}  p50 ${fmt(latest.p50)}  p95 ${fmt(latest.p95)}  p99 ${fmt(latest.p99)} ms  errors ${pct(w.errors, w.requests)}`;
  return `users ${w.activeUsers}${sockets}${http}${custom}${thrown}${generatorPart(w.generator)}`;
}

/**
 * Progress while a run goes: on a TTY one line redrawn every window with a progress bar; in
 * logs (not a TTY) a plain line every `plainEverySec` seconds.
 */
export class LiveView {
  private lastPlain = -Infinity;

  constructor(
    private readonly out: LiveOutput,
    private readonly durationSec: number,
    private readonly windowSec: number,
    private readonly plainEverySec = 5,
  ) {}

  /** `latest`: the window's percentiles over every endpoint together; `run`: from the start to it. */
  update(w: TimeWindow, latest: WindowLatency, run: RunSoFar): void {
    const elapsed = Math.min(this.durationSec, w.t + this.windowSec);
    const line = statusLine(w, latest, run, this.windowSec);
    if (this.out.isTTY) {
      const width = 16;
      const done = Math.round((elapsed / this.durationSec) * width);
      const bar = `${'█'.repeat(done)}${'░'.repeat(width - done)}`;
      this.out.write(`\r\x1b[K${bar} ${elapsed.toFixed(0)}/${this.durationSec}s  ${line}`);
    } else if (elapsed - this.lastPlain >= this.plainEverySec || elapsed >= this.durationSec) {
      this.lastPlain = elapsed;
      this.out.write(`[${elapsed.toFixed(0)}s/${this.durationSec}s] ${line}\n`);
    }
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
