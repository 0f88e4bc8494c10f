// A worker entry for libraryWorkerClient.test.ts only: speaks libraryProtocol like library.worker.ts, without a library.
// Each start adds one to workerData.starts (shared memory). getTrack(instruction) answers as told: 'exit' ends the
// thread mid-call, 'throw' throws an uncaught error, 'hang' never answers (but answers pings), 'freeze' blocks the
// thread for good (no pings either); anything else is echoed back.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromLibraryWorker, ToLibraryWorker } from './libraryProtocol.js';

const port = parentPort!;
const starts = new Int32Array((workerData as { starts: SharedArrayBuffer }).starts);
Atomics.add(starts, 0, 1);
const send = (message: FromLibraryWorker): void => port.postMessage(message);

port.on('message', (message: ToLibraryWorker) => {
  if (message.type === 'ping') return send({ type: 'pong', id: message.id });
  if (message.type === 'close') {
    send({ type: 'closed' });
    port.close();
    return;
  }
  if (message.type !== 'call') return;
  const instruction = message.args[0];
  if (instruction === 'exit') process.exit(3);
  if (instruction === 'throw') {
    setImmediate(() => {
      throw new Error('the fake library blew up');
    });
    return;
  }
  if (instruction === 'hang') return;
  if (instruction === 'freeze') for (;;);
  send({ type: 'result', id: message.id, result: { ok: true, value: { method: message.method, instruction, starts: Atomics.load(starts, 0) } } });
});
send({ type: 'ready' });
