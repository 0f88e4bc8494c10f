// The exact lane's scoring on the corpus's query sets (truth.jsonl), shared by bench:exact and bench:scale (not a test):
// every clip is decoded and identified through the LibraryEngine the app uses (a worker helping its searches); a clip
// is right when the top answer is the file it was cut from (a path relative to the corpus library), a negative is a
// false positive when anything is answered.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeClipFile } from '../src-main/engine/audio/decodeClip.js';
import { identifyClipAsOneSong } from '../src-main/engine/jobs/identifyClip.js';
import type { LibraryEngine } from '../src-main/engine/libraryEngine.js';

export interface Truth {
  query: string;
  expected: string | null;
  negative: boolean;
  offset: number | null;
  speed: number | null;
  duration: number;
  degradation: string;
  condition: string;
}

export interface ClipRow {
  set: string;
  query: string;
  degradation: string;
  condition: string;
  duration: number;
  negative: boolean;
  correct: boolean;
  wrong: boolean;
  answered: boolean;
  latencyMs: number;
  aligned: number | null;
  confidence: number | null;
  offsetErrorSeconds: number | null;
  bestAligned?: number;
  background?: number;
  bestIsExpected?: boolean;
  hypotheses?: number;
  lookups?: number;
  verifyScore?: number | null;
  matchedPeaks?: number | null;
  consideredPeaks?: number | null;
  decoyMax?: number | null;
  verified?: number[][];
  sameRecording?: number;
  /** The best candidate's audio check: [judged peaks, shortfall, shift frames, contrast]. */
  bestCheck?: number[] | null;
  dropped?: number;
  rescued?: boolean;
  /** The top answer was accepted only on corroboration (the rule before it would not have given it). */
  corroborated?: boolean;
  error?: string;
}

/** The clip's own fields of a result row. */
export function clipOf(set: string, t: Truth): Pick<ClipRow, 'set' | 'query' | 'degradation' | 'condition' | 'duration' | 'negative'> {
  return { set, query: t.query, degradation: t.degradation, condition: t.condition, duration: t.duration, negative: t.negative };
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
export const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

export function readTruths(queryDir: string): Truth[] {
  return readFileSync(path.join(queryDir, 'truth.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Truth);
}

export interface QueryRunOptions {
  /** Calibration: hear every clip's best candidate against its track (latency then includes that check). */
  readonly checkBest?: boolean;
  /** Only the first N clips of each set. */
  readonly maxClips?: number;
}

/** Identifies every clip of each query set against `lib`; `libraryDir` is where the truth's `expected` paths lie. */
export async function identifyQuerySets(
  lib: LibraryEngine,
  libraryDir: string,
  queryDirs: readonly string[],
  options: QueryRunOptions = {},
): Promise<ClipRow[]> {
  const rows: ClipRow[] = [];
  // As the app does: a fingerprint worker kept started, which helps each search on the second core when idle.
  lib.keepSearchHelperWarm();
  for (const qdir of queryDirs) {
    const set = path.basename(path.resolve(qdir));
    const truths = readTruths(qdir).slice(0, options.maxClips ?? Infinity);
    let done = 0;
    let lastNote = performance.now();
    for (const t of truths) {
      if (performance.now() - lastNote > 15_000) {
        lastNote = performance.now();
        console.error(`  [${set}] ${done}/${truths.length} clips`);
      }
      done++;
      const clipPath = path.join(qdir, t.query);
      const started = performance.now();
      try {
        const pcm = await decodeClipFile(clipPath, { sampleRateHz: lib.config.sampleRateHz });
        const {
          result: r,
          outcome,
          audit,
          bestCheck,
        } = await identifyClipAsOneSong({ ...lib.identifyDeps(), checkBestAlways: options.checkBest ?? false }, pcm, 5, started);
        const latencyMs = performance.now() - started;
        const bestRow = outcome.best ? lib.catalog.getTrackByNum(outcome.best.trackNum) : undefined;
        const top = r.exact[0];
        const expectedAbs = t.expected ? path.join(libraryDir, t.expected) : null;
        const correct = !t.negative && top !== undefined && top.track.filePath === expectedAbs;
        rows.push({
          ...clipOf(set, t),
          correct,
          wrong: top !== undefined && !correct,
          answered: top !== undefined,
          latencyMs,
          aligned: top?.alignedHashes ?? null,
          confidence: top?.confidence ?? null,
          bestAligned: outcome.best?.alignedCount ?? 0,
          background: outcome.backgroundAligned,
          bestIsExpected: bestRow !== undefined && bestRow.filePath === (t.expected ? path.join(libraryDir, t.expected) : null),
          hypotheses: outcome.hypothesesTried,
          lookups: outcome.lookups,
          verifyScore: outcome.best?.verification?.score ?? null,
          matchedPeaks: outcome.best?.verification?.matchedPeaks ?? null,
          consideredPeaks: outcome.best?.verification?.consideredPeaks ?? null,
          decoyMax: outcome.best?.verification?.decoyMax ?? null,
          sameRecording: outcome.sameRecording.length,
          verified: outcome.verified.map((v) => [
            v.alignedCount,
            Math.round(v.verification.score * 10) / 10,
            v.verification.matchedPeaks,
            v.verification.consideredPeaks,
          ]),
          offsetErrorSeconds: correct && t.offset !== null ? Math.abs(top.offsetSeconds - t.offset) : null,
          bestCheck: bestCheck
            ? [bestCheck.judged, Math.round(bestCheck.shortfall * 1000) / 1000, bestCheck.shiftFrames, Math.round(bestCheck.contrast * 1000) / 1000]
            : null,
          dropped: audit.dropped.length,
          rescued: audit.rescued !== null,
          corroborated: audit.matches.length > 0 && audit.corroborated.includes(audit.matches[0].trackNum),
        });
      } catch (err) {
        rows.push({
          ...clipOf(set, t),
          correct: false,
          wrong: false,
          answered: false,
          latencyMs: performance.now() - started,
          aligned: null,
          confidence: null,
          offsetErrorSeconds: null,
          error: String(err),
        });
      }
    }
  }
  return rows;
}

/** The Markdown lines of one set's summary: accuracy by degradation, condition and clip length, latency, offsets. */
export function summarizeSet(set: string, allRows: readonly ClipRow[]): string[] {
  const lines: string[] = [];
  const say = (s: string): void => {
    lines.push(s);
  };
  const rs = allRows.filter((r) => r.set === set);
  const pos = rs.filter((r) => !r.negative);
  const neg = rs.filter((r) => r.negative);
  say(`\n## ${set}: ${pos.length} positives, ${neg.length} negatives`);
  say(`| measure | value |\n|---|---|`);
  say(`| top-1 accuracy, all positives | ${pct(pos.filter((r) => r.correct).length, pos.length)} |`);
  say(`| wrong answers on positives | ${pct(pos.filter((r) => r.wrong).length, pos.length)} |`);
  say(`| false positives on negatives | ${pct(neg.filter((r) => r.answered).length, neg.length)} (${neg.filter((r) => r.answered).length}/${neg.length}) |`);
  // The rule's corroboration path only adds answers (decide is pure and nothing else differs), so the rule without it
  // is this run's answers less the corroborated ones: the previous code, same clips, same run.
  const plain = (r: ClipRow): boolean => !r.corroborated;
  say(`| top-1 without corroboration (the rule before it, same run) | ${pct(pos.filter((r) => r.correct && plain(r)).length, pos.length)} |`);
  say(`| false positives without corroboration | ${neg.filter((r) => r.answered && plain(r)).length}/${neg.length} |`);
  say(
    `| answers only corroboration gave: right / wrong / false positives | ${pos.filter((r) => r.correct && !plain(r)).length} / ${pos.filter((r) => r.wrong && !plain(r)).length} / ${neg.filter((r) => r.answered && !plain(r)).length} |`,
  );
  const byDeg = [...new Set(pos.map((r) => r.degradation))].sort();
  for (const d of byDeg) {
    const g = pos.filter((r) => r.degradation === d);
    say(`| ${d} | ${pct(g.filter((r) => r.correct).length, g.length)} (${g.filter((r) => r.correct).length}/${g.length}) |`);
  }
  // Sub-conditions where a degradation has several (the room set: ambience SNR bands).
  const conditions = [...new Set(pos.filter((r) => r.condition !== r.degradation).map((r) => r.condition))].sort();
  if (conditions.length > 1 && conditions.length <= 12) {
    for (const c of conditions) {
      const g = pos.filter((r) => r.condition === c);
      say(`| ${c} | ${pct(g.filter((r) => r.correct).length, g.length)} (${g.filter((r) => r.correct).length}/${g.length}) |`);
    }
  }
  for (const dur of [...new Set(pos.map((r) => r.duration))].sort((a, b) => a - b)) {
    const g = pos.filter((r) => r.duration === dur);
    say(`| ${dur} s clips | ${pct(g.filter((r) => r.correct).length, g.length)} (${g.filter((r) => r.correct).length}/${g.length}) |`);
  }
  const lat = rs.map((r) => r.latencyMs);
  const lat10 = rs.filter((r) => r.duration === 10).map((r) => r.latencyMs);
  say(`| identify latency p50 / p95, decode included (all clips) | ${percentile(lat, 50).toFixed(0)} / ${percentile(lat, 95).toFixed(0)} ms |`);
  say(`| identify latency p50 / p95, 10 s clips | ${percentile(lat10, 50).toFixed(0)} / ${percentile(lat10, 95).toFixed(0)} ms |`);
  const offErr = pos.map((r) => r.offsetErrorSeconds).filter((x): x is number => x !== null);
  say(`| offset error of correct answers, median / p95 | ${(percentile(offErr, 50) * 1000).toFixed(0)} / ${(percentile(offErr, 95) * 1000).toFixed(0)} ms |`);
  const negAligned = neg.map((r) => r.aligned ?? 0);
  say(`| negatives: highest aligned count answered | ${Math.max(0, ...negAligned)} |`);
  return lines;
}
