import type { PartSpec } from '../engine/engine-part.js';
import type { LoadgenErrorCode } from '../errors.js';
import type { WindowReport } from '../metrics/window-recorder.js';
import type { ScenarioSource } from '../scenario/scenario-source.js';

export interface PartWorkerData {
  spec: PartSpec;
  source: ScenarioSource;
}

export type ToWorker =
  | { type: 'prepare' }
  | { type: 'run'; startEpochMs: number }
  | { type: 'stop' }
  // Steering (the dashboard, `loadgen control`): the whole run's new value from atSec on; the part runs its share.
  | { type: 'users'; atSec: number; users: number; spawnRate: number }
  | { type: 'rate'; atSec: number; rate: number };

export type FromWorker =
  | { type: 'prepared' }
  | { type: 'window'; report: WindowReport }
  | { type: 'done' }
  // code: a LoadgenError's (a scenario that fails to load in the worker is bad input, as in the main thread).
  | { type: 'failed'; message: string; code?: LoadgenErrorCode };
