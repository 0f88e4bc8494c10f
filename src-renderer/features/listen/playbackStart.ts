// Where "Play from here" starts: the match offset plus the time since the clip started recording, scaled by the
// speed factor, so the library copy continues in sync with the room. Pure.

/** Track seconds to start at: where the clip began in the track, plus how far the room has played since. */
export function playbackStartSeconds(offsetSeconds: number, speedFactor: number, clipStartedAtMs: number | null, nowMs: number): number {
  const sinceClipSeconds = clipStartedAtMs === null ? 0 : Math.max(0, (nowMs - clipStartedAtMs) / 1000);
  return Math.max(0, offsetSeconds + sinceClipSeconds * speedFactor);
}
