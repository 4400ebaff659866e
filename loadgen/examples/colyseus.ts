import { defineScenario, type Vu } from '@game-load-lab/loadgen';
import { Client, type Room } from 'colyseus.js';

/**
 * A game whose client is an SDK: players join a Colyseus room (`battle`) with the official
 * colyseus.js client and play moves the room answers, against a Colyseus server as the target
 * (loadgen/README.md, "Measuring any protocol"). Nothing goes through vu.http or vu.ws, so the
 * script times what the SDK does: the join, and each move's round trip to its answer.
 */

interface Player {
  room?: Room;
}

/** Send a move and wait for the room's answer to it; a timeout is an error that keeps its time. */
function moveRoundTrip(room: Room, seq: number, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        Object.assign(new Error(`no answer to move ${seq} in ${timeoutMs} ms`), { name: 'TimeoutError' }),
      );
    }, timeoutMs);
    const off: () => void = room.onMessage('moved', (message: { seq: number }) => {
      if (message.seq !== seq) return;
      clearTimeout(timer);
      off();
      resolve();
    });
    room.send('move', { seq });
  });
}

export default defineScenario<Player, unknown>({
  options: {
    name: 'colyseus',
    description:
      'Players join a Colyseus battle room with colyseus.js and play moves; joins and move round trips timed.',
    model: { type: 'closed', users: 10, spawnRate: 10 },
    duration: '30s',
    metrics: {
      // Not a time: printed in players, never as ms.
      'room size': { type: 'trend', unit: 'players' },
      'moves sent': { type: 'counter' },
    },
    thresholds: [
      'join room:p95<500',
      'move round trip:p95<200',
      'join room:errors<1%',
      'move round trip:errors<1%',
      'script_errors<1%',
    ],
  },
  state: () => ({}),

  // One session per iteration: join, five moves a little apart, leave.
  async iteration(vu: Vu<Player, unknown>) {
    const client = new Client(vu.target);
    const room = await vu.time('join room', () => client.joinOrCreate('battle'));
    vu.state.room = room;
    for (let seq = 1; seq <= 5; seq++) {
      await vu.time('move round trip', () => moveRoundTrip(room, seq));
      vu.metrics.count('moves sent');
      await vu.think(0.05, 0.15);
    }
    vu.record('room size', room.state.players.size);
    await vu.time('leave room', () => room.leave());
    vu.state.room = undefined;
  },

  // A user stopped mid-session leaves its room.
  async teardown(vu) {
    await vu.state.room?.leave();
  },
});
