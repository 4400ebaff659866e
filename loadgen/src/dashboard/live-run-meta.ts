import type { RunConfig } from '../scenario/run-config.js';
import type { LiveRunMeta } from './live-state.js';

/** The run as the dashboard's header shows it, from its resolved configuration. */
export function liveRunMeta(config: RunConfig): LiveRunMeta {
  const m = config.model;
  return {
    testid: config.testid,
    scenario: config.name,
    label: config.label,
    target: config.target,
    model: m.type,
    load:
      m.type === 'closed'
        ? `closed model, ${m.users} users at ${m.spawnRate}/s`
        : `open model, ${m.rate} it/s (max ${m.maxVUs} VUs)`,
    profile: `${config.profile.type} profile`,
    durationSec: config.durationSec,
    windowSec: config.windowSec,
    threads: config.threads,
    segment: config.segment,
    thresholds: config.thresholds,
  };
}
