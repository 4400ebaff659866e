import { defineScenario, type VuSocket } from '@game-load-lab/loadgen';

/**
 * The sockets bench: 10,000 players each holding one socket, mostly idle: a ping every 3-5 s
 * (about 2,500 messages per second each way over all of them), for 40 s after a 10 s ramp.
 */
export default defineScenario<{ socket: VuSocket | undefined; pings: number }, unknown>({
  options: {
    name: 'ws-10k',
    model: { type: 'closed', users: 10_000, spawnRate: 1000 },
    duration: '50s',
    thresholds: ['ccu>=10000'],
  },
  state: () => ({ socket: undefined, pings: 0 }),
  async setup(vu) {
    vu.state.socket = await vu.ws.connect('/ws');
    await vu.state.socket.next('welcome');
  },
  async iteration(vu) {
    await vu.think(3, 5);
    const socket = vu.state.socket;
    if (socket === undefined) return;
    await socket.request({ type: 'ping', id: ++vu.state.pings }, 'pong');
  },
});
