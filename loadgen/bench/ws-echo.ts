import { defineScenario, jsonCodec, msgpackCodec, type VuSocket } from '@game-load-lab/loadgen';

/**
 * The codec bench: 50 players, each with one socket, sending `echo` and waiting for its reply,
 * with no think time. `ECHO_CODEC=msgpack` sends MessagePack binary frames, else JSON text
 * frames of the same message (read when the script loads, in every thread).
 */
const codec = process.env.ECHO_CODEC === 'msgpack' ? msgpackCodec : jsonCodec;
const payload = { x: 12.5, y: -3.25, heading: 270, name: 'player-42', inventory: [3, 1, 4, 1, 5, 9] };

export default defineScenario<{ socket: VuSocket | undefined; id: number }, unknown>({
  options: {
    name: `ws-echo-${codec.name}`,
    model: { type: 'closed', users: 50, spawnRate: 1000 },
    duration: '10s',
  },
  state: () => ({ socket: undefined, id: 0 }),
  async setup(vu) {
    vu.state.socket = await vu.ws.connect('/ws', { codec });
  },
  async iteration(vu) {
    await vu.state.socket?.request({ type: 'echo', id: ++vu.state.id, payload }, 'echo_reply');
  },
});
