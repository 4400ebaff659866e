import type { UserCountSchedule } from './profile.js';
import { localCount, type PartShare } from './segment.js';
import type { VirtualUser } from './virtual-user.js';

/**
 * Closed model (Locust `-u -r`, k6 ramping-vus): the part keeps its share of the global user
 * count running; each user loops over iterations back to back (plus think time).
 */
export class ClosedModel {
  private readonly running: VirtualUser[] = [];
  private readonly loops = new Set<Promise<void>>();
  private spawned = 0;

  constructor(
    private readonly schedule: UserCountSchedule,
    private readonly share: PartShare,
    private readonly createUser: (localIndex: number) => VirtualUser,
  ) {}

  get activeUsers(): number {
    return this.running.length;
  }

  /** From `atSec` on, `users` (global), reached at `spawnRate` users/s; the next adjust() applies it. */
  steer(atSec: number, users: number, spawnRate: number): void {
    this.schedule.steer(atSec, users, spawnRate);
  }

  /** Running users whose setup has completed: the ones playing the loop. */
  get loopUsers(): number {
    let n = 0;
    for (const vu of this.running) if (vu.inLoop) n++;
    return n;
  }

  /** Start or stop users to match the schedule at `t` seconds since the start. */
  adjust(t: number): void {
    const want = localCount(this.schedule.countAt(t), this.share);
    while (this.running.length < want) this.startUser();
    while (this.running.length > want) this.running.pop()?.stop();
  }

  private startUser(): void {
    const vu = this.createUser(this.spawned++);
    this.running.push(vu);
    const loop = (async () => {
      if (await vu.setup()) {
        while (vu.active) {
          const ok = await vu.iterate();
          if (!ok) await vu.pause(0.05);
        }
      }
      // Also after a setup cut short: it closes the sockets the setup opened.
      await vu.teardown();
    })();
    this.loops.add(loop);
    void loop.finally(() => {
      this.loops.delete(loop);
      const i = this.running.indexOf(vu);
      if (i >= 0) this.running.splice(i, 1);
    });
  }

  stopAll(): void {
    for (const vu of this.running.splice(0)) vu.stop();
  }

  /** Resolves when every user loop has returned. */
  async settled(): Promise<void> {
    await Promise.all([...this.loops]);
  }
}
