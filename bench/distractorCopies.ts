// bench:mix's negatives on a grown library (bench:scale's distractors indexed beside the corpus library). Bench only.
// The negatives hold library tracks at a turntable speed outside the stream grid (x0.84-0.89, x1.12-1.18) and played
// backwards; the distractors are library tracks re-made the same ways (x0.76-0.88, x1.12-1.30, reversed at such a
// speed, or mixed with another track so transformed). So on a grown library a negative piece can be a recording the
// library holds: "Jewels x0.866" is the distractor "Jewels x0.870" played 0.5 % slow. Naming that distractor is the
// matcher finding what the library holds, not a false match; this sorts such names out, and says so, instead of
// counting them either way unseen.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One transform of a source track, as bench/scalePlan.ts writes it in the distractors' manifest.jsonl. */
interface Transform {
  readonly speed: number;
  readonly semitones: number;
  readonly reverse: boolean;
}

export interface DistractorEntry {
  /** Library-relative path of the main source track. */
  readonly source: string;
  readonly main: Transform;
  /** The other track of a mixture, with its own transform. */
  readonly partner: { readonly source: string; readonly transform: Transform } | null;
  /** Path inside the distractors folder. */
  readonly path: string;
}

/** Distractors by absolute file path. */
export function readDistractors(dir: string): Map<string, DistractorEntry> {
  const out = new Map<string, DistractorEntry>();
  const text = readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as DistractorEntry;
    out.set(path.resolve(dir, e.path), e);
  }
  return out;
}

/** A negative piece's library track and how it was played, from its label (negativeSet.ts); null: not a library track. */
export function pieceRecording(label: string): { source: string; speed: number; reverse: boolean } | null {
  const bare = label.endsWith(' (room)') ? label.slice(0, -' (room)'.length) : label;
  if (bare.endsWith(' reversed')) return { source: bare.slice(0, -' reversed'.length), speed: 1, reverse: true };
  const m = / x(\d+(?:\.\d+)?)$/.exec(bare);
  if (m) return { source: bare.slice(0, m.index), speed: Number(m[1]), reverse: false };
  return null;
}

/**
 * Whether the distractor holds the piece's recording: the same source track, the same direction, no key-locked pitch
 * shift, and a speed less than `reach` away from the piece's. 12 %: the distractors' own bar (bench/scalePlan.ts: a
 * recording 12 % or more off its source's speed is another recording, which no clip of the source may match); closer,
 * it is the recording at a DJ's or a turntable's tempo (seen: a piece at x0.853 named as the distractor at x0.784 of
 * the same track, 8.8 % apart). 'whole' when it is the distractor's only track, 'part' when one of a mixture's two.
 */
export function copyOfPiece(distractor: DistractorEntry, label: string, reach = 0.12): 'whole' | 'part' | null {
  const piece = pieceRecording(label);
  if (!piece) return null;
  const holds = (source: string, t: Transform): boolean =>
    source === piece.source && t.reverse === piece.reverse && t.semitones === 0 && Math.abs(piece.speed / t.speed - 1) < reach;
  if (holds(distractor.source, distractor.main)) return distractor.partner ? 'part' : 'whole';
  if (distractor.partner && holds(distractor.partner.source, distractor.partner.transform)) return 'part';
  return null;
}
