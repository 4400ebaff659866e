import { gameScenario } from './game.ts';

export default gameScenario({
  name: 'step',
  label: 'step',
  description: 'Capacity steps: 10, 20, 30, 50, 100, 200, 500 players, 10 s per step.',
  model: {
    type: 'closed',
    users: 500,
    spawnRate: 100,
  },
  profile: {
    type: 'step',
    levels: [10, 20, 30, 50, 100, 200, 500],
    stepDuration: '10s',
  },
  duration: '70s',
});
