import { defineScenario, msgpackCodec, type VuSocket } from '@game-load-lab/loadgen';

/**
 * A binary protocol: MessagePack in binary frames, as many game servers speak. Each player holds
 * one socket with the msgpack codec and sends `echo` requests with a correlation id; each reply
 * (`echo_reply`, same id) is timed as `ws echo`. Meanwhile the server pushes state patches
 * (`patch`, with its time in `ts`): a background handler applies them while the player waits or
 * thinks, each patch's delay is timed as `ws patch`, and none is ever taken for a reply. Handled
 * patches are not kept for a later `next()`, so a small buffer is enough for the rest. The tests
 * run it against a `ws` server that speaks MessagePack (test/helpers/frame-server.ts).
 */

interface Player {
  socket: VuSocket | undefined;
  sent: number;
  /** The latest state patch applied. */
  seq: number;
}

export default defineScenario<Player, unknown>({
  options: {
    name: 'msgpack-echo',
    model: { type: 'closed', users: 4 },
    duration: '10s',
    thresholds: ['ws echo:p95<250', 'ws echo:errors<1%'],
  },
  state: () => ({ socket: undefined, sent: 0, seq: 0 }),
  async setup(vu) {
    const socket = await vu.ws.connect('/ws', { codec: msgpackCodec, bufferSize: 5 });
    socket.on<{ seq: number }>('patch', (patch) => {
      vu.state.seq = Math.max(vu.state.seq, patch.seq);
    });
    vu.state.socket = socket;
  },
  async iteration(vu) {
    const socket = vu.state.socket;
    if (socket === undefined) return;
    const id = ++vu.state.sent;
    const payload = { player: vu.id, bytes: new Uint8Array([id & 255, 0, 255]) };
    const reply = await socket.request<{ id: number; payload: typeof payload }>(
      { type: 'echo', id, payload },
      'echo_reply',
    );
    vu.check('echo carries its payload back', reply.id === id && reply.payload.bytes[0] === (id & 255));
    await vu.think(0.05, 0.1);
  },
});
