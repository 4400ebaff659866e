import { gameLoop, gameScenario } from '../scenarios/game.ts';

const loop = gameLoop({ thinkScale: 0 });

/**
 * bench/game-no-think.ts with custom measurements: every iteration timed with vu.time and
 * counted with a counter, so the bench sets what they cost against the same pattern without them.
 */
export default gameScenario(
  { name: 'game-bench-measured', model: { type: 'closed', users: 50, spawnRate: 1000 }, duration: '10s' },
  async (vu) => {
    await vu.time('game loop', () => loop(vu));
    vu.metrics.count('game loops');
  },
);
