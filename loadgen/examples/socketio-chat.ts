import { defineScenario, type VuSocketIo } from '@game-load-lab/loadgen';

/**
 * A Socket.IO 4 chat: each player connects to the `/chat` namespace with a token in `auth`,
 * joins a room (an ack: `sio join`), then talks and idles, as people in a chat do: each message
 * is an emit with an ack, timed as `sio say`; what the others say arrives as `said` with the
 * server's time in `ts`, timed as push delay (`sio said`). While a player idles, loadgen answers
 * the server's Engine.IO pings, and a handler answers the server's own `quiz` (its return value
 * is the ack). The tests run it against a real `socket.io` server
 * (test/helpers/socketio-server.ts) and hold every count against the server's.
 */

interface Player {
  chat: VuSocketIo | undefined;
  said: number;
}

export default defineScenario<Player, unknown>({
  options: {
    name: 'socketio-chat',
    model: { type: 'closed', users: 6 },
    duration: '10s',
    thresholds: ['sio say:p95<250', 'sio say:errors<1%', 'sio connect:errors<1%'],
  },
  state: () => ({ chat: undefined, said: 0 }),
  async setup(vu) {
    const chat = await vu.socketio.connect('/chat', { auth: { token: 'secret' } });
    chat.on('quiz', (a: number, b: number) => a + b);
    const joined = await chat.emitWithAck<{ joined: string }>('join', `room-${vu.id % 2}`);
    vu.check('joined the room', joined.joined === `room-${vu.id % 2}`);
    vu.state.chat = chat;
  },
  async iteration(vu) {
    const chat = vu.state.chat;
    if (chat === undefined) return;
    const reply = await chat.emitWithAck<{ ok: boolean }>('say', `message ${++vu.state.said} from ${vu.tag}`);
    vu.check('say acknowledged', reply.ok);
    await vu.think(1, 1.5);
  },
});
