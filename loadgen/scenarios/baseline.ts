import { GAMEPLAY_THRESHOLDS, gameScenario } from './game.ts';

export default gameScenario({
  name: 'baseline',
  label: 'baseline',
  description:
    "The seeds' baseline: 10 players, 2 spawned per second, each registering, logging in and playing the game loop.",
  model: {
    type: 'closed',
    users: 10,
    spawnRate: 2,
  },
  duration: '60s',
  thresholds: GAMEPLAY_THRESHOLDS,
});
