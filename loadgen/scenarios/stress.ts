import { GAMEPLAY_THRESHOLDS, gameScenario } from './game.ts';

export default gameScenario({
  name: 'stress',
  label: 'stress',
  description: "The seeds' stress run: 100 players, 10 spawned per second.",
  model: {
    type: 'closed',
    users: 100,
    spawnRate: 10,
  },
  duration: '60s',
  thresholds: GAMEPLAY_THRESHOLDS,
});
