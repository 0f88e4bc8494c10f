// Keep listening on the Listen screen, rendered to HTML with the store bound: the switch (a real switch, checked
// while on), the input picker, a plain sentence when notifications were refused, the
// song playing now, and the room log's rows (songs with where and how fast, the unknown stretch) with the exports; a
// recording held by two library files is one row naming the other file.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ListenLogEntry } from '../../../src-preload/contract/api';
import type { TrackSummary } from '../../../src-preload/contract/library';
import { createBoundTestStore, createTestStore, htmlText } from '../../store/testDeps';
import { KeepListeningControl, KeepListeningView } from './KeepListening';

let store: ReturnType<typeof createTestStore>['store'];
beforeEach(() => {
  ({ store } = createBoundTestStore());
});

const text = htmlText;
const alpha = { id: 't1', title: 'Alpha', artist: 'Band', album: null, durationSeconds: 200, filePath: '/m/Alpha.flac' } as unknown as TrackSummary;
const beta = { id: 't2', title: 'Beta', artist: null, album: null, durationSeconds: 180, filePath: '/m/Beta.flac' } as unknown as TrackSummary;
const LOG: ListenLogEntry[] = [
  { id: 1, startSeconds: 0, endSeconds: 35, track: alpha, offsetSeconds: 10, speedFactor: 1, confidence: 0.9, ongoing: false },
  { id: 2, startSeconds: 35, endSeconds: 70, track: beta, offsetSeconds: 5, speedFactor: 1.04, confidence: 0.8, ongoing: true },
  { id: 0, startSeconds: 70, endSeconds: 80, track: null, offsetSeconds: null, speedFactor: null, confidence: null, ongoing: false },
];

describe('Keep listening on the Listen screen', () => {
  it('off: an unchecked switch, the input picker (MicPicker.test.tsx), nothing else', () => {
    const html = renderToStaticMarkup(<KeepListeningControl />);
    expect(html).toMatch(/role="switch"[^>]*aria-checked="false"|aria-checked="false"[^>]*role="switch"/);
    expect(html).toContain('data-testid="mic-select"');
    expect(text(html)).toContain("The system's default input");
    expect(html).not.toContain('keep-notifications-denied');
    expect(renderToStaticMarkup(<KeepListeningView />)).toBe('');
  });

  it('on: checked, says when notifications were refused, shows the song now and the room log', () => {
    store.setState({
      keep: {
        ...store.getState().keep,
        phase: 'on',
        notifications: 'denied',
        startedAtMs: Date.parse('2026-12-04T21:00:00Z'),
        heardSeconds: 80,
        log: LOG,
        playing: { track: beta, positionSeconds: 51.4, speedFactor: 1.04, confidence: 0.8, entryId: 2 },
        playingAtMs: Date.now(),
      },
    });
    const control = renderToStaticMarkup(<KeepListeningControl />);
    expect(control).toMatch(/aria-checked="true"/);
    expect(text(control)).toContain('Song notifications are off');
    const view = text(renderToStaticMarkup(<KeepListeningView />));
    expect(view).toContain('Beta');
    expect(view).toMatch(/0:5[12] \/ 3:00/);
    expect(view).toContain('80% sure');
    expect(view).toMatch(/Alpha — Band .*from 0:10/);
    expect(view).toContain('x1.040');
    expect(view).toContain('Not in your library');
    expect(view).toContain(' now ');
    for (const e of ['CSV', 'M3U8 playlist', 'JSON']) expect(view).toContain(e);
    // Clear log waits until it is switched off.
    expect(renderToStaticMarkup(<KeepListeningView />)).toMatch(/data-testid="room-log-clear" disabled=""/);
  });

  it('a recording held by two library files: one row and one song playing, naming the other file beside it', () => {
    const mp3 = { ...alpha, id: 't3', format: 'mp3', filePath: '/m/comp/Alpha.mp3' } as TrackSummary;
    store.setState({
      keep: {
        ...store.getState().keep,
        phase: 'on',
        startedAtMs: Date.parse('2026-12-04T21:00:00Z'),
        heardSeconds: 30,
        log: [{ ...LOG[0], endSeconds: 30, ongoing: true, sameRecording: [mp3] }],
        playing: { track: alpha, positionSeconds: 40, speedFactor: 1, confidence: 0.9, entryId: 1 },
        playingAtMs: Date.now(),
      },
    });
    const html = renderToStaticMarkup(<KeepListeningView />);
    expect(html.match(/data-testid="room-log-row"/g)).toHaveLength(1);
    expect(html).toMatch(/data-testid="room-log-same-recording"[^>]*>[^<]*\(also in your library as Alpha \(mp3\)\)/);
    expect(html).toMatch(/data-testid="keep-now-same-recording"[^>]*>[^<]*\(also in your library as Alpha \(mp3\)\)/);
    expect(html.match(/title="\/m\/comp\/Alpha.mp3"/g)).toHaveLength(2);
    expect(text(html)).toMatch(/Alpha — Band \(also in your library as Alpha \(mp3\)\)/);
  });

  it('off, after a reload: the kept sessions, each under its start, with the exports and Clear log', () => {
    store.setState({
      keep: {
        ...store.getState().keep,
        earlier: [
          { startedAtMs: Date.parse('2026-12-04T21:00:00Z'), log: LOG.slice(0, 1) },
          { startedAtMs: Date.parse('2026-12-05T20:00:00Z'), log: LOG.slice(1).map((e) => ({ ...e, ongoing: false })) },
        ],
      },
    });
    const html = renderToStaticMarkup(<KeepListeningView />);
    expect(html.match(/data-testid="room-log-session"/g)).toHaveLength(2);
    expect(html.match(/data-testid="room-log-row"/g)).toHaveLength(3);
    const view = text(html);
    expect(view).toMatch(/Listening from .*2026.* Alpha — Band .*Listening from .*2026.* Beta .*Not in your library/);
    expect(view).not.toContain(' now ');
    expect(html).toMatch(/data-testid="room-log-clear"[^>]*>Clear log</);
    expect(html).not.toMatch(/data-testid="room-log-clear" disabled/);
  });
});
