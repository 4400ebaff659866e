import type { WindowReport } from '../metrics/window-recorder.js';

export type ToWorker = { type: 'prepare' } | { type: 'run'; startEpochMs: number } | { type: 'stop' };

export type FromWorker =
  | { type: 'prepared' }
  | { type: 'window'; report: WindowReport }
  | { type: 'done' }
  | { type: 'failed'; message: string };
