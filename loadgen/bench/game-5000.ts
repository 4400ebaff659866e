import { gameScenario } from '../scenarios/game.ts';

/** The memory bench: 5,000 players of the game pattern, with its think time, for 20 s. */
export default gameScenario({
  name: 'game-rss',
  model: { type: 'closed', users: 5000, spawnRate: 1000 },
  duration: '20s',
});
