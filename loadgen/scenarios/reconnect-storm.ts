import type { VuSocket } from '@game-load-lab/loadgen';
import { matchScenario } from './match.ts';

/**
 * Every player online and in matches; at STORM_AT seconds (env, default 30) after the script
 * loads, every connection is dropped at once (as when a load balancer or a game-api process goes
 * away), and every player reconnects and queues again within ~50 ms: the handshakes and the
 * matchmaking of the whole population arrive together. Sessions are long here, so the storm, not
 * players leaving, is what reconnects them. The drop is the client's own close (code 4000, in the
 * closes table), so the waits it cuts short end their iteration without counting as failures;
 * `ws connect`, `ws queue` (the matchmaking wait) and the CCU chart show how the server took it.
 */
const STORM_AT_SECONDS = stormAt(process.env.STORM_AT ?? '30');

/** `STORM_AT=5 loadgen run reconnect-storm --duration 15s`: the second of the drop. */
function stormAt(value: string): number {
  const seconds = Number(value);
  if (!(seconds > 0)) throw new Error(`STORM_AT=${JSON.stringify(value)}: give the second of the drop, > 0`);
  return seconds;
}

const sockets = new Set<VuSocket>();
// Module scope: one timer per process (each --threads worker loads the script once); unref'd, so
// `loadgen check` and a run that ends early do not wait for it.
setTimeout(() => {
  for (const socket of sockets) void socket.close(4000, 'reconnect storm');
}, STORM_AT_SECONDS * 1000).unref();

export default matchScenario(
  {
    name: 'reconnect-storm',
    label: 'reconnect-storm',
    description: `Realtime play: 100 players in matches; at ${STORM_AT_SECONDS} s every socket is dropped at once and all reconnect and re-queue.`,
    model: { type: 'closed', users: 100, spawnRate: 10 },
    duration: '60s',
    thresholds: [
      'ws connect:p95<2000',
      'ws move:p95<500',
      'ws moved:p95<500',
      'ws connect:errors<1%',
      'ws move:errors<1%',
      'ws moved:errors<1%',
      'script_errors<1%',
    ],
  },
  { session: { shape: 0.8, scale: 3600 } },
  sockets,
);
