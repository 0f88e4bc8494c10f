// The Tracklist view's rows, rendered to HTML with the store bound: a song held by two library files is one row that
// names the other file too.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrackSummary } from '../../../src-preload/contract/library';
import { BridgeContext } from '../../app/bridgeContext';
import { createBoundTestStore } from '../../store/testDeps';
import { TracklistScreen } from './TracklistScreen';

const track = (id: string, title: string, format: string): TrackSummary =>
  ({ id, title, artist: 'Band', album: null, durationSeconds: 200, format, filePath: `/music/${title}.${format}` }) as TrackSummary;

describe('TracklistScreen', () => {
  it('shows a song held by two library files as one row, naming the other file', () => {
    const { store, bridge } = createBoundTestStore();
    const flac = track('t1', 'Alpha', 'flac');
    const mp3 = track('t2', 'Alpha', 'mp3');
    store.setState({
      screen: 'tracklist',
      tracklist: {
        runId: 'r1',
        fileName: 'set.wav',
        probedSeconds: 60,
        phase: 'done',
        cancelling: false,
        progress: null,
        error: null,
        result: {
          durationSeconds: 60,
          durationMs: 10,
          segments: [
            { start: 0, end: 40, track: flac, offsetSeconds: 5, speedFactor: 1, pitchFactor: 1, confidence: 0.9, alignedHashes: 80, sameRecording: [mp3] },
            { start: 40, end: 60, track: null, offsetSeconds: null, speedFactor: null, pitchFactor: null, confidence: null, alignedHashes: null },
          ],
        },
      },
    });
    const html = renderToStaticMarkup(
      <BridgeContext value={bridge}>
        <TracklistScreen />
      </BridgeContext>,
    );
    expect(html.match(/data-testid="tracklist-row" data-kind="song"/g)).toHaveLength(1);
    expect(html).toMatch(/data-testid="tracklist-row-same-recording"[^>]*>[^<]*\(also in your library as Alpha \(mp3\)\)/);
    expect(html).toContain('title="/music/Alpha.mp3"');
  });
});
