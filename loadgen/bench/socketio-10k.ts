import { defineScenario, type VuSocketIo } from '@game-load-lab/loadgen';

/**
 * 10,000 idle Socket.IO players, spawned at 1,000 a second, each holding one connection for the
 * whole run: they only think, while loadgen answers the server's Engine.IO pings.
 */
export default defineScenario<{ socket: VuSocketIo | undefined }, unknown>({
  options: {
    name: 'socketio-10k',
    model: { type: 'closed', users: 10_000, spawnRate: 1000 },
    duration: '50s',
    thresholds: ['ccu>=10000', 'sio connect:errors<1%'],
  },
  state: () => ({ socket: undefined }),
  async setup(vu) {
    vu.state.socket = await vu.socketio.connect();
  },
  async iteration(vu) {
    await vu.think(60);
  },
});
