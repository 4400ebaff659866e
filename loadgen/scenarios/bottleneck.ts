import { gameScenario } from './game.ts';

export default gameScenario({
  name: 'bottleneck',
  label: 'bottleneck',
  description:
    "Baseline's shape (10 players, 2/s) labelled bottleneck: run it with the API's fault on (BOTTLENECK_DELAY_MS) to quantify the regression.",
  model: {
    type: 'closed',
    users: 10,
    spawnRate: 2,
  },
  duration: '60s',
});
