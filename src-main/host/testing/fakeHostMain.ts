// Test helper process: the browser host on a fake backend, for tests that must not import src-main (the renderer's
// bridge tests). Run `node --import tsx src-main/host/testing/fakeHostMain.ts [--port N] [--token T] [--media FILE] [--data DIR]`;
// prints one JSON line {port, token, trackId}; each JSON line on stdin {"emit": event, "payload": ...} is emitted.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { LibraryEventName } from '../../../src-preload/contract/api.js';
import type { FolderId } from '../../../src-preload/contract/library.js';
import { startHost } from '../server.js';
import { defaultFakeTracklist } from '../../../src-preload/contract/fake/fakeScripts.js';
import { createFakeBackend, fakeTrack } from './fakeBackend.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, token: { type: 'string' }, media: { type: 'string' }, data: { type: 'string' } } });
const backend = createFakeBackend([fakeTrack(1, values.media ?? '/nonexistent/song.mp3')]);
// The test in the other process learns how many bytes of a tracklist upload arrived: the answer's durationMs.
backend.scripts.tracklist = (request, tracks) => {
  const answer = defaultFakeTracklist(request, tracks);
  return 'code' in answer ? answer : { ...answer, durationMs: request.audio.bytes.length };
};
// The host serves only files inside a library folder: the media file's folder is the library.
if (values.media) backend.folders.push({ id: 1 as FolderId, path: path.dirname(path.resolve(values.media)), exists: true, trackCount: 1, lastScannedAt: null });
const host = await startHost({
  backend,
  port: Number(values.port ?? 0),
  token: values.token,
  appVersion: 'fake',
  log: () => undefined,
  ...(values.data ? { dataDir: values.data } : {}),
});
process.stdout.write(JSON.stringify({ port: host.port, token: host.token, trackId: backend.tracks[0].id }) + '\n');

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { emit: LibraryEventName; payload: never };
  backend.emit(command.emit, command.payload);
});
const stop = (): void => void host.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
