import { defineScenario, type Vu, type VuSocket } from '@game-load-lab/loadgen';

/**
 * Realtime play over docs/realtime.md's match channel: each player registers and logs in over
 * HTTP, holds one socket for the whole run (a connected user, CCU), and loops: queue, wait to be
 * matched, play a few moves, read the other player's moves, end the match. The tests run it
 * against a small server of that protocol (test/helpers/match-server.ts).
 */

interface Player {
  username: string;
  password: string;
  token: string;
  playerId: number;
  socket: VuSocket | undefined;
}

interface Matched {
  matchId: string;
  players: Array<{ playerId: number }>;
}

const MOVES = 3;

/** Open the player's socket (token as a subprotocol, as game-api takes it) and read its welcome. */
async function connect(vu: Vu<Player, unknown>): Promise<VuSocket> {
  const socket = await vu.ws.connect('/ws', { protocols: ['game.v1', `bearer.${vu.state.token}`] });
  const welcome = await socket.next<{ playerId: number }>('welcome');
  vu.state.playerId = welcome.playerId;
  vu.state.socket = socket;
  return socket;
}

export default defineScenario<Player, unknown>({
  options: {
    name: 'match',
    model: { type: 'closed', users: 4, spawnRate: 4 },
    duration: '10s',
    thresholds: ['errors<1%', 'ws moved:p95<250', 'ccu>=4'],
  },
  state: (vu) => ({ username: vu.tag, password: `pw-${vu.tag}`, token: '', playerId: 0, socket: undefined }),

  async setup(vu) {
    const account = { username: vu.state.username, password: vu.state.password };
    await vu.http.post('/api/users', { json: account, expectedStatuses: [409] });
    vu.state.token = (await vu.http.post('/api/login', { json: account })).json<{ token: string }>().token;
    vu.http.headers.authorization = `Bearer ${vu.state.token}`;
    await connect(vu);
  },

  async iteration(vu) {
    // A socket the server closed is opened again (the failed wait was counted as ws_closed).
    const socket = vu.state.socket?.open ? vu.state.socket : await connect(vu);
    await socket.request({ type: 'queue' }, 'queued'); // measured as "ws queue"
    const { matchId, players } = await socket.next<Matched>('matched', { timeout: '30s' });
    for (let id = 1; id <= MOVES; id++) {
      await socket.request({ type: 'move', id, matchId, points: id }, 'move_ack'); // "ws move"
    }
    // Every other player's moves, pushed: their delay (now - ts) is measured as "ws moved".
    for (let i = 0; i < MOVES * (players.length - 1); i++) await socket.next('moved');
    // The player with the lowest id ends the match; everyone is told.
    if (Math.min(...players.map((p) => p.playerId)) === vu.state.playerId) {
      socket.send({ type: 'end', matchId });
    }
    await socket.next('ended');
    await vu.think(0.05, 0.1);
  },

  async teardown(vu) {
    await vu.state.socket?.close();
  },
});
