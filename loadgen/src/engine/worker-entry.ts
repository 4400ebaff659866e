import { parentPort, workerData } from 'node:worker_threads';
import { EnginePart, type PartSpec } from './engine-part.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

// Entry of one worker thread: an EnginePart driven by messages from the main thread.
const port = parentPort;
if (port === null) throw new Error('worker-entry.js must run in a worker thread');
const post = (message: FromWorker) => port.postMessage(message);
const part = new EnginePart(workerData as PartSpec, (report) => post({ type: 'window', report }));

port.on('message', (message: ToWorker) => {
  const step =
    message.type === 'prepare'
      ? part.prepare().then(() => post({ type: 'prepared' }))
      : message.type === 'run'
        ? part.run(message.startEpochMs).then(() => post({ type: 'done' }))
        : Promise.resolve(part.stop());
  step.catch((error: unknown) =>
    post({ type: 'failed', message: (error as Error).message ?? String(error) }),
  );
});
