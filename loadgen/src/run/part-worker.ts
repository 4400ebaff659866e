import { parentPort, workerData } from 'node:worker_threads';
import { EnginePart } from '../engine/engine-part.js';
import { LoadgenError } from '../errors.js';
import { instantiateScenario } from '../scenario/scenario-source.js';
import type { FromWorker, PartWorkerData, ToWorker } from './worker-protocol.js';

// Entry of one worker thread: the scenario loaded from its source, an EnginePart driven by messages.
const port = parentPort;
if (port === null) throw new Error('part-worker.js must run in a worker thread');
const post = (message: FromWorker) => port.postMessage(message);
const { spec, source } = workerData as PartWorkerData;
const part = instantiateScenario(source).then(
  (scenario) => new EnginePart(spec, scenario, (report) => post({ type: 'window', report })),
);

function handle(p: EnginePart, message: ToWorker): Promise<void> | void {
  switch (message.type) {
    case 'prepare':
      return p.prepare().then(() => post({ type: 'prepared' }));
    case 'run':
      return p.run(message.startEpochMs).then(() => post({ type: 'done' }));
    case 'stop':
      return p.stop();
    case 'users':
      return p.setUsers(message.atSec, message.users, message.spawnRate);
    case 'rate':
      return p.setRate(message.atSec, message.rate);
  }
}

port.on('message', (message: ToWorker) => {
  const step = part.then((p) => handle(p, message));
  step.catch((error: unknown) =>
    post({
      type: 'failed',
      message: (error as Error).message ?? String(error),
      code: error instanceof LoadgenError ? error.code : undefined,
    }),
  );
});
