// The lean HTTP client's busy polling (loadgen/README.md, "Benchmark": why it polls for 50 µs).

/**
 * Adaptive busy polling: after a read, keep the event loop polling (setImmediate, so libuv's
 * poll does not block) for a short window in which more responses are likely. Under load the
 * thread never sleeps between responses, so it is not woken late; idle, it stops within the window.
 */
export class BusyPoll {
  private last = 0;
  private active = false;
  constructor(private readonly windowMs: number) {}
  /** A read happened now; returns now (performance.now()). */
  touch(): number {
    this.last = performance.now();
    if (!this.active && this.windowMs > 0) {
      this.active = true;
      setImmediate(this.tick);
    }
    return this.last;
  }
  private readonly tick = (): void => {
    if (performance.now() - this.last < this.windowMs) setImmediate(this.tick);
    else this.active = false;
  };
}
