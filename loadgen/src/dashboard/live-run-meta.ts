import { describeModel } from '../model/load-model-text.js';
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
    load: describeModel(m),
    profile: `${config.profile.type} profile`,
    durationSec: config.durationSec,
    windowSec: config.windowSec,
    threads: config.threads,
    segment: config.segment,
    thresholds: config.thresholds,
  };
}
