import { GAMEPLAY_THRESHOLDS, gameScenario } from './game.ts';

export default gameScenario({
  name: 'soak',
  label: 'soak',
  description:
    '30 players for 5 minutes (override with --duration 1h), to see memory, pools and latency stay flat.',
  model: {
    type: 'closed',
    users: 30,
    spawnRate: 5,
  },
  duration: '5m',
  thresholds: GAMEPLAY_THRESHOLDS,
});
