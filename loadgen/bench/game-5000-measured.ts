import { gameLoop, gameScenario } from '../scenarios/game.ts';

const loop = gameLoop();

/**
 * bench/game-5000.ts with custom measurements: 5,000 players, each timing every iteration with
 * vu.time and counting it, for 20 s: what custom measurements cost in memory.
 */
export default gameScenario(
  { name: 'game-rss-measured', model: { type: 'closed', users: 5000, spawnRate: 1000 }, duration: '20s' },
  async (vu) => {
    await vu.time('game loop', () => loop(vu));
    vu.metrics.count('game loops');
  },
);
