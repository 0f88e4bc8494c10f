// Time left in a scan: the rate counts only files handled since indexing began, needs a few files and seconds, and
// reads in plain words.
import { describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../src-preload/contract/library';
import { estimateSecondsLeft, formatTimeLeft, nextEtaAnchor, type EtaAnchor } from './scanEta';

const p = (phase: ScanProgress['phase'], filesDone: number, filesTotal = 1000): ScanProgress => ({
  phase,
  filesDone,
  filesTotal,
  currentFile: null,
  audioSecondsPerSecond: 140,
});

describe('scan time left', () => {
  it('estimates from the files handled since indexing began, not the unchanged ones counted before', () => {
    let anchor: EtaAnchor = null;
    anchor = nextEtaAnchor(anchor, p('walking', 0, 0), 0);
    expect(anchor).toBeNull();
    // 600 unchanged files were done at once; then 100 files in 10 s: 300 left at 10 files/s = 30 s.
    anchor = nextEtaAnchor(anchor, p('indexing', 600), 1000);
    expect(estimateSecondsLeft(anchor, p('indexing', 601), 1500)).toBeNull(); // too early to tell
    anchor = nextEtaAnchor(anchor, p('indexing', 700), 11_000);
    expect(anchor).toEqual({ atMs: 1000, filesDone: 600 });
    expect(estimateSecondsLeft(anchor, p('indexing', 700), 11_000)).toBeCloseTo(30, 5);
    expect(estimateSecondsLeft(anchor, p('removing', 1000), 12_000)).toBeNull();
    // A new scan starts over.
    expect(nextEtaAnchor(anchor, p('walking', 0, 0), 20_000)).toBeNull();
  });

  it('says it in words', () => {
    expect(formatTimeLeft(12)).toBe('less than a minute left');
    expect(formatTimeLeft(89)).toBe('about 1 minute left');
    expect(formatTimeLeft(600)).toBe('about 10 minutes left');
    expect(formatTimeLeft(4800)).toBe('about 1 h 20 min left');
    expect(formatTimeLeft(7200)).toBe('about 2 h left');
  });
});
