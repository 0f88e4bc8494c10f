// LibraryWorkerClient against a fake library worker (testLibrary.worker.ts): every call answers, whatever the worker does.
// A worker that exits or throws mid-call fails the calls in flight with 'internal' and is replaced at once; a call
// left unanswered answers 'internal' after callTimeoutMs, and a worker that then ignores a ping is terminated and
// replaced too; a worker that is merely slow keeps running.
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackId } from '../../src-preload/contract/library.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import { LibraryWorkerClient, type LibraryWorkerClientOptions } from './libraryWorkerClient.js';
import { resolveWorkerScript } from './resolveWorkerScript.js';

let backend: LibraryBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function start(options: Omit<LibraryWorkerClientOptions, 'script'> = {}): Promise<{ backend: LibraryBackend; starts: () => number }> {
  const shared = new SharedArrayBuffer(4);
  const counter = new Int32Array(shared);
  backend = await LibraryWorkerClient.start({ dataDir: '/nowhere', starts: shared } as never, {
    ...options,
    script: resolveWorkerScript(import.meta.url, 'testLibrary.worker'),
  });
  return { backend, starts: () => Atomics.load(counter, 0) };
}

const call = (b: LibraryBackend, instruction: string) => b.getTrack(instruction as TrackId);

/** Resolves once `condition` holds, checked every 10 ms (waits for the event, never a fixed time). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('LibraryWorkerClient', () => {
  it.each(['exit', 'throw'])(
    'fails the calls in flight when the worker dies (%s) and starts a fresh one at once',
    async (how) => {
      const { backend, starts } = await start();
      expect(await call(backend, 'hello')).toMatchObject({ ok: true, value: { instruction: 'hello', starts: 1 } });
      const [inFlight, dying] = await Promise.all([call(backend, 'hang'), call(backend, how)]);
      for (const result of [inFlight, dying]) {
        expect(result).toMatchObject({ ok: false, error: { code: 'internal', detail: expect.stringMatching(/library worker (stopped|crashed)/) } });
      }
      await until(() => starts() === 2); // restarted without waiting for a call
      expect(await call(backend, 'again')).toMatchObject({ ok: true, value: { instruction: 'again', starts: 2 } });
    },
    30_000,
  );

  it('answers a call the worker never answers with internal, and keeps a worker that still answers pings', async () => {
    const { backend } = await start({ callTimeoutMs: 200, pingTimeoutMs: 60_000 });
    expect(await call(backend, 'hang')).toMatchObject({ ok: false, error: { code: 'internal', detail: expect.stringMatching(/did not answer getTrack/) } });
    expect(await call(backend, 'still there')).toMatchObject({ ok: true, value: { starts: 1 } });
  }, 30_000);

  it('terminates and replaces a worker that is stuck (no answer, no pong)', async () => {
    const { backend, starts } = await start({ callTimeoutMs: 200, pingTimeoutMs: 200 });
    expect(await call(backend, 'freeze')).toMatchObject({ ok: false, error: { code: 'internal' } });
    await until(() => starts() === 2);
    expect(await call(backend, 'back')).toMatchObject({ ok: true, value: { instruction: 'back', starts: 2 } });
  }, 30_000);
});
