// One script of calls that every implementation of the contract must answer alike: the real LibraryService and the
// one fake library (fake/fakeLibrary.ts, which the renderer's fake bridge and the host's fake backend wrap). Each runs
// it on the same small library (CONFORMANCE_TRACKS in a folder) and its transcript must equal libraryConformance.expected.json, which the real LibraryService's run
// wrote (src-main/engine/libraryService.conformance.test.ts; UPDATE_CONFORMANCE=1 writes it again). Covers browsing
// (search, sort, paging, filters, position, albums, artists), folders, History, Listen's clip sessions and the errors
// for bad input.
// Pure: imports only the contract; answers are reduced to what must agree (titles, not ids, paths, or timings).
import type { AsyncLibraryApi, HistoryEntry, ListenState, Page } from './api.js';
import type { AlbumSummary, ArtistSummary, Result, TrackId, TrackSummary } from './library.js';

/** The library the script expects: four tracks, as the fake library's /music holds them (fake/fakeTracks.ts). */
export const CONFORMANCE_TRACKS = [
  { title: 'Alpha', artist: 'The Synthetics', album: 'First Light', format: 'mp3', trackNumber: 1, durationSeconds: 75 },
  { title: 'Beta', artist: 'The Synthetics', album: 'First Light', format: 'flac', trackNumber: 2, durationSeconds: 85 },
  { title: 'Gamma', artist: 'Solo Voice', album: null, format: 'ogg', trackNumber: null, durationSeconds: 95 },
  { title: 'Delta', artist: null, album: null, format: 'wav', trackNumber: null, durationSeconds: 105 },
] as const;

/** Where a conformance track's file lies under the library folder: `<artist or Unknown>/<title>.<format>`. */
export function conformancePath(track: (typeof CONFORMANCE_TRACKS)[number]): string {
  return `${track.artist ?? 'Unknown'}/${track.title}.${track.format}`;
}

export type ConformanceApi = Pick<
  AsyncLibraryApi,
  | 'listFolders'
  | 'addFolder'
  | 'removeFolder'
  | 'listTracks'
  | 'trackPosition'
  | 'listAlbums'
  | 'listArtists'
  | 'getTrack'
  | 'similarTracks'
  | 'identifyClip'
  | 'listHistory'
  | 'getHistoryEntry'
  | 'deleteHistoryEntries'
  | 'clearHistory'
  | 'listenStart'
  | 'listenPush'
  | 'listenStop'
  | 'installModel'
  | 'cancelModelInstall'
  | 'useModel'
>;

export interface ConformanceEnv {
  /** The library folder, as the implementation names it (absolute). */
  readonly libraryRoot: string;
  /** A few seconds of Beta as an audio file (the fakes match any file not named "unknown" to Beta). */
  readonly betaClip: { readonly fileName: string; readonly bytes: Uint8Array };
}

export interface ConformanceStep {
  readonly call: string;
  readonly answer: unknown;
}

const UNKNOWN_TRACK = '00000000-0000-4000-8000-00000000ffff' as TrackId;

export async function runLibraryConformance(api: ConformanceApi, env: ConformanceEnv): Promise<ConformanceStep[]> {
  const steps: ConformanceStep[] = [];
  const titles = new Map<string, string>();
  const titleOf = (id: string | null | undefined): string | null => (id ? (titles.get(id) ?? `unknown track ${id}`) : null);
  const relative = (p: string): string => (p.startsWith(env.libraryRoot) ? `<library>${p.slice(env.libraryRoot.length).replaceAll('\\', '/')}` : p);
  const step = async <T>(call: string, result: Promise<Result<T>>, reduce: (value: T) => unknown): Promise<T | undefined> => {
    const r = await result;
    steps.push({ call, answer: r.ok ? reduce(r.value) : { error: r.error.code } });
    return r.ok ? r.value : undefined;
  };
  const page = (p: Page<TrackSummary>) => ({ total: p.total, page: p.page, perPage: p.perPage, items: p.items.map((t) => t.title) });

  // Folders, and the tracks' ids (by title) for what follows.
  await step('listFolders()', api.listFolders(), (fs) =>
    fs.map((f) => ({ path: relative(f.path), exists: f.exists, trackCount: f.trackCount, scanned: f.lastScannedAt !== null })),
  );
  await step('listTracks({})', api.listTracks({}), page);
  const everything = await api.listTracks({ perPage: 1000 });
  if (everything.ok) for (const t of everything.value.items) titles.set(t.id, t.title);
  const idOf = (title: string): TrackId => [...titles].find(([, t]) => t === title)?.[0] as TrackId;

  // Browsing: paging, search, sort, filters, position, the Albums and Artists views.
  await step('listTracks({perPage: 3, page: 2})', api.listTracks({ perPage: 3, page: 2 }), page);
  for (const search of ['synth', 'FLAC', 'solo voice', 'light', 'bet', 'eta', 'beta alpha', 'wav', 'unknown', '  ', 'ALPHA.mp3']) {
    await step(`listTracks({search: ${JSON.stringify(search)}})`, api.listTracks({ search }), page);
  }
  for (const sort of ['artist', 'title', 'album', 'duration', 'format'] as const) {
    for (const direction of ['asc', 'desc'] as const)
      await step(`listTracks({sort: ${sort}, direction: ${direction}})`, api.listTracks({ sort, direction }), page);
  }
  await step("listTracks({artist: 'the synthetics'})", api.listTracks({ artist: 'the synthetics' }), page);
  await step(
    "listTracks({album: 'First Light', albumArtist: 'The Synthetics', sort: 'album'})",
    api.listTracks({ album: 'First Light', albumArtist: 'The Synthetics', sort: 'album' }),
    page,
  );
  await step(
    "listTracks({search: 'synth', sort: 'title', direction: 'desc', perPage: 1})",
    api.listTracks({ search: 'synth', sort: 'title', direction: 'desc', perPage: 1 }),
    page,
  );
  await step('trackPosition(Beta, sort title)', api.trackPosition({ trackId: idOf('Beta'), sort: 'title' }), (n) => n);
  await step('trackPosition(Beta, sort title desc)', api.trackPosition({ trackId: idOf('Beta'), sort: 'title', direction: 'desc' }), (n) => n);
  await step("trackPosition(Beta, search 'solo')", api.trackPosition({ trackId: idOf('Beta'), search: 'solo' }), (n) => n);
  await step('listAlbums({})', api.listAlbums({}), (p) => ({
    total: p.total,
    items: p.items.map((a: AlbumSummary) => ({ album: a.album, albumArtist: a.albumArtist, trackCount: a.trackCount, cover: titleOf(a.coverTrackId) })),
  }));
  await step('listArtists({})', api.listArtists({}), (p) => ({
    total: p.total,
    items: p.items.map((a: ArtistSummary) => ({ artist: a.artist, trackCount: a.trackCount, albumCount: a.albumCount, cover: titleOf(a.coverTrackId) })),
  }));
  await step('getTrack(Beta)', api.getTrack(idOf('Beta')), (t) => ({
    title: t.title,
    artist: t.artist,
    album: t.album,
    format: t.format,
    path: relative(t.filePath),
    trackNumber: t.trackNumber ?? null,
  }));

  // Errors for what is not there.
  await step('getTrack(unknown)', api.getTrack(UNKNOWN_TRACK), () => 'answered');
  await step('similarTracks(unknown, 3)', api.similarTracks(UNKNOWN_TRACK, 3), () => 'answered');
  await step('removeFolder(987654)', api.removeFolder(987654 as never), () => 'answered');
  await step('addFolder(<library>/no-such-folder)', api.addFolder(`${env.libraryRoot}/no-such-folder`), () => 'answered');
  await step("getHistoryEntry('no-such-entry')", api.getHistoryEntry('no-such-entry'), () => 'answered');
  await step("listenPush('no-such-session')", api.listenPush({ sessionId: 'no-such-session', samples: new Float32Array(800) }), () => 'answered');
  for (const call of ['installModel', 'cancelModelInstall', 'useModel'] as const)
    await step(`${call}('no-such-model')`, api[call]('no-such-model'), () => 'answered');

  // History: an identification with a key is kept; the same bytes under a new key count on the same entry.
  const history = (p: Page<HistoryEntry>) => ({
    total: p.total,
    items: p.items.map((e) => ({
      source: e.source,
      clipName: e.clipName,
      mode: e.mode,
      count: e.count,
      match: e.match?.title ?? null,
      trackFileName: e.trackFileName,
    })),
  });
  const identify = (historyKey: string) =>
    api.identifyClip({
      audio: { kind: 'file', fileName: env.betaClip.fileName, bytes: env.betaClip.bytes },
      source: 'file',
      mode: 'exact',
      maxResults: 3,
      historyKey,
    });
  await step('listHistory({})', api.listHistory({}), history);
  await step("identifyClip(Beta clip, key 'k1')", identify('k1'), (r) => r.exact.map((m) => m.track.title));
  await step("identifyClip(the same bytes, key 'k2')", identify('k2'), (r) => r.exact.map((m) => m.track.title));
  const kept = await step('listHistory({})', api.listHistory({}), history);
  const entryId = kept?.items[0]?.id ?? 'none';
  await step('getHistoryEntry(the entry)', api.getHistoryEntry(entryId), (d) => ({
    clipName: d.entry.clipName,
    exact: d.result?.exact.map((m) => m.track.title) ?? null,
  }));
  await step("listHistory({search: 'beta'})", api.listHistory({ search: 'beta' }), history);
  await step("listHistory({search: 'gamma'})", api.listHistory({ search: 'gamma' }), history);
  await step("deleteHistoryEntries([the entry, 'no-such-entry'])", api.deleteHistoryEntries([entryId, 'no-such-entry']), (n) => n);
  await step('listHistory({})', api.listHistory({}), history);
  await step("identifyClip(Beta clip, key 'k3')", identify('k3'), (r) => r.exact.map((m) => m.track.title));
  await step('clearHistory()', api.clearHistory(), () => 'answered');
  await step('listHistory({})', api.listHistory({}), history);

  // Listen's single answer as a clip session: pushes of new audio only, no answer while too short, History once at stop.
  const listen = (s: ListenState) => ({
    heardSeconds: s.heardSeconds,
    playing: s.playing,
    log: s.log,
    answer: s.answer ? { clipSeconds: s.answer.clipSeconds, exact: s.answer.exact.map((m) => m.track.title) } : s.answer,
  });
  const silence = (seconds: number) => new Float32Array(seconds * 8000);
  const clip = { sampleRateHz: 8000, mode: 'exact', maxResults: 3, historyKey: 'k4' } as const;
  await step("listenStart({sessionId: 'clip-1', clip})", api.listenStart({ sessionId: 'clip-1', clip }), listen);
  await step("listenPush('clip-1', 0.5 s of silence)", api.listenPush({ sessionId: 'clip-1', samples: silence(0.5) }), listen);
  await step("listenPush('clip-1', 1.5 s of silence)", api.listenPush({ sessionId: 'clip-1', samples: silence(1.5) }), listen);
  await step('listHistory({})', api.listHistory({}), history);
  await step("listenStop('clip-1')", api.listenStop({ sessionId: 'clip-1' }), listen);
  await step('listHistory({})', api.listHistory({}), history);
  await step("listenPush('clip-1') after its stop", api.listenPush({ sessionId: 'clip-1', samples: silence(1) }), listen);
  await step("listenStart({sessionId: 'clip-2', clip}) twice", api.listenStart({ sessionId: 'clip-2', clip }), listen);
  await step("listenStart({sessionId: 'clip-2', clip}) twice", api.listenStart({ sessionId: 'clip-2', clip }), listen);
  await step("listenStop('clip-2') with no audio", api.listenStop({ sessionId: 'clip-2' }), listen);
  await step('listHistory({}): no answer, nothing kept', api.listHistory({}), history);
  await step('clearHistory()', api.clearHistory(), () => 'answered');
  return steps;
}
