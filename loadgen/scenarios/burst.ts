import { gameScenario } from './game.ts';

export default gameScenario({
  name: 'burst',
  label: 'burst',
  description:
    'Open model: 5 game iterations per second, with 5-second bursts at 50/s every 15 s; latency counted from the scheduled start.',
  model: {
    type: 'open',
    rate: 50,
    preAllocatedVUs: 50,
    maxVUs: 1000,
  },
  profile: {
    type: 'burst',
    base: 5,
    peak: 50,
    every: '15s',
    length: '5s',
  },
  duration: '60s',
});
