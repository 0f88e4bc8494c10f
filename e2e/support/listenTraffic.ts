// What the page sends the host during a Listen, read from its /rpc traffic: the bytes of every listenPush request
// (their Content-Length) and the seconds the clip session says it holds (the wire-decoded answers), to check that a
// Listen sends each recorded second once, not the growing clip.
import type { Page, Response } from '@playwright/test';
import type { ListenState } from '../../src-preload/contract/api.js';
import type { Result } from '../../src-preload/contract/library.js';
import { decodeWire } from '../../src-preload/contract/wire.js';

export interface ListenTraffic {
  /** listenStart requests (a Listen opens one clip session). */
  listenStartCount: number;
  /** identifyClip requests (a Listen sends none: its audio goes through the clip session). */
  identifyClipCount: number;
  /** Request body bytes of each listenPush, in order. */
  readonly pushBytes: number[];
  /** The session's heardSeconds after each push, in the order the answers came. */
  readonly heardSeconds: number[];
  /** Resolves once every listenPush seen so far has been answered and counted. */
  settled(): Promise<void>;
}

export function watchListenTraffic(page: Page): ListenTraffic {
  const pending: Promise<void>[] = [];
  const traffic: ListenTraffic = {
    listenStartCount: 0,
    identifyClipCount: 0,
    pushBytes: [],
    heardSeconds: [],
    settled: async () => void (await Promise.all(pending)),
  };
  const count = async (response: Response): Promise<void> => {
    const body = await response.body();
    const result = decodeWire(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)) as Result<ListenState>;
    if (result.ok) traffic.heardSeconds.push(result.value.heardSeconds);
    // The Content-Length Chromium sent (for a Blob body, sizes() reports 0 and postData() nothing).
    traffic.pushBytes.push(Number((await response.request().headerValue('content-length')) ?? Number.NaN));
  };
  page.on('request', (request) => {
    const method = /^\/rpc\/(\w+)$/.exec(new URL(request.url()).pathname)?.[1];
    if (method === 'identifyClip') traffic.identifyClipCount++;
    if (method === 'listenStart') traffic.listenStartCount++;
  });
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/rpc/listenPush') pending.push(count(response));
  });
  return traffic;
}
