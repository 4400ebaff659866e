import { defineScenario, type VuSocketIo } from '@game-load-lab/loadgen';

/** The Socket.IO bench: 50 players, each emitting `echo` and waiting for its ack, no think time. */
export default defineScenario<{ socket: VuSocketIo | undefined }, unknown>({
  options: { name: 'socketio-ack', model: { type: 'closed', users: 50, spawnRate: 1000 }, duration: '60s' },
  state: () => ({ socket: undefined }),
  async setup(vu) {
    vu.state.socket = await vu.socketio.connect();
  },
  async iteration(vu) {
    await vu.state.socket?.emitWithAck('echo', 'hello');
  },
});
