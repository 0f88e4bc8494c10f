// parseArgs: what every door runs on arguments that arrive as unknown. Garbage gives invalid-argument, never a throw;
// good arguments come back as they were (ids normalised); every method has a parser.
import { describe, expect, it } from 'vitest';
import { LIBRARY_METHODS, LIMITS } from './api.js';
import { ARG_PARSERS, isLibraryMethod, parseArgs } from './parseArgs.js';

const TRACK = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
const pcm = { kind: 'pcm', sampleRateHz: 44100, samples: new Float32Array(44100) };
const goodIdentify = { audio: pcm, source: 'mic', mode: 'exact', maxResults: 5, historyKey: 'k1' };

const invalid = (detail: RegExp) => ({ ok: false, error: { code: 'invalid-argument', detail: expect.stringMatching(detail) } });

describe('parseArgs', () => {
  it('has a parser for exactly the contract methods', () => {
    expect(Object.keys(ARG_PARSERS).sort()).toEqual([...LIBRARY_METHODS].sort());
    expect(isLibraryMethod('listTracks')).toBe(true);
    expect(isLibraryMethod('constructor')).toBe(false);
    expect(isLibraryMethod('__proto__')).toBe(false);
  });

  it('accepts good arguments', () => {
    expect(parseArgs('getStatus', [])).toEqual({ ok: true, value: [] });
    expect(parseArgs('addFolder', ['/home/me/Music'])).toEqual({ ok: true, value: ['/home/me/Music'] });
    expect(parseArgs('addFolder', ['C:\\Users\\me\\Music'])).toEqual({ ok: true, value: ['C:\\Users\\me\\Music'] });
    // The home folder is the engine's to expand: the page cannot know it.
    expect(parseArgs('addFolder', ['~/Music'])).toEqual({ ok: true, value: ['~/Music'] });
    expect(parseArgs('addFolder', ['~'])).toEqual({ ok: true, value: ['~'] });
    expect(parseArgs('getTrack', [TRACK])).toEqual({ ok: true, value: [TRACK.toLowerCase()] });
    expect(parseArgs('listTracks', [{ search: 'abba', page: 2, perPage: 100 }])).toEqual({ ok: true, value: [{ search: 'abba', page: 2, perPage: 100 }] });
    expect(parseArgs('listTracks', [])).toEqual({ ok: true, value: [{}] });
    expect(parseArgs('listTracks', [{ sort: 'album', direction: 'desc', album: 'Help!', albumArtist: null, page: 1 }])).toEqual({
      ok: true,
      value: [{ sort: 'album', direction: 'desc', album: 'Help!', albumArtist: null, page: 1 }],
    });
    expect(parseArgs('listTracks', [{ artist: 'ABBA', sort: 'title' }])).toEqual({ ok: true, value: [{ artist: 'ABBA', sort: 'title' }] });
    expect(parseArgs('listAlbums', [{ page: 2, perPage: 50 }])).toEqual({ ok: true, value: [{ page: 2, perPage: 50 }] });
    expect(parseArgs('listArtists', [])).toEqual({ ok: true, value: [{}] });
    expect(parseArgs('trackPosition', [{ trackId: TRACK, artist: 'ABBA', sort: 'title', direction: 'desc', search: 'x' }])).toEqual({
      ok: true,
      value: [{ trackId: TRACK.toLowerCase(), artist: 'ABBA', sort: 'title', direction: 'desc', search: 'x' }],
    });
    const identify = parseArgs('identifyClip', [goodIdentify]);
    expect(identify.ok && identify.value[0].audio).toBe(identify.ok ? identify.value[0].audio : null);
    expect(identify).toMatchObject({ ok: true, value: [{ source: 'mic', mode: 'exact', maxResults: 5, historyKey: 'k1' }] });
    const file = parseArgs('identifyClip', [
      { audio: { kind: 'file', fileName: 'a.mp3', bytes: new Uint8Array(10) }, source: 'file', mode: 'both', maxResults: 50 },
    ]);
    expect(file.ok).toBe(true);
    expect(parseArgs('listHistory', [{ search: 'beta', page: 1, perPage: 20 }])).toEqual({ ok: true, value: [{ search: 'beta', page: 1, perPage: 20 }] });
    expect(parseArgs('getHistoryEntry', ['h-1'])).toEqual({ ok: true, value: ['h-1'] });
    expect(parseArgs('deleteHistoryEntries', [['h-1', 'h-2']])).toEqual({ ok: true, value: [['h-1', 'h-2']] });
    expect(parseArgs('exportHistory', [{ format: 'csv' }])).toEqual({ ok: true, value: [{ format: 'csv' }] });
    expect(parseArgs('exportHistory', [{ format: 'json', search: 'x' }])).toEqual({ ok: true, value: [{ format: 'json', search: 'x' }] });
    const recording = { kind: 'file', fileName: 'mix.flac', bytes: new Uint8Array(10) };
    expect(parseArgs('tracklistClip', [{ audio: recording, runId: 'r1' }])).toEqual({ ok: true, value: [{ audio: recording, runId: 'r1' }] });
    expect(parseArgs('cancelTracklist', ['r1'])).toEqual({ ok: true, value: ['r1'] });
  });

  it('refuses a tracklist of PCM, without a run id, with extra fields or a run id too long', () => {
    const recording = { kind: 'file', fileName: 'mix.flac', bytes: new Uint8Array(10) };
    expect(parseArgs('tracklistClip', [{ audio: pcm, runId: 'r1' }])).toEqual(invalid(/audio.kind must be "file"/));
    expect(parseArgs('tracklistClip', [{ audio: recording }])).toEqual(invalid(/runId must be a string/));
    expect(parseArgs('tracklistClip', [{ audio: recording, runId: 'r1', mode: 'exact' }])).toEqual(invalid(/unknown field "mode"/));
    expect(parseArgs('cancelTracklist', ['x'.repeat(LIMITS.maxRunIdLength + 1)])).toEqual(invalid(/runId must be 1\.\.100 characters/));
  });

  it('takes keep-listening calls: a session id, and new audio of at most 10 s at 48 kHz', () => {
    const samples = new Float32Array(LIMITS.listenSampleRateHz);
    expect(parseArgs('listenStart', [{ sessionId: 's1' }])).toEqual({ ok: true, value: [{ sessionId: 's1' }] });
    expect(parseArgs('listenPush', [{ sessionId: 's1', samples }])).toEqual({ ok: true, value: [{ sessionId: 's1', samples }] });
    expect(parseArgs('listenStop', [{ sessionId: 's1' }])).toEqual({ ok: true, value: [{ sessionId: 's1' }] });
    expect(parseArgs('listenStart', [{}])).toEqual(invalid(/sessionId must be a string/));
    expect(parseArgs('listenStop', [{ sessionId: 'x'.repeat(LIMITS.maxRunIdLength + 1) }])).toEqual(invalid(/sessionId must be 1\.\.100 characters/));
    expect(parseArgs('listenPush', [{ sessionId: 's1', samples: [0.1, 0.2] }])).toEqual(invalid(/samples must be a Float32Array/));
    expect(parseArgs('listenPush', [{ sessionId: 's1', samples: new Float32Array(0) }])).toEqual(invalid(/samples must hold 1\.\.480000 samples/));
    expect(parseArgs('listenPush', [{ sessionId: 's1', samples: new Float32Array(LIMITS.maxListenPushSamples + 1) }])).toEqual(invalid(/samples must hold/));
    expect(parseArgs('listenPush', [{ sessionId: 's1', samples: new Float32Array([0, Number.NaN]) }])).toEqual(invalid(/finite/));
    expect(parseArgs('listenPush', [{ sessionId: 's1', samples, sampleRateHz: 48000 }])).toEqual(invalid(/unknown field "sampleRateHz"/));
  });

  it("takes a clip session's start (Listen's single answer): the push rate, mode, max results and an optional history key", () => {
    const clip = { sampleRateHz: 48000, mode: 'both', maxResults: 5, historyKey: 'k1' };
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip }])).toEqual({ ok: true, value: [{ sessionId: 's1', clip }] });
    const { historyKey: _unused, ...keyless } = clip;
    void _unused;
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: keyless }])).toEqual({ ok: true, value: [{ sessionId: 's1', clip: keyless }] });
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: { ...clip, sampleRateHz: 4000 } }])).toEqual(
      invalid(/clip.sampleRateHz must be an integer in 8000\.\.192000/),
    );
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: { ...clip, sampleRateHz: 44100.5 } }])).toEqual(invalid(/clip.sampleRateHz/));
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: { ...clip, mode: 'fuzzy' } }])).toEqual(invalid(/mode must be/));
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: { ...clip, maxResults: LIMITS.maxResults + 1 } }])).toEqual(invalid(/clip.maxResults/));
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: { ...clip, historyKey: 'x'.repeat(LIMITS.maxHistoryKeyLength + 1) } }])).toEqual(
      invalid(/clip.historyKey must be 1\.\.100 characters/),
    );
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: { ...clip, source: 'mic' } }])).toEqual(invalid(/clip: unknown field "source"/));
    expect(parseArgs('listenStart', [{ sessionId: 's1', clip: 'yes' }])).toEqual(invalid(/clip must be an object/));
    // listenStop takes no clip: a session's kind is fixed when it starts.
    expect(parseArgs('listenStop', [{ sessionId: 's1', clip }])).toEqual(invalid(/unknown field "clip"/));
  });

  it('takes the now-playing file: an absolute or home path, or null to turn it off; the engine checks the rest', () => {
    expect(parseArgs('getNowPlayingFile', [])).toEqual({ ok: true, value: [] });
    expect(parseArgs('setNowPlayingFile', ['/home/me/obs/now-playing.txt'])).toEqual({ ok: true, value: ['/home/me/obs/now-playing.txt'] });
    expect(parseArgs('setNowPlayingFile', ['C:\\Users\\me\\now.txt'])).toEqual({ ok: true, value: ['C:\\Users\\me\\now.txt'] });
    expect(parseArgs('setNowPlayingFile', ['~/now.txt'])).toEqual({ ok: true, value: ['~/now.txt'] });
    expect(parseArgs('setNowPlayingFile', [null])).toEqual({ ok: true, value: [null] });
  });

  it.each([
    ['getNowPlayingFile', ['/x'], /takes no arguments/],
    ['setNowPlayingFile', [], /one argument/],
    ['setNowPlayingFile', [undefined], /filePath must be a string/],
    ['setNowPlayingFile', ['now-playing.txt'], /absolute/],
    ['setNowPlayingFile', ['./obs/now.txt'], /absolute/],
    ['setNowPlayingFile', [''], /filePath must be 1\.\.4096 characters/],
    ['setNowPlayingFile', ['/tmp/a\0b.txt'], /NUL/],
    ['setNowPlayingFile', ['/' + 'x'.repeat(LIMITS.maxPathLength)], /characters/],
    ['setNowPlayingFile', [{ path: '/tmp/now.txt' }], /filePath must be a string/],
    ['setNowPlayingFile', ['/tmp/a.txt', '/tmp/b.txt'], /one argument/],
  ] as const)('%s case %# is invalid-argument', (method, args, detail) => {
    expect(parseArgs(method, args)).toEqual(invalid(detail));
  });

  it.each([
    ['getStatus', ['extra'], /takes no arguments/],
    ['addFolder', [], /one argument/],
    ['addFolder', ['Music'], /absolute/],
    ['addFolder', ['~other/Music'], /absolute/],
    ['addFolder', [42], /folderPath must be a string/],
    ['addFolder', ['relative/path'], /absolute/],
    ['addFolder', ['/a\0b'], /NUL/],
    ['addFolder', ['/' + 'x'.repeat(LIMITS.maxPathLength)], /characters/],
    ['removeFolder', ['1'], /folderId/],
    ['removeFolder', [0], /folderId/],
    ['getTrack', ['not-a-uuid'], /UUID/],
    ['getTrack', [{ toString: () => TRACK }], /UUID/],
    ['listTracks', [{ page: 0 }], /page/],
    ['listTracks', [{ perPage: LIMITS.maxPerPage + 1 }], /perPage/],
    ['listTracks', [{ page: 1.5 }], /page/],
    ['listTracks', [{ search: 7 }], /search/],
    ['listTracks', [{ evil: true }], /unknown field "evil"/],
    ['listTracks', [{ sort: 'title; DROP TABLE tracks' }], /sort must be one of/],
    ['listTracks', [{ sort: 'toString' }], /sort must be one of/],
    ['listTracks', [{ direction: 'up' }], /direction/],
    ['listTracks', [{ artist: 5 }], /artist/],
    ['listTracks', [{ albumArtist: 'x' }], /albumArtist needs album/],
    ['listAlbums', [{ search: 'x' }], /unknown field "search"/],
    ['trackPosition', [], /one argument/],
    ['trackPosition', [{ sort: 'title' }], /UUID/],
    ['trackPosition', [{ trackId: TRACK, page: 2 }], /no page/],
    ['trackPosition', [{ trackId: TRACK, sort: 'num; DROP TABLE tracks' }], /sort must be one of/],
    ['trackPosition', [{ trackId: TRACK, evil: 1 }], /unknown field "evil"/],
    ['listTracks', [[1]], /object/],
    ['listHistory', [{ search: 1 }], /search/],
    ['listHistory', [{ evil: true }], /unknown field "evil"/],
    ['getHistoryEntry', [], /one argument/],
    ['getHistoryEntry', [''], /entryId must be 1\.\.100/],
    ['getHistoryEntry', [7], /entryId must be a string/],
    ['deleteHistoryEntries', ['h-1'], /entryIds must be a list/],
    ['deleteHistoryEntries', [[]], /1\.\.1000 ids/],
    ['deleteHistoryEntries', [Array.from({ length: LIMITS.maxHistoryDeleteIds + 1 }, (_, i) => `h-${i}`)], /1\.\.1000 ids/],
    ['deleteHistoryEntries', [['h-1', 2]], /entryIds\[1\] must be a string/],
    ['exportHistory', [{ format: 'xml' }], /format must be csv or json/],
    ['exportHistory', [{ format: 'csv', path: '/etc' }], /unknown field "path"/],
    ['exportHistory', ['csv'], /object/],
    ['identifyClip', [null], /object/],
    ['identifyClip', [{ ...goodIdentify, mode: 'fuzzy' }], /mode/],
    ['identifyClip', [{ ...goodIdentify, maxResults: 51 }], /maxResults/],
    ['identifyClip', [{ ...goodIdentify, maxResults: 0 }], /maxResults/],
    ['identifyClip', [{ ...goodIdentify, source: 'radio' }], /source/],
    ['identifyClip', [{ ...goodIdentify, historyKey: '' }], /historyKey/],
    ['identifyClip', [{ ...goodIdentify, audio: { ...pcm, samples: [0.1, 0.2] } }], /Float32Array/],
    ['identifyClip', [{ ...goodIdentify, audio: { ...pcm, sampleRateHz: 1000 } }], /sampleRateHz/],
    ['identifyClip', [{ ...goodIdentify, audio: { ...pcm, samples: new Float32Array(LIMITS.maxPcmSamples + 1) } }], /at most/],
    ['identifyClip', [{ ...goodIdentify, audio: { kind: 'file', fileName: 'a.mp3', bytes: 'abc' } }], /Uint8Array/],
    ['identifyClip', [{ ...goodIdentify, audio: { kind: 'url', url: 'http://x' } }], /audio.kind/],
    ['identifyClip', [{ ...goodIdentify, extra: 1 }], /unknown field/],
  ] as const)('%s garbage case %# is invalid-argument', (method, args, detail) => {
    expect(parseArgs(method, args)).toEqual(invalid(detail));
  });

  it('rejects unknown methods and non-list arguments without throwing', () => {
    expect(parseArgs('dropTables' as never, [])).toEqual(invalid(/unknown method/));
    expect(parseArgs('hasOwnProperty' as never, [])).toEqual(invalid(/unknown method/));
    expect(parseArgs('listTracks', { 0: {} })).toEqual(invalid(/must be a list/));
  });
});
