import { gameScenario } from './game.ts';

export default gameScenario({
  name: 'spike',
  label: 'spike',
  description: '20 players, a spike to 200 for 15 s at 20 s, back to 20.',
  model: {
    type: 'closed',
    users: 200,
    spawnRate: 200,
  },
  profile: {
    type: 'spike',
    base: 20,
    peak: 200,
    at: '20s',
    hold: '15s',
  },
  duration: '60s',
});
