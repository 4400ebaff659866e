import { defineScenario } from '@game-load-lab/loadgen';

/**
 * A different API shape than game-api's: seeded accounts from a CSV, a login that answers with a
 * session cookie, and a step that depends on the last response. Run it against the lobby server
 * of loadgen's tests (test/helpers/lobby-server.ts), or read it as a template for your own API.
 */

/** One row of accounts.csv. */
interface Account {
  username: string;
  password: string;
}

export default defineScenario<{ joined: number }, Account>({
  options: {
    name: 'lobby',
    model: { type: 'closed', users: 4, spawnRate: 4 },
    duration: '10s',
    // Every user logs in as its own row; two segments or threads never share a row.
    data: { file: './accounts.csv' },
    thresholds: ['errors<1%', 'GET /lobby:p95<200'],
  },
  state: () => ({ joined: 0 }),

  async setup(vu) {
    const { username, password } = vu.data;
    const res = await vu.http.post('/session', { json: { username, password } });
    // The server set a `sid` cookie: the user's cookie jar sends it from now on.
    if (res.status !== 204 || vu.http.cookies.sid === undefined) {
      throw new Error(`log in as ${username}: HTTP ${res.status}`);
    }
  },

  async iteration(vu) {
    const lobby = await vu.http.get('/lobby');
    const { open, lobbyId } = lobby.json<{ open: boolean; lobbyId: string }>();
    if (open) {
      // The next step depends on the last response: join the lobby it named.
      const join = await vu.http.post(`/lobby/${lobbyId}/join`, { name: 'POST /lobby/:id/join' });
      if (vu.check('joined an open lobby', join.status === 200)) vu.state.joined++;
    } else {
      await vu.http.get('/lobby/queue', { query: { user: vu.data.username } });
    }
    await vu.think(0.05, 0.1);
  },

  async teardown(vu) {
    await vu.http.delete('/session');
  },
});
