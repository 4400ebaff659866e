import type { WindowLatency } from '../metrics/run-aggregator.js';
import type { TimeWindow } from '../summary/summary-schema.js';

export interface LiveOutput {
  write(text: string): void;
  isTTY: boolean;
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

function windowLine(w: TimeWindow, all: WindowLatency): string {
  const errPct = w.requests === 0 ? 0 : (100 * w.errors) / w.requests;
  return `users ${w.activeUsers}  req/s ${w.requests}  p50 ${fmt(all.p50)}  p95 ${fmt(all.p95)}  p99 ${fmt(all.p99)} ms  errors ${errPct.toFixed(2)}%`;
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

  /** `all`: the window's exact percentiles over every endpoint together. */
  update(w: TimeWindow, all: WindowLatency): void {
    const elapsed = Math.min(this.durationSec, w.t + this.windowSec);
    if (this.out.isTTY) {
      const width = 24;
      const done = Math.round((elapsed / this.durationSec) * width);
      const bar = `${'█'.repeat(done)}${'░'.repeat(width - done)}`;
      this.out.write(`\r\x1b[K${bar} ${elapsed.toFixed(0)}/${this.durationSec}s  ${windowLine(w, all)}`);
    } else if (elapsed - this.lastPlain >= this.plainEverySec || elapsed >= this.durationSec) {
      this.lastPlain = elapsed;
      this.out.write(`[${elapsed.toFixed(0)}s/${this.durationSec}s] ${windowLine(w, all)}\n`);
    }
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
