import { Worker } from 'node:worker_threads';
import { EnginePart, type PartSpec } from '../engine/engine-part.js';
import type { RunnableScenario } from '../engine/virtual-user.js';
import { LoadgenError } from '../errors.js';
import type { WindowReport } from '../metrics/window-recorder.js';
import type { ScenarioSource } from '../scenario/scenario-source.js';
import type { FromWorker, PartWorkerData, ToWorker } from './worker-protocol.js';

/** One share of the load, run in this thread or in a worker thread. */
export interface PartRunner {
  prepare(): Promise<void>;
  run(startEpochMs: number): Promise<void>;
  stop(): void;
  /** Steering: the whole run's users (closed model) from `atSec` on; the part runs its share. */
  setUsers(atSec: number, users: number, spawnRate: number): void;
  /** Steering: the whole run's arrival rate (open model) from `atSec` on. */
  setRate(atSec: number, rate: number): void;
  close(): Promise<void>;
}

export function localPart(
  spec: PartSpec,
  scenario: RunnableScenario,
  emit: (r: WindowReport) => void,
): PartRunner {
  const part = new EnginePart(spec, scenario, emit);
  return {
    prepare: () => part.prepare(),
    run: (start) => part.run(start),
    stop: () => part.stop(),
    setUsers: (atSec, users, spawnRate) => part.setUsers(atSec, users, spawnRate),
    setRate: (atSec, rate) => part.setRate(atSec, rate),
    close: async () => undefined,
  };
}

/**
 * Worker-thread part: the same EnginePart behind postMessage; windows arrive encoded. The worker
 * loads the scenario again from its source (a module cannot cross threads).
 */
export function threadPart(
  spec: PartSpec,
  source: ScenarioSource,
  emit: (r: WindowReport) => void,
): PartRunner {
  const workerData: PartWorkerData = { spec, source };
  const worker = new Worker(new URL('./part-worker.js', import.meta.url), { workerData });
  const waiters = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const settle = (type: string, error?: Error) => {
    const w = waiters.get(type);
    waiters.delete(type);
    if (error !== undefined) w?.reject(error);
    else w?.resolve();
  };
  const failAll = (error: Error) => {
    for (const type of [...waiters.keys()]) settle(type, error);
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'window') emit(m.report);
    else if (m.type === 'failed') {
      const message = `worker ${spec.thread}: ${m.message}`;
      failAll(m.code === undefined ? new Error(message) : new LoadgenError(m.code, message));
    } else settle(m.type);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`worker ${spec.thread} exited with code ${code}`)));
  const call = (message: ToWorker, reply: string) =>
    new Promise<void>((resolve, reject) => {
      waiters.set(reply, { resolve, reject });
      worker.postMessage(message);
    });
  return {
    prepare: () => call({ type: 'prepare' }, 'prepared'),
    run: (startEpochMs) => call({ type: 'run', startEpochMs }, 'done'),
    stop: () => worker.postMessage({ type: 'stop' } satisfies ToWorker),
    setUsers: (atSec, users, spawnRate) =>
      worker.postMessage({ type: 'users', atSec, users, spawnRate } satisfies ToWorker),
    setRate: (atSec, rate) => worker.postMessage({ type: 'rate', atSec, rate } satisfies ToWorker),
    close: async () => {
      await worker.terminate();
    },
  };
}
