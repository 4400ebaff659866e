import { gameLoop, gameScenario } from '../scenarios/game.ts';

/** The game pattern with no think time, as the bench drives it: register, log in, the 8-call loop. */
export default gameScenario(
  { name: 'game-bench', model: { type: 'closed', users: 50, spawnRate: 1000 }, duration: '10s' },
  gameLoop({ thinkScale: 0 }),
);
