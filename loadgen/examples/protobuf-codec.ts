import { defineScenario, type VuSocket, type WsCodec, type WsMessage } from '@game-load-lab/loadgen';
import protobuf from 'protobufjs';

/**
 * Any protocol is a codec of two functions. This one speaks Protocol Buffers with protobufjs:
 * every frame is one binary `Envelope`, whose `type`, `id` and `ts` loadgen reads as it reads a
 * JSON message's. A `.proto` file works the same way (`protobuf.loadSync(file)`); the schema is
 * inline here so the script stands alone. The tests run it against a `ws` server that speaks
 * this Envelope (test/helpers/frame-server.ts with a protobuf codec).
 */

const { root } = protobuf.parse(`
  syntax = "proto3";
  message Envelope {
    string type = 1;
    uint32 id = 2;
    double ts = 3;
    bytes payload = 4;
  }
`);
const Envelope = root.lookupType('Envelope');

interface Envelope {
  type: string;
  id?: number;
  ts?: number;
  payload?: Uint8Array;
}

export const protobufCodec: WsCodec<Envelope, WsMessage & Envelope> = {
  name: 'protobuf',
  encode: (message) => Envelope.encode(Envelope.fromObject(message)).finish(),
  decode: (frame) => {
    if (typeof frame === 'string') throw new TypeError('a text frame is no Envelope');
    return Envelope.toObject(Envelope.decode(frame), { defaults: true }) as WsMessage & Envelope;
  },
};

interface Player {
  socket: VuSocket<Envelope, WsMessage & Envelope> | undefined;
  sent: number;
}

export default defineScenario<Player, unknown>({
  options: {
    name: 'protobuf-codec',
    model: { type: 'closed', users: 2 },
    duration: '10s',
    thresholds: ['ws echo:p95<250'],
  },
  state: () => ({ socket: undefined, sent: 0 }),
  async setup(vu) {
    vu.state.socket = await vu.ws.connect('/ws', { codec: protobufCodec });
  },
  async iteration(vu) {
    const socket = vu.state.socket;
    if (socket === undefined) return;
    const id = ++vu.state.sent;
    const reply = await socket.request(
      { type: 'echo', id, payload: new Uint8Array([id & 255]) },
      'echo_reply',
    );
    vu.check('echo carries its payload back', reply.id === id && reply.payload?.[0] === (id & 255));
    await vu.think(0.05, 0.1);
  },
});
