import { readEnvFile, sameLocalOrigin } from './admin-token.js';

interface MetricsHostSources {
  /** The run's environment: LOADGEN_METRICS_HOST there always wins. */
  env: NodeJS.ProcessEnv;
  /** The game-api the run loads. */
  targetUrl: string;
  /** The local lab's `.lab/env`. */
  localLabEnvFile: string;
}

/**
 * Where loadgen serves /metrics for a run: LOADGEN_METRICS_HOST from the environment, else the
 * local lab's (127.0.0.1: its Prometheus runs on this machine) when the run targets that lab's
 * game-api, as the admin token is found, so a run against `npm run lab:local` does not open
 * loadgen's metrics to the network even when .lab/env was not sourced. Undefined: the default
 * (0.0.0.0, which the compose lab's Prometheus needs to reach the host from its container).
 */
export async function findMetricsHost(s: MetricsHostSources): Promise<string | undefined> {
  if (s.env.LOADGEN_METRICS_HOST) return s.env.LOADGEN_METRICS_HOST;
  const local = await readEnvFile(s.localLabEnvFile);
  if (local.LOADGEN_METRICS_HOST && local.TARGET_URL && sameLocalOrigin(local.TARGET_URL, s.targetUrl)) {
    return local.LOADGEN_METRICS_HOST;
  }
  return undefined;
}
